#include "services/metadata/metadata_db.h"

namespace bitcontent::metadata {

absl::StatusOr<std::unique_ptr<store::Store>> MetadataDb::OpenStore(const std::string& path) {
  return store::Store::Open(
      {.path = path,
       .column_families = {"nodes", "children", "names", "roots", "requests", "trash", "changes",
                           "change_heads", "uploads", "versions", "links", "user_links", "shares",
                           "user_shares", "signing_keys", "blob_reference_outbox",
                           "retention_policies", "user_uploads"}});
}

MetadataDb::MetadataDb(store::Store* store)
    : nodes(store->MustFamily("nodes")),
      children(store->MustFamily("children")),
      names(store->MustFamily("names")),
      roots(store->MustFamily("roots")),
      requests(store->MustFamily("requests")),
      trash(store->MustFamily("trash")),
      changes(store->MustFamily("changes")),
      change_heads(store->MustFamily("change_heads")),
      uploads(store->MustFamily("uploads")),
      versions(store->MustFamily("versions")),
      links(store->MustFamily("links")),
      user_links(store->MustFamily("user_links")),
      shares(store->MustFamily("shares")),
      user_shares(store->MustFamily("user_shares")),
      signing_keys(store->MustFamily("signing_keys")),
      blob_reference_outbox(store->MustFamily("blob_reference_outbox")),
      retention_policies(store->MustFamily("retention_policies")),
      user_uploads(store->MustFamily("user_uploads")),
      store_(store) {}

}  // namespace bitcontent::metadata
