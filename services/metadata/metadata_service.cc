#include "services/metadata/metadata_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/auth/bearer.h"
#include "libs/kit/error_details.h"
#include "libs/kit/reply.h"
#include "libs/kit/resource_names.h"
#include "services/metadata/resource_names.h"
#include "services/metadata/retention_sweeper.h"

namespace bitcontent::metadata {
namespace {

using common::v1::SCOPE_FILES_READ;
using common::v1::SCOPE_FILES_WRITE;

// Longest ListChanges may be asked to wait for a change.
constexpr uint32_t kChangeWaitMsMax = 60000;

}  // namespace

absl::StatusOr<Actor> MetadataService::Caller(const grpc::ServerContext& context,
                                              common::v1::Scope scope) const {
  absl::StatusOr<std::shared_ptr<const kit::AccessTokenVerifier::Claims>> claims =
      verifier_->VerifyCall(context, absl::Now());
  if (!claims.ok()) return claims.status();
  // Sessions hold every member scope; API keys only what the key was given.
  if (absl::Status scoped = kit::RequireScope(auth::PrincipalFromClaims(**claims), scope);
      !scoped.ok()) {
    return scoped;
  }
  return Actor{.user_id = std::string(kit::IdOfName((*claims)->user())),
               .device_id = (*claims)->device_id()};
}

absl::StatusOr<std::optional<Actor>> MetadataService::OptionalCaller(
    const grpc::ServerContext& context, common::v1::Scope scope) const {
  const auto& metadata = context.client_metadata();
  if (metadata.find(grpc::string_ref(auth::kAuthorizationKey.data(),
                                     auth::kAuthorizationKey.size())) == metadata.end()) {
    return std::nullopt;
  }
  // A token that was sent must verify: a member whose token expired learns it (and
  // refreshes) instead of being served as a stranger, as the gateway answers it.
  absl::StatusOr<Actor> actor = Caller(context, scope);
  if (!actor.ok()) return actor.status();
  return *std::move(actor);
}

grpc::Status MetadataService::CreateRootNode(grpc::ServerContext* context,
                                             const v1::CreateRootNodeRequest* request,
                                             v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->CreateRoot(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::GetRootNode(grpc::ServerContext* context,
                                          const v1::GetRootNodeRequest* request,
                                          v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  if (request->owner() != "users/me" && request->owner() != "users/" + actor->user_id) {
    return kit::Reply(context, absl::PermissionDeniedError(
                                   "only your own root folder: ask for owner \"users/me\""));
  }
  return kit::Reply(context, tree_->GetRoot(*actor), response);
}

grpc::Status MetadataService::CreateFolder(grpc::ServerContext* context,
                                           const v1::CreateFolderRequest* request,
                                           v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->CreateFolder(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::GetNode(grpc::ServerContext* context,
                                      const v1::GetNodeRequest* request, v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->Get(*actor, request->name()), response);
}

grpc::Status MetadataService::ListChildren(grpc::ServerContext* context,
                                           const v1::ListChildrenRequest* request,
                                           v1::ListChildrenResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  absl::StatusOr<ChildPage> page = tree_->ListChildren(*actor, *request);
  if (!page.ok()) return kit::Reply(context, page.status());
  for (v1::Node& node : page->nodes) *response->add_nodes() = std::move(node);
  response->set_next_page_token(page->next_page_token);
  response->set_change_sequence(page->change_sequence);
  return grpc::Status::OK;
}

grpc::Status MetadataService::RenameNode(grpc::ServerContext* context,
                                         const v1::RenameNodeRequest* request, v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->Rename(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::MoveNode(grpc::ServerContext* context,
                                       const v1::MoveNodeRequest* request, v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->Move(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::CopyNode(grpc::ServerContext* context,
                                       const v1::CopyNodeRequest* request, v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, uploads_->Copy(*actor, *request, *links_, absl::Now()), response);
}

grpc::Status MetadataService::TrashNode(grpc::ServerContext* context,
                                        const v1::TrashNodeRequest* request, v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->Trash(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::RestoreNode(grpc::ServerContext* context,
                                          const v1::RestoreNodeRequest* request,
                                          v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->Restore(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::PurgeNode(grpc::ServerContext* context,
                                        const v1::PurgeNodeRequest* request,
                                        v1::PurgeNodeResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  absl::StatusOr<v1::PurgeNodeResponse> purged = tree_->Purge(*actor, *request, absl::Now());
  if (!purged.ok()) return kit::Reply(context, purged.status());
  // Node ids are never reused, so the purge of one node gives its bytes back once.
  uploads_->GiveBack(UserName(actor->user_id), purged->freed_bytes(),
                     absl::StrCat("purge:", request->name()));
  absl::StatusOr<uint64_t> released = uploads_->AbortOrphaned(actor->user_id, absl::Now());
  if (!released.ok()) return kit::Reply(context, released.status());
  purged->set_freed_bytes(purged->freed_bytes() + *released);
  *response = *std::move(purged);
  return grpc::Status::OK;
}

grpc::Status MetadataService::EmptyTrash(grpc::ServerContext* context,
                                         const v1::EmptyTrashRequest* request,
                                         v1::EmptyTrashResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  // Each node in the trash is purged on its own (its own batch, its own quota refund),
  // so emptying again after a failure goes on where it stopped.
  v1::ListTrashRequest list;
  list.set_owner(request->owner());
  list.set_page_size(Tree::kPageSizeMax);
  while (true) {
    absl::StatusOr<v1::ListTrashResponse> page = tree_->ListTrash(*actor, list);
    if (!page.ok()) return kit::Reply(context, page.status());
    if (page->nodes().empty()) return grpc::Status::OK;
    for (const v1::Node& node : page->nodes()) {
      v1::PurgeNodeRequest purge;
      purge.set_name(node.name());
      absl::StatusOr<v1::PurgeNodeResponse> purged = tree_->Purge(*actor, purge, absl::Now());
      if (!purged.ok()) return kit::Reply(context, purged.status());
      uploads_->GiveBack(UserName(actor->user_id), purged->freed_bytes(),
                         absl::StrCat("purge:", node.name()));
      response->set_purged_node_count(response->purged_node_count() + purged->purged_node_count());
      response->set_freed_bytes(response->freed_bytes() + purged->freed_bytes());
    }
    absl::StatusOr<uint64_t> released = uploads_->AbortOrphaned(actor->user_id, absl::Now());
    if (!released.ok()) return kit::Reply(context, released.status());
    response->set_freed_bytes(response->freed_bytes() + *released);
  }
}

grpc::Status MetadataService::ListTrash(grpc::ServerContext* context,
                                        const v1::ListTrashRequest* request,
                                        v1::ListTrashResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->ListTrash(*actor, *request), response);
}

grpc::Status MetadataService::ListVersions(grpc::ServerContext* context,
                                           const v1::ListVersionsRequest* request,
                                           v1::ListVersionsResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->ListVersions(*actor, *request), response);
}

grpc::Status MetadataService::RestoreVersion(grpc::ServerContext* context,
                                             const v1::RestoreVersionRequest* request,
                                             v1::Node* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->RestoreVersion(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::DeleteVersion(grpc::ServerContext* context,
                                            const v1::DeleteVersionRequest* request,
                                            v1::DeleteVersionResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  absl::StatusOr<VersionDeleted> deleted = tree_->DeleteVersion(*actor, *request, absl::Now());
  if (!deleted.ok()) return kit::Reply(context, deleted.status());
  // Version ids are never reused, so each deletion gives its bytes back once.
  uploads_->GiveBack(deleted->owner, deleted->freed_bytes,
                     absl::StrCat("delete-version:", request->name()));
  response->set_freed_bytes(deleted->freed_bytes);
  return grpc::Status::OK;
}

grpc::Status MetadataService::GetRetentionPolicy(grpc::ServerContext* context,
                                                 const v1::GetRetentionPolicyRequest* request,
                                                 v1::RetentionPolicy* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, tree_->GetRetentionPolicy(*actor, request->name()), response);
}

grpc::Status MetadataService::UpdateRetentionPolicy(grpc::ServerContext* context,
                                                    const v1::UpdateRetentionPolicyRequest* request,
                                                    v1::RetentionPolicy* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  const absl::Time now = absl::Now();
  absl::StatusOr<v1::RetentionPolicy> policy = tree_->UpdateRetentionPolicy(*actor, *request, now);
  if (!policy.ok()) return kit::Reply(context, policy.status());
  // Excess versions go at once. Should this fail half way, the policy stands and the
  // next sweep (or update) finishes the job.
  if (absl::Status s = ExpireVersionsOf(*tree_, *uploads_, actor->user_id, now); !s.ok()) {
    return kit::Reply(context, s);
  }
  *response = *std::move(policy);
  return grpc::Status::OK;
}

grpc::Status MetadataService::BeginUpload(grpc::ServerContext* context,
                                          const v1::BeginUploadRequest* request,
                                          v1::Upload* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, uploads_->Begin(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::GetUpload(grpc::ServerContext* context,
                                        const v1::GetUploadRequest* request, v1::Upload* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, uploads_->Get(*actor, request->name(), absl::Now()), response);
}

grpc::Status MetadataService::AbortUpload(grpc::ServerContext* context,
                                          const v1::AbortUploadRequest* request,
                                          v1::Upload* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, uploads_->Abort(*actor, request->name(), absl::Now()), response);
}

grpc::Status MetadataService::ListUploads(grpc::ServerContext* context,
                                          const v1::ListUploadsRequest* request,
                                          v1::ListUploadsResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, uploads_->List(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::CommitUpload(grpc::ServerContext* context,
                                           const v1::CommitUploadRequest* request,
                                           v1::CommitUploadResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, uploads_->Commit(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::IssueDownloadGrant(grpc::ServerContext* context,
                                                 const v1::IssueDownloadGrantRequest* request,
                                                 v1::DownloadGrant* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, uploads_->IssueDownloadGrant(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::CreateLink(grpc::ServerContext* context,
                                         const v1::CreateLinkRequest* request, v1::Link* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, links_->Create(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::ListLinks(grpc::ServerContext* context,
                                        const v1::ListLinksRequest* request,
                                        v1::ListLinksResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, links_->List(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::RevokeLink(grpc::ServerContext* context,
                                         const v1::RevokeLinkRequest* request, v1::Link* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, links_->Revoke(*actor, request->name(), absl::Now()), response);
}

grpc::Status MetadataService::ResolveLink(grpc::ServerContext* context,
                                          const v1::ResolveLinkRequest* request,
                                          v1::ResolveLinkResponse* response) {
  return kit::Reply(context, links_->Resolve(request->name(), absl::Now()), response);
}

grpc::Status MetadataService::ListLinkChildren(grpc::ServerContext* context,
                                               const v1::ListLinkChildrenRequest* request,
                                               v1::ListLinkChildrenResponse* response) {
  return kit::Reply(context, links_->ListChildren(*request, absl::Now()), response);
}

grpc::Status MetadataService::IssueLinkDownloadGrant(
    grpc::ServerContext* context, const v1::IssueLinkDownloadGrantRequest* request,
    v1::DownloadGrant* response) {
  // Anyone with the link; a member's token, when the call carries one, says who asks,
  // which a file on sale needs (the buyer, or a member it is shared with).
  absl::StatusOr<std::optional<Actor>> reader = OptionalCaller(*context, SCOPE_FILES_READ);
  if (!reader.ok()) return kit::Reply(context, reader.status());
  return kit::Reply(
      context,
      links_->IssueDownloadGrant(*request, reader->has_value() ? &**reader : nullptr, absl::Now()),
      response);
}

grpc::Status MetadataService::CreateShare(grpc::ServerContext* context,
                                          const v1::CreateShareRequest* request,
                                          v1::Share* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, shares_->Create(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::ListShares(grpc::ServerContext* context,
                                         const v1::ListSharesRequest* request,
                                         v1::ListSharesResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, shares_->List(*actor, *request), response);
}

grpc::Status MetadataService::UpdateShare(grpc::ServerContext* context,
                                          const v1::UpdateShareRequest* request,
                                          v1::Share* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, shares_->Update(*actor, *request, absl::Now()), response);
}

grpc::Status MetadataService::DeleteShare(grpc::ServerContext* context,
                                          const v1::DeleteShareRequest* request,
                                          v1::DeleteShareResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_WRITE);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, shares_->Delete(*actor, request->name(), absl::Now()));
}

grpc::Status MetadataService::ListSharedWithMe(grpc::ServerContext* context,
                                               const v1::ListSharedWithMeRequest* request,
                                               v1::ListSharedWithMeResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  return kit::Reply(context, shares_->ListSharedWithMe(*actor, *request), response);
}

grpc::Status MetadataService::ListChanges(grpc::ServerContext* context,
                                          const v1::ListChangesRequest* request,
                                          v1::ListChangesResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  // Long-polling is not built yet: the call answers at once, which "wait up to" allows.
  if (request->wait_timeout_ms() > kChangeWaitMsMax) {
    return kit::Reply(context, kit::FieldError("wait_timeout_ms",
                                               absl::StrCat("must be 0 to ", kChangeWaitMsMax)));
  }
  absl::StatusOr<ChangePage> page =
      changes_->List(actor->user_id, request->since_sequence(), request->page_size());
  if (!page.ok()) return kit::Reply(context, page.status());
  for (v1::Change& change : page->changes) *response->add_changes() = std::move(change);
  response->set_last_sequence(page->last_sequence);
  response->set_has_more(page->has_more);
  return grpc::Status::OK;
}

grpc::Status MetadataService::GetChangeCursor(grpc::ServerContext* context,
                                              const v1::GetChangeCursorRequest* request,
                                              v1::GetChangeCursorResponse* response) {
  absl::StatusOr<Actor> actor = Caller(*context, SCOPE_FILES_READ);
  if (!actor.ok()) return kit::Reply(context, actor.status());
  absl::StatusOr<uint64_t> head = changes_->Head(actor->user_id);
  if (!head.ok()) return kit::Reply(context, head.status());
  response->set_sequence(*head);
  return grpc::Status::OK;
}

grpc::Status MetadataInternalService::LookupNode(grpc::ServerContext* context,
                                                 const v1::LookupNodeRequest* request,
                                                 v1::Node* response) {
  return kit::Reply(context, tree_->Lookup(request->name()), response);
}

grpc::Status MetadataInternalService::CheckNodeAccess(grpc::ServerContext* context,
                                                      const v1::CheckNodeAccessRequest* request,
                                                      v1::CheckNodeAccessResponse* response) {
  absl::StatusOr<std::string> user_id = kit::IdIn(request->user(), "users", "user");
  if (!user_id.ok()) return kit::Reply(context, user_id.status());
  absl::StatusOr<v1::AccessRole> role = tree_->AccessOf(request->node(), *user_id);
  if (!role.ok()) return kit::Reply(context, role.status());
  response->set_allowed(*role != v1::ACCESS_ROLE_UNSPECIFIED);
  response->set_role(*role);
  return grpc::Status::OK;
}

grpc::Status MetadataInternalService::SetNodePriced(grpc::ServerContext* context,
                                                    const v1::SetNodePricedRequest* request,
                                                    v1::Node* response) {
  return kit::Reply(context, tree_->SetPriced(request->node(), request->priced(), absl::Now()),
                    response);
}

grpc::Status MetadataInternalService::IssueServiceGrant(grpc::ServerContext* context,
                                                        const v1::IssueServiceGrantRequest* request,
                                                        v1::DownloadGrant* response) {
  return kit::Reply(
      context, absl::UnimplementedError("IssueServiceGrant is not built yet: it serves metered "
                                        "streaming, which comes with the streaming service"));
}

grpc::Status MetadataInternalService::ListGrantSigningKeys(
    grpc::ServerContext* context, const v1::ListGrantSigningKeysRequest* request,
    v1::ListGrantSigningKeysResponse* response) {
  for (const common::v1::PublicKey& key : grant_keys_->public_keys()) *response->add_keys() = key;
  return grpc::Status::OK;
}

}  // namespace bitcontent::metadata
