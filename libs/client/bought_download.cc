// FileTransfer (file_transfer.h): downloads of priced files through their links, by the
// member who bought them. Pricing released the file's key to the member (sealed to their
// X25519 key); metadata issues the grant only with their token and an entitlement.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/client/file_transfer.h"

namespace bitcontent::client {
namespace {

// "http://host:port/" and "host:port" name the same server.
absl::string_view ServerOf(absl::string_view address) {
  absl::ConsumePrefix(&address, "http://");
  while (absl::ConsumeSuffix(&address, "/")) {
  }
  return address;
}

}  // namespace

absl::Status FileTransfer::GetLinkedFile(const LinkedFile& file, const DownloadTarget& target) {
  const bool member = account_->AccessToken().ok() &&
                      ServerOf(file.url.server) == ServerOf(account_->options().server);
  // A file on sale inside a linked folder: the folder's key opens it, but its chunks go
  // only to its buyers (and owner, and members it is shared with), who ask with a token.
  if (file.entry.node.priced() && member) return GetBought(file, target);
  return GetLinked(file, target);
}

absl::Status FileTransfer::GetBought(const LinkedFile& file, const DownloadTarget& target) {
  if (ServerOf(file.url.server) != ServerOf(account_->options().server)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "this link is on ", file.url.server, " but you are logged in to ",
        account_->options().server, ": buy and download with --server ", file.url.server));
  }
  if (file.entry.key.empty()) {
    return absl::FailedPreconditionError(
        "the file's key is missing: pricing releases it to buyers");
  }
  return DownloadThroughLink(file, target, /*as_member=*/true);
}

}  // namespace bitcontent::client
