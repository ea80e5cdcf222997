// The gRPC surface of the metadata service: each handler learns who calls (their
// verified access token), checks the scope an API key needs (files:read to look,
// files:write to change), calls the domain (tree.h, change_log.h) and ends through
// kit::Reply. RPCs of proto/bitcontent/metadata/v1/ not built yet answer UNIMPLEMENTED
// with a message naming the method (see the kit's interceptor), never a silent success.
#pragma once

#include <optional>

#include "bitcontent/metadata/v1/metadata_internal_service.grpc.pb.h"
#include "bitcontent/metadata/v1/metadata_service.grpc.pb.h"
#include "libs/keystore/signing_keys.h"
#include "libs/kit/access_token_verifier.h"
#include "services/metadata/change_log.h"
#include "services/metadata/links.h"
#include "services/metadata/shares.h"
#include "services/metadata/tree.h"
#include "services/metadata/uploads.h"

namespace bitcontent::metadata {

class MetadataService final : public v1::MetadataService::Service {
 public:
  // All must outlive the service.
  MetadataService(Tree* tree, const ChangeLog* changes, Uploads* uploads, Links* links,
                  Shares* shares, const kit::AccessTokenVerifier* verifier)
      : tree_(tree),
        changes_(changes),
        uploads_(uploads),
        links_(links),
        shares_(shares),
        verifier_(verifier) {}

  grpc::Status CreateRootNode(grpc::ServerContext* context,
                              const v1::CreateRootNodeRequest* request,
                              v1::Node* response) override;
  grpc::Status DeleteVersion(grpc::ServerContext* context, const v1::DeleteVersionRequest* request,
                             v1::DeleteVersionResponse* response) override;
  grpc::Status GetRetentionPolicy(grpc::ServerContext* context,
                                  const v1::GetRetentionPolicyRequest* request,
                                  v1::RetentionPolicy* response) override;
  grpc::Status UpdateRetentionPolicy(grpc::ServerContext* context,
                                     const v1::UpdateRetentionPolicyRequest* request,
                                     v1::RetentionPolicy* response) override;
  grpc::Status GetRootNode(grpc::ServerContext* context, const v1::GetRootNodeRequest* request,
                           v1::Node* response) override;
  grpc::Status CreateFolder(grpc::ServerContext* context, const v1::CreateFolderRequest* request,
                            v1::Node* response) override;
  grpc::Status GetNode(grpc::ServerContext* context, const v1::GetNodeRequest* request,
                       v1::Node* response) override;
  grpc::Status ListChildren(grpc::ServerContext* context, const v1::ListChildrenRequest* request,
                            v1::ListChildrenResponse* response) override;
  grpc::Status RenameNode(grpc::ServerContext* context, const v1::RenameNodeRequest* request,
                          v1::Node* response) override;
  grpc::Status MoveNode(grpc::ServerContext* context, const v1::MoveNodeRequest* request,
                        v1::Node* response) override;
  grpc::Status CopyNode(grpc::ServerContext* context, const v1::CopyNodeRequest* request,
                        v1::Node* response) override;
  grpc::Status TrashNode(grpc::ServerContext* context, const v1::TrashNodeRequest* request,
                         v1::Node* response) override;
  grpc::Status RestoreNode(grpc::ServerContext* context, const v1::RestoreNodeRequest* request,
                           v1::Node* response) override;
  grpc::Status PurgeNode(grpc::ServerContext* context, const v1::PurgeNodeRequest* request,
                         v1::PurgeNodeResponse* response) override;
  grpc::Status EmptyTrash(grpc::ServerContext* context, const v1::EmptyTrashRequest* request,
                          v1::EmptyTrashResponse* response) override;
  grpc::Status ListTrash(grpc::ServerContext* context, const v1::ListTrashRequest* request,
                         v1::ListTrashResponse* response) override;
  grpc::Status ListVersions(grpc::ServerContext* context, const v1::ListVersionsRequest* request,
                            v1::ListVersionsResponse* response) override;
  grpc::Status RestoreVersion(grpc::ServerContext* context,
                              const v1::RestoreVersionRequest* request,
                              v1::Node* response) override;
  grpc::Status BeginUpload(grpc::ServerContext* context, const v1::BeginUploadRequest* request,
                           v1::Upload* response) override;
  grpc::Status GetUpload(grpc::ServerContext* context, const v1::GetUploadRequest* request,
                         v1::Upload* response) override;
  grpc::Status AbortUpload(grpc::ServerContext* context, const v1::AbortUploadRequest* request,
                           v1::Upload* response) override;
  grpc::Status ListUploads(grpc::ServerContext* context, const v1::ListUploadsRequest* request,
                           v1::ListUploadsResponse* response) override;
  grpc::Status CommitUpload(grpc::ServerContext* context, const v1::CommitUploadRequest* request,
                            v1::CommitUploadResponse* response) override;
  grpc::Status IssueDownloadGrant(grpc::ServerContext* context,
                                  const v1::IssueDownloadGrantRequest* request,
                                  v1::DownloadGrant* response) override;
  grpc::Status CreateLink(grpc::ServerContext* context, const v1::CreateLinkRequest* request,
                          v1::Link* response) override;
  grpc::Status ListLinks(grpc::ServerContext* context, const v1::ListLinksRequest* request,
                         v1::ListLinksResponse* response) override;
  grpc::Status RevokeLink(grpc::ServerContext* context, const v1::RevokeLinkRequest* request,
                          v1::Link* response) override;
  // Anonymous (IssueLinkDownloadGrant: with the member's token when one is sent).
  grpc::Status ListLinkChildren(grpc::ServerContext* context,
                                const v1::ListLinkChildrenRequest* request,
                                v1::ListLinkChildrenResponse* response) override;
  grpc::Status ResolveLink(grpc::ServerContext* context, const v1::ResolveLinkRequest* request,
                           v1::ResolveLinkResponse* response) override;
  grpc::Status IssueLinkDownloadGrant(grpc::ServerContext* context,
                                      const v1::IssueLinkDownloadGrantRequest* request,
                                      v1::DownloadGrant* response) override;
  grpc::Status CreateShare(grpc::ServerContext* context, const v1::CreateShareRequest* request,
                           v1::Share* response) override;
  grpc::Status ListShares(grpc::ServerContext* context, const v1::ListSharesRequest* request,
                          v1::ListSharesResponse* response) override;
  grpc::Status UpdateShare(grpc::ServerContext* context, const v1::UpdateShareRequest* request,
                           v1::Share* response) override;
  grpc::Status DeleteShare(grpc::ServerContext* context, const v1::DeleteShareRequest* request,
                           v1::DeleteShareResponse* response) override;
  grpc::Status ListSharedWithMe(grpc::ServerContext* context,
                                const v1::ListSharedWithMeRequest* request,
                                v1::ListSharedWithMeResponse* response) override;
  grpc::Status ListChanges(grpc::ServerContext* context, const v1::ListChangesRequest* request,
                           v1::ListChangesResponse* response) override;
  grpc::Status GetChangeCursor(grpc::ServerContext* context,
                               const v1::GetChangeCursorRequest* request,
                               v1::GetChangeCursorResponse* response) override;

 private:
  // The calling member, if their token verifies and (for an API key) holds `scope`.
  absl::StatusOr<Actor> Caller(const grpc::ServerContext& context, common::v1::Scope scope) const;
  // For routes anyone may call (public links): none when the call carries no
  // "authorization" metadata, otherwise Caller (a token sent must verify).
  absl::StatusOr<std::optional<Actor>> OptionalCaller(const grpc::ServerContext& context,
                                                      common::v1::Scope scope) const;

  Tree* const tree_;
  const ChangeLog* const changes_;
  Uploads* const uploads_;
  Links* const links_;
  Shares* const shares_;
  const kit::AccessTokenVerifier* const verifier_;
};

// What other services ask metadata. Reached only inside the suite (the gateway does not
// expose *InternalService methods), so it checks no token: pricing and streaming ask
// about any member's nodes.
class MetadataInternalService final : public v1::MetadataInternalService::Service {
 public:
  // Both must outlive the service.
  MetadataInternalService(Tree* tree, const keystore::SigningKeys* grant_keys)
      : tree_(tree), grant_keys_(grant_keys) {}

  // A node without access checks (Tree::Lookup).
  grpc::Status LookupNode(grpc::ServerContext* context, const v1::LookupNodeRequest* request,
                          v1::Node* response) override;
  // A member's role on a node: owner, through a share, or none (allowed false).
  grpc::Status CheckNodeAccess(grpc::ServerContext* context,
                               const v1::CheckNodeAccessRequest* request,
                               v1::CheckNodeAccessResponse* response) override;
  // Pricing sets or clears a file's price flag (Tree::SetPriced).
  grpc::Status SetNodePriced(grpc::ServerContext* context, const v1::SetNodePricedRequest* request,
                             v1::Node* response) override;
  // UNIMPLEMENTED until metered streaming is built.
  grpc::Status IssueServiceGrant(grpc::ServerContext* context,
                                 const v1::IssueServiceGrantRequest* request,
                                 v1::DownloadGrant* response) override;
  // The public keys blobs verifies capability grants with.
  grpc::Status ListGrantSigningKeys(grpc::ServerContext* context,
                                    const v1::ListGrantSigningKeysRequest* request,
                                    v1::ListGrantSigningKeysResponse* response) override;

 private:
  Tree* const tree_;
  const keystore::SigningKeys* const grant_keys_;
};

}  // namespace bitcontent::metadata
