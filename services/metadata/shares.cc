#include "services/metadata/shares.h"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/metadata/field_checks.h"
#include "services/metadata/resource_names.h"

namespace bitcontent::metadata {
namespace {

std::string ShareName(absl::string_view node_id, absl::string_view recipient_id) {
  return absl::StrCat(NodeName(node_id), "/shares/", recipient_id);
}

// The folder and recipient ids in "nodes/{node}/shares/{recipient}".
absl::StatusOr<std::pair<std::string, std::string>> ShareIdsIn(absl::string_view name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "nodes" || parts[2] != "shares" ||
      !ids::IsValidId(parts[1]) || !ids::IsValidId(parts[3])) {
    return kit::FieldError("name",
                           absl::StrCat("must be nodes/{node}/shares/{share}, not \"", name, "\""));
  }
  return std::make_pair(std::string(parts[1]), std::string(parts[3]));
}

absl::Status RequireRole(v1::ShareRole role) {
  if (role == v1::SHARE_ROLE_READER || role == v1::SHARE_ROLE_WRITER) return absl::OkStatus();
  return kit::FieldError("role", "must be SHARE_ROLE_READER or SHARE_ROLE_WRITER");
}

}  // namespace

absl::StatusOr<v1::Share> Shares::Create(const Actor& actor, const v1::CreateShareRequest& request,
                                         absl::Time now) {
  if (absl::Status s = RequireRole(request.role()); !s.ok()) return s;
  if (absl::Status s = RequireBytes("sealed_key", request.sealed_key(), kSealedKeyBytes); !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> recipient = kit::IdIn(request.recipient(), "users", "recipient");
  if (!recipient.ok()) return recipient.status();
  if (*recipient == actor.user_id) {
    return kit::FieldError(
        "recipient", "names you; share with another member (your own folders are yours already)");
  }
  if (request.recipient_email().size() > 320) {
    return kit::FieldError("recipient_email", "must be at most 320 bytes");
  }
  absl::StatusOr<v1::Node> folder = tree_->Get(actor, request.node());
  if (!folder.ok()) return folder.status();
  if (folder->access_role() != v1::ACCESS_ROLE_OWNER) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the owner of ", request.node(), " can share it"));
  }
  if (folder->type() != v1::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.node(), " is a file: share a folder, or make a link to the file"));
  }
  if (folder->state() != v1::NODE_STATE_ACTIVE) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.node(), " is in the trash; restore it before sharing it"));
  }
  // The root has no name to show the recipient, and would hand them the whole account.
  if (folder->parent().empty()) {
    return absl::FailedPreconditionError(
        "your root folder cannot be shared: it would hand over everything you have; "
        "share a folder in it instead");
  }
  const std::string folder_id(kit::IdOfName(folder->name()));
  absl::MutexLock lock(&locks_.For(folder_id));
  const std::string key = store::JoinKey(folder_id, *recipient);
  absl::StatusOr<std::optional<v1::Share>> existing =
      store::FindRecord<v1::Share>(db_.store(), db_.shares, key);
  if (!existing.ok()) return existing.status();
  v1::Share share = existing->value_or(v1::Share());
  if (!existing->has_value()) {
    share.set_name(ShareName(folder_id, *recipient));
    share.set_recipient(request.recipient());
    share.set_creator(UserName(actor.user_id));
    *share.mutable_create_time() = auth::ProtoFromTime(now);
  }
  share.set_recipient_email(request.recipient_email());
  share.set_role(request.role());
  share.set_sealed_key(request.sealed_key());
  *share.mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.shares, key, share);
  batch.Put(db_.user_shares, store::KeyView(store::JoinKey(*recipient, folder_id)), "");
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_SHARE_GRANTED, *folder, share, now);
      !s.ok()) {
    return s;
  }
  return share;
}

absl::StatusOr<v1::ListSharesResponse> Shares::List(const Actor& actor,
                                                    const v1::ListSharesRequest& request) const {
  absl::StatusOr<v1::Node> folder = tree_->Get(actor, request.parent());
  if (!folder.ok()) return folder.status();
  if (folder->access_role() != v1::ACCESS_ROLE_OWNER) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the owner of ", request.parent(), " sees whom it is shared with"));
  }
  absl::StatusOr<size_t> page_size = kit::PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (absl::Status s = kit::ValidatePageToken(request.page_token()); !s.ok()) return s;
  const std::string folder_id(kit::IdOfName(folder->name()));
  const std::string after = store::JoinKey(folder_id, request.page_token());
  store::PrefixIterator it =
      db_.store().Scan(db_.shares, {.prefix = store::KeyView(folder_id),
                                    .start_after = request.page_token().empty()
                                                       ? std::nullopt
                                                       : std::optional<std::string_view>(after)});
  v1::ListSharesResponse response;
  for (; it.Valid(); it.Next()) {
    if (static_cast<size_t>(response.shares_size()) == *page_size) {
      response.set_next_page_token(std::string(kit::IdOfName(response.shares().rbegin()->name())));
      break;
    }
    if (!response.add_shares()->ParseFromArray(it.value().data(),
                                               static_cast<int>(it.value().size()))) {
      return absl::DataLossError(absl::StrCat("a share of ", folder->name(), " is damaged"));
    }
  }
  if (!it.status().ok()) return it.status();
  return response;
}

absl::StatusOr<v1::Share> Shares::Update(const Actor& actor, const v1::UpdateShareRequest& request,
                                         absl::Time now) {
  if (absl::Status s = RequireRole(request.role()); !s.ok()) return s;
  absl::StatusOr<std::pair<std::string, std::string>> ids = ShareIdsIn(request.name());
  if (!ids.ok()) return ids.status();
  absl::StatusOr<v1::Node> folder = tree_->Get(actor, NodeName(ids->first));
  if (!folder.ok()) return folder.status();
  if (folder->access_role() != v1::ACCESS_ROLE_OWNER) {
    return absl::PermissionDeniedError("only the folder's owner can change a share");
  }
  absl::MutexLock lock(&locks_.For(ids->first));
  const std::string key = store::JoinKey(ids->first, ids->second);
  absl::StatusOr<std::optional<v1::Share>> share =
      store::FindRecord<v1::Share>(db_.store(), db_.shares, key);
  if (!share.ok()) return share.status();
  if (!share->has_value()) return absl::NotFoundError(absl::StrCat(request.name(), " not found"));
  (*share)->set_role(request.role());
  *(*share)->mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.shares, key, **share);
  if (absl::Status s = Commit(&batch, actor, v1::CHANGE_TYPE_SHARE_GRANTED, *folder, **share, now);
      !s.ok()) {
    return s;
  }
  return **std::move(share);
}

absl::Status Shares::Delete(const Actor& actor, absl::string_view name, absl::Time now) {
  absl::StatusOr<std::pair<std::string, std::string>> ids = ShareIdsIn(name);
  if (!ids.ok()) return ids.status();
  const auto& [folder_id, recipient_id] = *ids;
  // The owner unsharing reads the folder as theirs. The recipient leaving needs no access
  // to it: the share record below is theirs (and they may leave while the owner has the
  // folder in the trash, out of their reach).
  absl::StatusOr<v1::Node> folder = recipient_id == actor.user_id
                                        ? tree_->Lookup(NodeName(folder_id))
                                        : tree_->Get(actor, NodeName(folder_id));
  if (recipient_id != actor.user_id) {  // Not leaving: unsharing, which is the owner's.
    if (!folder.ok()) return folder.status();
    if (folder->access_role() != v1::ACCESS_ROLE_OWNER) {
      return absl::PermissionDeniedError("only the folder's owner, or the recipient, ends a share");
    }
  } else if (absl::IsNotFound(folder.status())) {
    return absl::OkStatus();  // Purged, so is every share of it: ending it again is OK.
  } else if (!folder.ok()) {
    return folder.status();
  }
  absl::MutexLock lock(&locks_.For(folder_id));
  const std::string key = store::JoinKey(folder_id, recipient_id);
  absl::StatusOr<std::optional<v1::Share>> share =
      store::FindRecord<v1::Share>(db_.store(), db_.shares, key);
  if (!share.ok()) return share.status();
  if (!share->has_value()) return absl::OkStatus();  // Ended already.
  store::WriteBatch batch;
  batch.Delete(db_.shares, store::KeyView(key));
  batch.Delete(db_.user_shares, store::KeyView(store::JoinKey(recipient_id, folder_id)));
  return Commit(&batch, actor, v1::CHANGE_TYPE_SHARE_REVOKED, *folder, **share, now);
}

absl::Status Shares::Commit(store::WriteBatch* batch, const Actor& actor, v1::ChangeType type,
                            const v1::Node& folder, const v1::Share& share, absl::Time now) const {
  v1::Change change;
  change.set_type(type);
  *change.mutable_node() = folder;
  change.mutable_node()->set_access_role(AccessRoleOf(share.role()));
  change.set_share(share.name());
  change.set_actor(UserName(actor.user_id));
  change.set_device_id(actor.device_id);
  *change.mutable_change_time() = auth::ProtoFromTime(now);
  return tree_->CommitChanges(
      batch, {{.user_id = std::string(kit::IdOfName(share.recipient())), .change = change}});
}

absl::StatusOr<v1::ListSharedWithMeResponse> Shares::ListSharedWithMe(
    const Actor& actor, const v1::ListSharedWithMeRequest& request) const {
  absl::StatusOr<size_t> page_size = kit::PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (absl::Status s = kit::ValidatePageToken(request.page_token()); !s.ok()) return s;
  const std::string after = store::JoinKey(actor.user_id, request.page_token());
  store::PrefixIterator it = db_.store().Scan(
      db_.user_shares,
      {.prefix = store::KeyView(actor.user_id),
       .start_after =
           request.page_token().empty() ? std::nullopt : std::optional<std::string_view>(after)});
  v1::ListSharedWithMeResponse response;
  std::string last;
  for (; it.Valid(); it.Next()) {
    const std::string folder_id(it.key().substr(actor.user_id.size()));
    if (static_cast<size_t>(response.entries_size()) == *page_size) {
      response.set_next_page_token(last);
      break;
    }
    last = folder_id;
    absl::StatusOr<std::optional<v1::Share>> share = store::FindRecord<v1::Share>(
        db_.store(), db_.shares, store::JoinKey(folder_id, actor.user_id));
    if (!share.ok()) return share.status();
    if (!share->has_value()) continue;
    absl::StatusOr<v1::Node> node = tree_->Get(actor, NodeName(folder_id));
    // Purged by its owner, in their trash, or theirs while they are disabled: hidden
    // until they restore it or are enabled again.
    if (absl::IsNotFound(node.status()) || absl::IsPermissionDenied(node.status())) continue;
    if (!node.ok()) return node.status();
    v1::SharedWithMeEntry* entry = response.add_entries();
    (*share)->clear_recipient_email();  // The owner's note, not the recipient's business.
    *entry->mutable_share() = **std::move(share);
    *entry->mutable_node() = *std::move(node);
  }
  if (!it.status().ok()) return it.status();
  if (emails_ != nullptr) {
    std::vector<std::string> owners;
    for (const v1::SharedWithMeEntry& entry : response.entries()) {
      owners.emplace_back(kit::IdOfName(entry.share().creator()));
    }
    const std::map<std::string, std::string> emails = emails_->Of(owners);
    for (v1::SharedWithMeEntry& entry : *response.mutable_entries()) {
      const auto found = emails.find(std::string(kit::IdOfName(entry.share().creator())));
      if (found != emails.end()) entry.set_owner_email(found->second);
    }
  }
  return response;
}

}  // namespace bitcontent::metadata
