#include "services/metadata/uploads.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/log.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/metadata/field_checks.h"
#include "services/metadata/grants.h"
#include "services/metadata/request_replays.h"
#include "services/metadata/resource_names.h"

namespace bitcontent::metadata {
namespace {

constexpr absl::string_view kUploadsPrefix = "uploads/";
// A version's chunk nonces start with this many random bytes (client/chunk_cipher.h).
constexpr size_t kNoncePrefixBytes = 16;

// Keys of upload request ids in the requests family, apart from node creations.
std::string RequestKey(absl::string_view user_id, absl::string_view request_id) {
  return absl::StrCat(user_id, "upload/", request_id);
}

absl::StatusOr<std::string> UploadIdOf(absl::string_view name) {
  return kit::IdIn(name, "uploads", "name");
}

// The key of an open upload in a member's index.
std::string MemberKey(absl::string_view member, absl::string_view upload_id) {
  return store::JoinKey(kit::IdOfName(member), upload_id);
}

// An open upload is listed to its uploader and, when a writer began it in a shared
// folder, to the folder's owner, whose quota it holds.
std::vector<std::string> IndexKeys(const v1::Upload& upload, absl::string_view upload_id) {
  std::vector<std::string> keys = {MemberKey(upload.uploader(), upload_id)};
  if (upload.owner() != upload.uploader()) keys.push_back(MemberKey(upload.owner(), upload_id));
  return keys;
}

void Unindex(const MetadataDb& db, const v1::Upload& upload, absl::string_view upload_id,
             store::WriteBatch* batch) {
  for (const std::string& key : IndexKeys(upload, upload_id)) {
    batch->Delete(db.user_uploads, store::KeyView(key));
  }
}

}  // namespace

v1::UploadState StateAt(const v1::Upload& upload, absl::Time now) {
  if (upload.state() == v1::UPLOAD_STATE_OPEN && auth::TimeFromProto(upload.expire_time()) <= now) {
    return v1::UPLOAD_STATE_EXPIRED;
  }
  return upload.state();
}

v1::Upload Uploads::Present(v1::Upload upload, absl::Time now) const {
  upload.set_state(StateAt(upload, now));
  if (upload.state() != v1::UPLOAD_STATE_OPEN) return upload;
  const absl::Time expire =
      std::min(now + kGrantLifetime, auth::TimeFromProto(upload.expire_time()));
  blobs::v1::GrantClaims claims;
  claims.set_permission(blobs::v1::GRANT_PERMISSION_UPLOAD);
  claims.set_upload_session(upload.upload_session());
  claims.set_max_size_bytes(upload.size_bytes());
  upload.set_grant(SignGrant(*grant_key_, std::move(claims), upload.owner(), now, expire));
  *upload.mutable_grant_expire_time() = auth::ProtoFromTime(expire);
  return upload;
}

absl::StatusOr<v1::Upload> Uploads::Load(const Actor& actor, absl::string_view name,
                                         Seer seer) const {
  absl::StatusOr<std::string> id = UploadIdOf(name);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::optional<v1::Upload>> found =
      store::FindRecord<v1::Upload>(db_.store(), db_.uploads, *id);
  if (!found.ok()) return found.status();
  const std::string user = UserName(actor.user_id);
  const bool seen =
      found->has_value() && ((*found)->uploader() == user ||
                             (seer == Seer::kUploaderOrOwner && (*found)->owner() == user));
  if (!seen) return absl::NotFoundError(absl::StrCat(name, " not found"));
  return **std::move(found);
}

absl::StatusOr<v1::Upload> Uploads::Begin(const Actor& actor, const v1::BeginUploadRequest& request,
                                          absl::Time now) {
  if (request.size_bytes() == 0 || request.size_bytes() > kSizeBytesMax) {
    return kit::FieldError("size_bytes", absl::StrCat("must be 1 to ", kSizeBytesMax,
                                                      " (the ciphertext size, tags included)"));
  }
  if (absl::Status s = RequireRequestId(request.request_id()); !s.ok()) return s;
  absl::MutexLock lock(&locks_.For(actor.user_id));
  if (!request.request_id().empty()) {
    absl::StatusOr<std::string> made = db_.store().Get(
        db_.requests, store::KeyView(RequestKey(actor.user_id, request.request_id())));
    if (made.ok()) {
      absl::StatusOr<std::string> id = ReplayedId(*made, request, "upload");
      if (!id.ok()) return id.status();
      return Get(actor, absl::StrCat(kUploadsPrefix, *id), now);
    }
    if (!absl::IsNotFound(made.status())) return made.status();
  }
  std::string folder = request.parent();
  if (!request.node().empty()) {
    absl::StatusOr<v1::Node> file = tree_->WritableFile(actor, request.node(), "node");
    if (!file.ok()) return file.status();
    if (!folder.empty() && folder != file->parent()) {
      return kit::FieldError("parent", absl::StrCat("must be the folder holding ", request.node(),
                                                    " (", file->parent(), "), or empty"));
    }
    folder = file->parent();
  }
  absl::StatusOr<v1::Node> parent = tree_->WritableFolder(actor, folder, "parent");
  if (!parent.ok()) return parent.status();

  const std::string id = ids::NewId();
  const absl::Time expire = now + kLifetime;
  const std::string owner_id(absl::StripPrefix(parent->owner(), "users/"));
  absl::StatusOr<accounts::v1::QuotaReservation> reserved =
      ReserveOwners(actor, owner_id, id, request.size_bytes(), expire);
  if (!reserved.ok()) return reserved.status();

  v1::Upload upload;
  upload.set_name(absl::StrCat(kUploadsPrefix, id));
  upload.set_parent(parent->name());
  upload.set_owner(parent->owner());
  upload.set_uploader(UserName(actor.user_id));
  upload.set_node(request.node());
  upload.set_size_bytes(request.size_bytes());
  upload.set_upload_session(absl::StrCat("uploadSessions/", id));
  upload.set_state(v1::UPLOAD_STATE_OPEN);
  *upload.mutable_create_time() = auth::ProtoFromTime(now);
  *upload.mutable_expire_time() = auth::ProtoFromTime(expire);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.uploads, id, upload);
  for (const std::string& key : IndexKeys(upload, id)) {
    batch.Put(db_.user_uploads, store::KeyView(key), "");
  }
  if (!request.request_id().empty()) {
    batch.Put(db_.requests, store::KeyView(RequestKey(actor.user_id, request.request_id())),
              ReplayRecord(id, request));
  }
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) {
    (void)quota_->Release(owner_id, id);  // Best effort; it also expires on its own.
    return s;
  }
  return Present(std::move(upload), now);
}

absl::StatusOr<v1::Upload> Uploads::Get(const Actor& actor, absl::string_view name,
                                        absl::Time now) {
  absl::StatusOr<v1::Upload> upload = Load(actor, name, Seer::kUploaderOrOwner);
  if (!upload.ok()) return upload.status();
  if (upload->uploader() != UserName(actor.user_id)) {
    // The owner may see and abort it, not put chunks into it: no grant.
    upload->set_state(StateAt(*upload, now));
    return upload;
  }
  return Present(*std::move(upload), now);
}

absl::StatusOr<v1::Upload> Uploads::Abort(const Actor& actor, absl::string_view name,
                                          absl::Time now) {
  absl::StatusOr<v1::Upload> seen = Load(actor, name, Seer::kUploaderOrOwner);
  if (!seen.ok()) return seen.status();
  // The uploader's lock, whoever aborts: Commit holds it too, so an abort by the owner
  // and the uploader's commit never both act on one open upload.
  absl::MutexLock lock(&locks_.For(kit::IdOfName(seen->uploader())));
  absl::StatusOr<v1::Upload> upload = Load(actor, name, Seer::kUploaderOrOwner);
  if (!upload.ok()) return upload.status();
  if (upload->state() == v1::UPLOAD_STATE_COMMITTED) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " is committed; delete the file or version instead"));
  }
  if (upload->state() == v1::UPLOAD_STATE_ABORTED) return Present(*std::move(upload), now);
  if (absl::Status s = End(*upload); !s.ok()) return s;
  return Present(*std::move(upload), now);
}

absl::Status Uploads::End(v1::Upload& upload) {
  const std::string id(absl::StripPrefix(upload.name(), kUploadsPrefix));
  // Quota first: if it fails, the upload stays open and the member can abort again.
  if (absl::Status released = quota_->Release(absl::StripPrefix(upload.owner(), "users/"), id);
      !released.ok() && !absl::IsNotFound(released)) {
    return released;
  }
  upload.set_state(v1::UPLOAD_STATE_ABORTED);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.uploads, id, upload);
  Unindex(db_, upload, id, &batch);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  // Last, and best effort: a session left open expires on its own and is collected then.
  if (absl::Status s = blobs_->AbortSession(upload.upload_session()); !s.ok()) {
    kit::Log(spdlog::level::warn, "blob session not aborted",
             {{"upload", upload.name()}, {"error", s.message()}});
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> Uploads::AbortOrphaned(absl::string_view owner_id, absl::Time now) {
  std::vector<std::string> ids;
  {
    store::PrefixIterator it =
        db_.store().Scan(db_.user_uploads, {.prefix = store::KeyView(owner_id)});
    for (; it.Valid(); it.Next()) ids.emplace_back(it.key().substr(owner_id.size()));
    if (!it.status().ok()) return it.status();
  }
  uint64_t freed = 0;
  for (const std::string& id : ids) {
    absl::StatusOr<std::optional<v1::Upload>> found =
        store::FindRecord<v1::Upload>(db_.store(), db_.uploads, id);
    if (!found.ok()) return found.status();
    if (!found->has_value() || StateAt(**found, now) != v1::UPLOAD_STATE_OPEN) continue;
    absl::StatusOr<std::string> parent =
        db_.store().Get(db_.nodes, store::KeyView(kit::IdOfName((*found)->parent())));
    if (parent.ok()) continue;
    if (!absl::IsNotFound(parent.status())) return parent.status();
    // Its folder is gone: nothing can commit it any more. Under the uploader's lock, as
    // Abort, and only if it is still open.
    absl::MutexLock lock(&locks_.For(kit::IdOfName((*found)->uploader())));
    absl::StatusOr<std::optional<v1::Upload>> open =
        store::FindRecord<v1::Upload>(db_.store(), db_.uploads, id);
    if (!open.ok()) return open.status();
    if (!open->has_value() || (*open)->state() != v1::UPLOAD_STATE_OPEN) continue;
    if (absl::Status s = End(**open); !s.ok()) return s;
    freed += (*open)->size_bytes();
  }
  return freed;
}

absl::StatusOr<v1::ListUploadsResponse> Uploads::List(const Actor& actor,
                                                      const v1::ListUploadsRequest& request,
                                                      absl::Time now) {
  if (request.uploader() != "users/me" && request.uploader() != UserName(actor.user_id)) {
    return absl::PermissionDeniedError("only your own uploads: ask for uploader \"users/me\"");
  }
  absl::StatusOr<size_t> page_size = kit::PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (absl::Status s = kit::ValidatePageToken(request.page_token()); !s.ok()) return s;
  absl::MutexLock lock(&locks_.For(actor.user_id));
  const std::string after = store::JoinKey(actor.user_id, request.page_token());
  store::PrefixIterator it = db_.store().Scan(
      db_.user_uploads,
      {.prefix = store::KeyView(actor.user_id),
       .start_after =
           request.page_token().empty() ? std::nullopt : std::optional<std::string_view>(after)});
  v1::ListUploadsResponse response;
  store::WriteBatch forget;  // Entries of uploads that ended without saying so (expired).
  for (; it.Valid(); it.Next()) {
    const std::string id(it.key().substr(actor.user_id.size()));
    if (static_cast<size_t>(response.uploads_size()) == *page_size) {
      response.set_next_page_token(std::string(kit::IdOfName(response.uploads().rbegin()->name())));
      break;
    }
    absl::StatusOr<std::optional<v1::Upload>> found =
        store::FindRecord<v1::Upload>(db_.store(), db_.uploads, id);
    if (!found.ok()) return found.status();
    if (!found->has_value() || StateAt(**found, now) != v1::UPLOAD_STATE_OPEN) {
      forget.Delete(db_.user_uploads, it.key());
      continue;
    }
    *response.add_uploads() = **std::move(found);
  }
  if (!it.status().ok()) return it.status();
  if (forget.count() > 0) {
    // Not synced: an entry that comes back after a crash is forgotten again next time.
    if (absl::Status s = db_.store().Write(&forget, {.sync = false}); !s.ok()) return s;
  }
  return response;
}

absl::StatusOr<v1::CommitUploadResponse> Uploads::Commit(const Actor& actor,
                                                         const v1::CommitUploadRequest& request,
                                                         absl::Time now) {
  if (!request.has_new_file() && !request.has_new_version()) {
    return kit::FieldError("new_file", "say what the upload becomes: new_file (or new_version)");
  }
  if (absl::Status s = RequireBytes("nonce_prefix", request.nonce_prefix(), kNoncePrefixBytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = RequireSealed(
          {.attributes = &request.version_encrypted_attributes(), .prefix = "version_"});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> blob_id = kit::IdIn(request.blob(), "blobs", "blob");
  if (!blob_id.ok()) return blob_id.status();

  absl::MutexLock lock(&locks_.For(actor.user_id));
  absl::StatusOr<v1::Upload> upload = Load(actor, request.name());
  if (!upload.ok()) return upload.status();
  if (upload->state() == v1::UPLOAD_STATE_COMMITTED)
    return tree_->Committed(actor, upload->version());
  if (const v1::UploadState state = StateAt(*upload, now); state != v1::UPLOAD_STATE_OPEN) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.name(), " is ", v1::UploadState_Name(state), "; begin a new upload"));
  }
  absl::StatusOr<blobs::v1::Blob> blob = blobs_->Get(request.blob());
  if (absl::IsNotFound(blob.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        request.blob(), " does not exist: commit the upload session with the blob service first"));
  }
  if (!blob.ok()) return blob.status();
  if (blob->upload_session() != upload->upload_session()) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.blob(), " was not made by ", request.name(), "'s upload session"));
  }

  v1::Version version;
  version.set_blob(blob->name());
  version.set_size_bytes(blob->size_bytes());
  version.set_chunk_size_bytes(blob->chunk_size_bytes());
  version.set_chunk_count(blob->chunk_count());
  version.set_nonce_prefix(request.nonce_prefix());
  version.set_encrypted_attributes(request.version_encrypted_attributes());
  const std::string id(kit::IdOfName(upload->name()));
  store::WriteBatch batch;
  const auto record = [&](const v1::Version& made) -> absl::Status {
    if (absl::Status s = quota_->Commit(kit::IdOfName(upload->owner()), id, blob->size_bytes());
        !s.ok()) {
      return s;
    }
    upload->set_state(v1::UPLOAD_STATE_COMMITTED);
    upload->set_version(made.name());
    store::PutRecord(&batch, db_.uploads, id, *upload);
    Unindex(db_, *upload, id, &batch);
    return absl::OkStatus();
  };
  if (request.has_new_file()) {
    return tree_->CreateFile(actor, upload->parent(), request.new_file(), std::move(version),
                             &batch, record, now);
  }
  if (!upload->node().empty() && upload->node() != request.new_version().node()) {
    return kit::FieldError("new_version.node",
                           absl::StrCat("this upload was begun for ", upload->node()));
  }
  absl::StatusOr<VersionAdded> added = tree_->AddVersion(
      actor, request.new_version().node(), request.new_version().expected_head_version(),
      std::move(version), &batch, record, now);
  if (!added.ok()) return added.status();
  // After the write: a failure over-counts the owner's usage, never under-counts.
  GiveBack(upload->owner(), added->freed_bytes,
           absl::StrCat(added->made.version().name(), ":retention"));
  return std::move(added->made);
}

absl::StatusOr<v1::Node> Uploads::Copy(const Actor& actor, const v1::CopyNodeRequest& request,
                                       const Links& links, absl::Time now) {
  // Through a link, a file on sale passes the sale gate (Links::Open); without one, the
  // actor owns it or it is shared with them, and they hold its key already.
  absl::StatusOr<v1::Node> source = request.link().empty()
                                        ? tree_->Get(actor, request.source())
                                        : links.Open(request.link(), request.source(), &actor, now);
  if (!source.ok()) return source.status();
  return tree_->CopyFile(
      actor, *source, request,
      [&](const v1::Node& copy) -> absl::Status {
        const std::string owner(kit::IdOfName(copy.owner()));
        const std::string id(kit::IdOfName(copy.name()));
        absl::StatusOr<accounts::v1::QuotaReservation> reserved =
            ReserveOwners(actor, owner, id, copy.stored_bytes(), now + kLifetime);
        if (!reserved.ok()) return reserved.status();
        return quota_->Commit(owner, id, copy.stored_bytes());
      },
      now);
}

absl::StatusOr<accounts::v1::QuotaReservation> Uploads::ReserveOwners(const Actor& actor,
                                                                      const std::string& owner_id,
                                                                      const std::string& id,
                                                                      uint64_t size_bytes,
                                                                      absl::Time expire) {
  absl::StatusOr<accounts::v1::QuotaReservation> reserved =
      quota_->Reserve(owner_id, id, size_bytes, expire);
  if (absl::IsResourceExhausted(reserved.status()) && owner_id != actor.user_id) {
    // A writer in a shared folder fills its owner's quota, whose figures are the
    // owner's business, not the writer's.
    return kit::WithReason(absl::ResourceExhaustedError(absl::StrCat(
                               "the owner of this shared folder has no room for ", size_bytes,
                               " more bytes; ask them to free some, or put it in your own files")),
                           common::v1::ERROR_REASON_QUOTA_EXCEEDED);
  }
  return reserved;
}

void Uploads::GiveBack(absl::string_view owner, uint64_t bytes, absl::string_view request_id) {
  if (bytes == 0) return;
  if (absl::Status s =
          quota_->Adjust(kit::IdOfName(owner), -static_cast<int64_t>(bytes), request_id);
      !s.ok()) {
    kit::Log(spdlog::level::warn, "bytes not given back to the quota",
             {{"owner", owner}, {"request_id", request_id}, {"error", s.message()}});
  }
}

absl::StatusOr<v1::DownloadGrant> Uploads::IssueDownloadGrant(
    const Actor& actor, const v1::IssueDownloadGrantRequest& request, absl::Time now) const {
  absl::StatusOr<v1::Version> version = tree_->GetVersion(actor, request.node(), request.version());
  if (!version.ok()) return version.status();
  return DownloadGrantFor(*grant_key_, *std::move(version), UserName(actor.user_id), now);
}

}  // namespace bitcontent::metadata
