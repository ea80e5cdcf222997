// What a public link's reader is shown of the nodes and versions it opens. A link needs
// no account, so its reader learns the nodes' ciphertext, sizes and times, and nothing of
// who owns or made them (owner, the version's creator and device), whether the owner
// shared them with anyone, or where the linked node sits in the owner's tree (its
// parent): two links of one member must not be tied together by those.
#pragma once

#include "absl/strings/string_view.h"
#include "bitcontent/metadata/v1/nodes.pb.h"

namespace bitcontent::metadata {

// `node`, read only, as the reader of the link to `link_root` sees it.
void ShowToLinkReader(absl::string_view link_root, v1::Node& node);
void ShowToLinkReader(v1::Version& version);

}  // namespace bitcontent::metadata
