#include "libs/client/link_url.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/crypto/encoding.h"
#include "libs/ids/ids.h"

namespace bitcontent::client {
namespace {

constexpr absl::string_view kLinkPath = "/l/";
constexpr size_t kKeyBytes = 32;

}  // namespace

std::string FormatLinkUrl(const LinkUrl& link) {
  absl::string_view id = link.link;
  absl::ConsumePrefix(&id, "links/");
  if (link.key.empty()) return absl::StrCat(link.server, kLinkPath, id);
  return absl::StrCat(link.server, kLinkPath, id, "#", crypto::Base64UrlEncode(link.key));
}

bool IsLinkUrl(absl::string_view text) { return absl::StrContains(text, "://"); }

absl::StatusOr<std::string> LinkNameOf(absl::string_view text) {
  if (IsLinkUrl(text)) {
    absl::StatusOr<LinkUrl> url = ParseLinkUrl(text, LinkKey::kOptional);
    if (!url.ok()) return url.status();
    return std::move(url->link);
  }
  absl::string_view id = text;
  if (absl::ConsumePrefix(&id, "links/") && ids::IsValidId(id)) return std::string(text);
  return absl::InvalidArgumentError(
      absl::StrCat("\"", text,
                   "\" is not a link: give its URL (http://host:port/l/LINK#KEY, the key may be "
                   "left out) or links/LINK"));
}

absl::StatusOr<LinkUrl> ParseLinkUrl(absl::string_view url, LinkKey key_expected) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("\"", url, "\" is not a link: ", why));
  };
  const size_t path = url.find(kLinkPath, url.find("://") + 3);
  const size_t hash = url.find('#');
  const bool web = absl::StartsWith(url, "http://") || absl::StartsWith(url, "https://");
  if (!web || path == absl::string_view::npos) {
    return bad("expected http://host:port/l/LINK#KEY");
  }
  // "LINK#" (the key cut off in a copy) is a link without its key, not a damaged key.
  const bool keyless = hash == absl::string_view::npos || hash + 1 == url.size();
  if ((keyless && key_expected == LinkKey::kRequired) ||
      (hash != absl::string_view::npos && hash < path)) {
    return bad("the key after '#' is missing (copy the whole link)");
  }
  LinkUrl link;
  link.server = std::string(url.substr(0, path));
  const absl::string_view id = url.substr(
      path + kLinkPath.size(),
      hash == absl::string_view::npos ? absl::string_view::npos : hash - path - kLinkPath.size());
  if (!ids::IsValidId(id)) return bad("its id is not a link id");
  link.link = absl::StrCat("links/", id);
  if (keyless) return link;  // A sale link: the buyer gets the key from pricing.
  absl::StatusOr<std::string> key = crypto::Base64UrlDecode(url.substr(hash + 1));
  if (!key.ok() || key->size() != kKeyBytes) return bad("the key after '#' is damaged");
  link.key = *std::move(key);
  return link;
}

}  // namespace bitcontent::client
