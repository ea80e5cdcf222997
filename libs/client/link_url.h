// Public link URLs: http://<host:port>/l/{link}#<node key, base64url>. The fragment never
// leaves the client (browsers do not send it, nor does this engine), so the server knows
// which node a link opens but cannot read it.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::client {

struct LinkUrl {
  std::string server = {};  // "http://host:port"
  std::string link = {};    // "links/{link}"
  std::string key = {};     // the node's 32-byte key
};

std::string FormatLinkUrl(const LinkUrl& link);

// INVALID_ARGUMENT saying what is wrong when `url` is not a link URL with its key.
absl::StatusOr<LinkUrl> ParseLinkUrl(absl::string_view url);

// Whether `text` looks like a link URL rather than a path in the tree.
bool IsLinkUrl(absl::string_view text);

}  // namespace bitcontent::client
