// Tree: what other services ask about any member's nodes (MetadataInternalService):
// a node without access checks, a member's role on it, and its price flag, which
// pricing keeps in step with the prices it holds.
#include "absl/strings/str_cat.h"
#include "libs/kit/resource_names.h"
#include "services/metadata/resource_names.h"
#include "services/metadata/tree.h"

namespace bitcontent::metadata {

absl::StatusOr<v1::Node> Tree::Lookup(absl::string_view name) const {
  absl::StatusOr<std::string> id = kit::IdIn(name, "nodes", "name");
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Node> node = LoadId(*id);
  if (!node.ok()) return node.status();
  absl::StatusOr<v1::Node> shown = Present(*std::move(node));
  if (!shown.ok()) return shown.status();
  // Nobody's view: the caller is a service, not a member.
  shown->clear_access_role();
  return shown;
}

absl::StatusOr<v1::AccessRole> Tree::AccessOf(absl::string_view name,
                                              absl::string_view user_id) const {
  absl::StatusOr<std::string> id = kit::IdIn(name, "nodes", "node");
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Node> node = LoadId(*id);
  if (!node.ok()) return node.status();
  return RoleOf(*node, user_id);
}

absl::StatusOr<v1::Node> Tree::SetPriced(absl::string_view name, bool priced, absl::Time now) {
  absl::StatusOr<std::string> id = kit::IdIn(name, "nodes", "node");
  if (!id.ok()) return id.status();
  absl::MutexLock lock(&LockOf(name));
  absl::StatusOr<v1::Node> node = LoadId(*id);  // As stored.
  if (!node.ok()) return node.status();
  if (node->type() != v1::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " is a folder: only files can be priced (price the files in it)"));
  }
  if (node->priced() != priced) {
    node->set_priced(priced);
    // The owner's change, made through pricing on their behalf: only owners set prices.
    const Actor owner{.user_id = std::string(kit::IdOfName(node->owner()))};
    store::WriteBatch batch;
    if (absl::Status s =
            CommitFileChange(&batch, owner, v1::CHANGE_TYPE_PRICING_CHANGED, *node, now);
        !s.ok()) {
      return s;
    }
  }
  return Lookup(name);
}

}  // namespace bitcontent::metadata
