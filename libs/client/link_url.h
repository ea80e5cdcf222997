// Public link URLs: http://<host:port>/l/{link}#<node key, base64url>. The fragment never
// leaves the client (browsers do not send it, nor does this engine), so the server knows
// which node a link opens but cannot read it.
//
// A sale link, to a priced file, has no fragment: the key never travels in it. Buyers
// get the key from pricing once they have paid (pricing_client.h).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::client {

struct LinkUrl {
  std::string server = {};  // "http://host:port"
  std::string link = {};    // "links/{link}"
  std::string key = {};     // the node's 32-byte key; empty in a sale link
};

// The URL of `link`: without a fragment when its key is empty (a sale link).
std::string FormatLinkUrl(const LinkUrl& link);

// Whether a link URL's key must be there (a link to read) or may be missing (a sale link).
enum class LinkKey { kRequired, kOptional };

// INVALID_ARGUMENT saying what is wrong when `url` is not a link URL with its key (or,
// with LinkKey::kOptional, without one).
absl::StatusOr<LinkUrl> ParseLinkUrl(absl::string_view url, LinkKey key = LinkKey::kRequired);

// Whether `text` is meant as a link URL rather than a path in the tree: it has a scheme
// ("://", which no path can hold). ParseLinkUrl then says what is wrong with a bad one,
// instead of a lookup of a path nobody meant.
bool IsLinkUrl(absl::string_view text);

// The link `text` names, as "links/{link}": its URL (with its key or without) or that
// name itself. INVALID_ARGUMENT naming both accepted forms otherwise, so that no other
// resource name ("users/me/apiKeys/...") is ever taken for a link.
absl::StatusOr<std::string> LinkNameOf(absl::string_view text);

}  // namespace bitcontent::client
