#include "services/metadata/link_view.h"

namespace bitcontent::metadata {

void ShowToLinkReader(absl::string_view link_root, v1::Node& node) {
  // Inside the linked folder a parent is part of what the link opens; above it, not.
  if (node.name() == link_root) node.clear_parent();
  node.clear_owner();
  node.clear_shared();
  node.set_access_role(v1::ACCESS_ROLE_READER);
  if (node.has_head_version()) ShowToLinkReader(*node.mutable_head_version());
}

void ShowToLinkReader(v1::Version& version) {
  version.clear_creator();
  version.clear_device_id();
}

}  // namespace bitcontent::metadata
