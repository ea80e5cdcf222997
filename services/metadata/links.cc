#include "services/metadata/links.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/metadata/field_checks.h"
#include "services/metadata/grants.h"
#include "services/metadata/link_view.h"
#include "services/metadata/request_replays.h"
#include "services/metadata/resource_names.h"

namespace bitcontent::metadata {
namespace {

using common::v1::ERROR_REASON_LINK_INACTIVE;

constexpr absl::string_view kLinksPrefix = "links/";

// Keys of link request ids in the requests family, apart from node creations.
std::string RequestKey(absl::string_view user_id, absl::string_view request_id) {
  return store::JoinKey(user_id, "link/", request_id);
}

bool Active(const v1::Link& link) { return link.state() == v1::LINK_STATE_ACTIVE; }

}  // namespace

absl::StatusOr<v1::Link> Links::Load(absl::string_view name, absl::string_view field,
                                     absl::Time now) const {
  absl::StatusOr<std::string> id = kit::IdIn(name, "links", field);
  if (!id.ok()) return id.status();
  absl::StatusOr<std::optional<v1::Link>> found =
      store::FindRecord<v1::Link>(db_.store(), db_.links, *id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "there is no ", name, ": check that the link was copied whole, or ask its owner for it"));
  }
  v1::Link link = **std::move(found);
  if (Active(link) && link.has_expire_time() && auth::TimeFromProto(link.expire_time()) <= now) {
    link.set_state(v1::LINK_STATE_EXPIRED);
  }
  return link;
}

absl::StatusOr<v1::Link> Links::LoadActive(absl::string_view name, absl::Time now) const {
  absl::StatusOr<v1::Link> link = Load(name, "link", now);
  if (!link.ok()) return link.status();
  if (!Active(*link)) {
    return kit::WithReason(
        absl::FailedPreconditionError(absl::StrCat(
            name, link->state() == v1::LINK_STATE_REVOKED ? " was revoked" : " has expired",
            "; ask its owner for a new link")),
        ERROR_REASON_LINK_INACTIVE);
  }
  // Only a node's owner makes links to it (Create). A link whose node its creator does
  // not own (one a member made before that was checked) opens nothing: its owner could
  // neither see nor revoke it, and it would outlive the share it came from.
  absl::StatusOr<v1::AccessRole> role =
      tree_->AccessOf(link->node(), kit::IdOfName(link->creator()));
  if (absl::IsNotFound(role.status())) return link;  // Purged: the caller says it is gone.
  if (!role.ok()) return role.status();
  if (*role != v1::ACCESS_ROLE_OWNER) {
    return kit::WithReason(absl::FailedPreconditionError(absl::StrCat(
                               name,
                               " opens nothing: it was made by a member who does not own what it "
                               "points to; ask the owner for a link")),
                           ERROR_REASON_LINK_INACTIVE);
  }
  // An operator who disables a member takes down what they published.
  if (absl::Status active = members_->RequireActive(link->creator()); !active.ok()) {
    if (!absl::IsNotFound(active)) return active;
    return kit::WithReason(absl::FailedPreconditionError(absl::StrCat(
                               name, " opens nothing now: the account that made it is disabled")),
                           ERROR_REASON_LINK_INACTIVE);
  }
  return link;
}

absl::StatusOr<v1::Link> Links::Create(const Actor& actor, const v1::CreateLinkRequest& request,
                                       absl::Time now) {
  if (absl::Status s = RequireRequestId(request.request_id()); !s.ok()) return s;
  if (absl::StatusOr<std::string> node = kit::IdIn(request.node(), "nodes", "node"); !node.ok()) {
    return node.status();
  }
  if (request.has_expire_time() && auth::TimeFromProto(request.expire_time()) <= now) {
    return kit::FieldError("expire_time", "must be in the future (or unset: no expiry)");
  }
  absl::MutexLock lock(&locks_.For(actor.user_id));
  if (!request.request_id().empty()) {
    absl::StatusOr<std::string> made = db_.store().Get(
        db_.requests, store::KeyView(RequestKey(actor.user_id, request.request_id())));
    if (made.ok()) {
      absl::StatusOr<std::string> id = ReplayedId(*made, request, "link");
      if (!id.ok()) return id.status();
      return Load(absl::StrCat(kLinksPrefix, *id), "name", now);
    }
    if (!absl::IsNotFound(made.status())) return made.status();
  }
  absl::StatusOr<v1::Node> node = tree_->Get(actor, request.node());
  if (!node.ok()) return node.status();
  // A link hands the node to anyone, for as long as its creator lets it live: that is
  // the owner's call alone, and the owner's list of links must hold every link to their
  // nodes so that they can revoke it. The server knows no path, hence no name here.
  if (node->access_role() != v1::ACCESS_ROLE_OWNER) {
    return absl::PermissionDeniedError(
        "only the folder's owner can make links to what is shared with you");
  }
  if (node->state() != v1::NODE_STATE_ACTIVE) {
    return absl::FailedPreconditionError(
        absl::StrCat(request.node(), " is in the trash; restore it before linking to it"));
  }
  // A link to the root would hand out the whole account, everything put in it later too.
  if (node->parent().empty()) {
    return absl::FailedPreconditionError(
        "your root folder cannot have a link: it would hand out everything you have; "
        "link a folder in it instead");
  }
  const std::string id = ids::NewRandomId();
  v1::Link link;
  link.set_name(absl::StrCat(kLinksPrefix, id));
  link.set_node(node->name());
  link.set_creator(UserName(actor.user_id));
  link.set_state(v1::LINK_STATE_ACTIVE);
  *link.mutable_create_time() = auth::ProtoFromTime(now);
  if (request.has_expire_time()) *link.mutable_expire_time() = request.expire_time();
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.links, id, link);
  batch.Put(db_.user_links, store::KeyView(store::JoinKey(actor.user_id, id)), "");
  if (!request.request_id().empty()) {
    batch.Put(db_.requests, store::KeyView(RequestKey(actor.user_id, request.request_id())),
              ReplayRecord(id, request));
  }
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return link;
}

absl::StatusOr<v1::Link> Links::Revoke(const Actor& actor, absl::string_view name, absl::Time now) {
  absl::MutexLock lock(&locks_.For(actor.user_id));
  absl::StatusOr<v1::Link> link = Load(name, "name", now);
  if (!link.ok()) return link.status();
  if (link->creator() != UserName(actor.user_id)) {
    return absl::NotFoundError(absl::StrCat(name, " not found"));
  }
  if (link->state() == v1::LINK_STATE_REVOKED) return link;
  link->set_state(v1::LINK_STATE_REVOKED);
  *link->mutable_revoke_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.links, kit::IdOfName(link->name()), *link);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return link;
}

absl::StatusOr<v1::ListLinksResponse> Links::List(const Actor& actor,
                                                  const v1::ListLinksRequest& request,
                                                  absl::Time now) const {
  if (request.owner() != "users/me" && request.owner() != UserName(actor.user_id)) {
    return absl::PermissionDeniedError("only your own links: ask for owner \"users/me\"");
  }
  absl::StatusOr<size_t> page_size = kit::PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (absl::Status s = kit::ValidatePageToken(request.page_token()); !s.ok()) return s;
  const std::string after = store::JoinKey(actor.user_id, request.page_token());
  store::PrefixIterator it = db_.store().Scan(
      db_.user_links,
      {.prefix = store::KeyView(actor.user_id),
       .start_after =
           request.page_token().empty() ? std::nullopt : std::optional<std::string_view>(after)});
  v1::ListLinksResponse response;
  for (; it.Valid(); it.Next()) {
    const std::string id(it.key().substr(actor.user_id.size()));
    if (static_cast<size_t>(response.links_size()) == *page_size) {
      response.set_next_page_token(response.links().rbegin()->name().substr(kLinksPrefix.size()));
      break;
    }
    absl::StatusOr<v1::Link> link = Load(absl::StrCat(kLinksPrefix, id), "name", now);
    if (!link.ok()) return link.status();
    if (!request.node().empty() && link->node() != request.node()) continue;
    if (!Active(*link) && !request.show_inactive()) continue;
    *response.add_links() = *std::move(link);
  }
  if (!it.status().ok()) return it.status();
  return response;
}

absl::StatusOr<v1::ResolveLinkResponse> Links::Resolve(absl::string_view name,
                                                       absl::Time now) const {
  absl::StatusOr<v1::Link> link = LoadActive(name, now);
  if (!link.ok()) return link.status();
  absl::StatusOr<v1::Node> node = tree_->GetThroughLink(link->node(), "");
  if (absl::IsNotFound(node.status())) {
    return absl::NotFoundError(absl::StrCat("what ", name, " opened is gone"));
  }
  if (!node.ok()) return node.status();
  v1::ResolveLinkResponse response;
  // Who made it stays with the owner: an anonymous reader learns the link and the node.
  link->clear_creator();
  *response.mutable_link() = *std::move(link);
  *response.mutable_node() = *std::move(node);
  return response;
}

absl::Status Links::RequireSaleAllows(const v1::Node& node, const Actor* reader) const {
  if (!node.priced() || node.type() != v1::NODE_TYPE_FILE) return absl::OkStatus();
  if (reader != nullptr) {
    // The owner and the members it is shared with hold its key already (see links.h).
    absl::StatusOr<v1::AccessRole> role = tree_->AccessOf(node.name(), reader->user_id);
    if (!role.ok()) return role.status();
    if (*role != v1::ACCESS_ROLE_UNSPECIFIED) return absl::OkStatus();
  }
  return RequireSale(*sale_gate_, node.name(), reader != nullptr ? reader->user_id : "");
}

absl::StatusOr<v1::Node> Links::Open(absl::string_view link_name, absl::string_view node,
                                     const Actor* reader, absl::Time now) const {
  absl::StatusOr<v1::Link> link = LoadActive(link_name, now);
  if (!link.ok()) return link.status();
  absl::StatusOr<v1::Node> opened = tree_->GetThroughLink(link->node(), node);
  if (!opened.ok()) return opened.status();
  if (absl::Status s = RequireSaleAllows(*opened, reader); !s.ok()) return s;
  return opened;
}

absl::StatusOr<v1::ListLinkChildrenResponse> Links::ListChildren(
    const v1::ListLinkChildrenRequest& request, absl::Time now) const {
  absl::StatusOr<v1::Link> link = LoadActive(request.link(), now);
  if (!link.ok()) return link.status();
  absl::StatusOr<ChildPage> page = tree_->ListChildrenThroughLink(link->node(), request);
  if (!page.ok()) return page.status();
  v1::ListLinkChildrenResponse response;
  for (v1::Node& node : page->nodes) *response.add_nodes() = std::move(node);
  response.set_next_page_token(std::move(page->next_page_token));
  return response;
}

absl::StatusOr<v1::DownloadGrant> Links::IssueDownloadGrant(
    const v1::IssueLinkDownloadGrantRequest& request, const Actor* reader, absl::Time now) {
  absl::StatusOr<v1::Link> link = LoadActive(request.link(), now);
  if (!link.ok()) return link.status();
  absl::StatusOr<v1::Node> node = tree_->GetThroughLink(link->node(), request.node());
  if (!node.ok()) return node.status();
  // Before the version: a file for sale does not even say which versions it has.
  if (absl::Status s = RequireSaleAllows(*node, reader); !s.ok()) return s;
  absl::StatusOr<v1::Version> version = tree_->VersionOf(*node, request.version());
  if (!version.ok()) return version.status();
  {
    // Counted without a sync: a count lost in a crash is not worth a disk flush per grant.
    absl::MutexLock lock(&locks_.For(link->name()));
    absl::StatusOr<v1::Link> stored = Load(link->name(), "link", now);
    if (!stored.ok()) return stored.status();
    stored->set_download_count(stored->download_count() + 1);
    if (stored->state() == v1::LINK_STATE_EXPIRED) stored->set_state(v1::LINK_STATE_ACTIVE);
    store::WriteBatch batch;
    store::PutRecord(&batch, db_.links, kit::IdOfName(stored->name()), *stored);
    if (absl::Status s = db_.store().Write(&batch, {.sync = false}); !s.ok()) return s;
  }
  ShowToLinkReader(*version);
  return DownloadGrantFor(*grant_key_, *std::move(version), link->name(), now);
}

}  // namespace bitcontent::metadata
