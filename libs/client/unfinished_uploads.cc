#include "libs/client/unfinished_uploads.h"

#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/client/credential_store.h"
#include "libs/client/transfer_lock.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/ids/ids.h"

namespace bitcontent::client {
namespace {

namespace md = metadata::v1;

constexpr absl::string_view kPendingPrefix = "upload-";
constexpr absl::string_view kPendingSuffix = ".pending";
constexpr int kPageSize = 100;

// The email `uploader` ("users/{id}") was given when the folder at `folder_path` ("/A/B/"),
// or one above it, was shared with them; empty when no share says.
std::string EmailSharedWith(TreeClient& tree, absl::string_view folder_path,
                            absl::string_view uploader) {
  for (std::string path(absl::StripSuffix(folder_path, "/")); !path.empty();
       path.resize(path.rfind('/'))) {
    absl::StatusOr<std::vector<md::Share>> shares = tree.Shares(path);
    if (!shares.ok()) continue;
    for (const md::Share& share : *shares) {
      if (share.recipient() == uploader) return share.recipient_email();
    }
  }
  return "";
}

}  // namespace

std::string PendingUploadFileName(absl::string_view server, absl::string_view local,
                                  absl::string_view parent, absl::string_view name) {
  const std::string key =
      crypto::Blake2b256(absl::StrCat(server, "\n", local, "\n", parent, "\n", name));
  return absl::StrCat(kPendingPrefix, crypto::HexEncode(key).substr(0, 32), kPendingSuffix);
}

std::string UploadLockFileName(absl::string_view pending_name) {
  return absl::StrCat(absl::StripSuffix(pending_name, kPendingSuffix), ".lock");
}

absl::Status AbortUpload(AccountClient& account, absl::string_view upload) {
  const md::AbortUploadRequest request;  // Named by the path.
  md::Upload aborted;
  absl::Status s =
      account.CallAsMember("POST", absl::StrCat("/v1/", upload, ":abort"), &request, &aborted);
  // An upload that ended on its own (expired) or was aborted already holds nothing.
  return absl::IsNotFound(s) ? absl::OkStatus() : s;
}

std::vector<std::pair<std::string, v1::PendingUpload>> UnfinishedUploads::Saved() const {
  std::vector<std::pair<std::string, v1::PendingUpload>> saved;
  const std::string& directory = account_->options().config_dir;
  const CredentialStore store(directory);
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    const std::string file = entry.path().filename().string();
    if (!absl::StartsWith(file, kPendingPrefix) || !absl::EndsWith(file, kPendingSuffix)) continue;
    absl::StatusOr<std::string> bytes = store.ReadPrivateFile(file);
    v1::PendingUpload pending;
    if (!bytes.ok() || !pending.ParseFromString(*bytes)) continue;
    saved.emplace_back(file, std::move(pending));
  }
  return saved;
}

absl::StatusOr<std::vector<UnfinishedUpload>> UnfinishedUploads::List() {
  absl::StatusOr<std::string> member = account_->UserName();
  if (!member.ok()) return member.status();
  std::vector<UnfinishedUpload> listed;
  std::string page_token;
  do {
    md::ListUploadsResponse page;
    absl::Status s =
        account_->CallAsMember("GET",
                               absl::StrCat("/v1/users/me/uploads?pageSize=", kPageSize,
                                            page_token.empty() ? "" : "&pageToken=", page_token),
                               nullptr, &page);
    if (!s.ok()) return s;
    for (md::Upload& upload : *page.mutable_uploads()) {
      const bool begun = upload.uploader() == *member;
      const bool holds = upload.owner() == *member;
      listed.push_back(
          {.upload = std::move(upload), .begun_by_member = begun, .holds_member_quota = holds});
    }
    page_token = page.next_page_token();
  } while (!page_token.empty() && listed.size() < static_cast<size_t>(kListedMax));

  const std::string& directory = account_->options().config_dir;
  const CredentialStore store(directory);
  for (auto& [file, pending] : Saved()) {
    const std::string lock = absl::StrCat(directory, "/", UploadLockFileName(file));
    bool open = false;
    for (UnfinishedUpload& unfinished : listed) {
      if (unfinished.upload.name() != pending.upload()) continue;
      open = true;
      unfinished.local_path = pending.local_path();
      unfinished.remote_path = pending.remote_path();
      unfinished.running = TransferLock::Held(lock);
    }
    // Saved for an upload that ended elsewhere (aborted by the folder's owner, its folder
    // purged, expired): nothing resumes it, so it is forgotten, unless a put holds it.
    if (!open && page_token.empty() && !TransferLock::Held(lock)) {
      (void)store.RemovePrivateFile(file);
      (void)store.RemovePrivateFile(UploadLockFileName(file));
    }
  }
  // The server knows folders by id only (names are sealed): where the others go, and who
  // began them, comes from the member's own tree and shares.
  TreeClient tree(account_);
  for (UnfinishedUpload& unfinished : listed) {
    if (!unfinished.remote_path.empty()) continue;
    absl::StatusOr<std::string> folder = tree.PathOf(unfinished.upload.parent());
    if (folder.ok()) unfinished.folder_path = *std::move(folder);
    if (!unfinished.begun_by_member && folder.ok()) {
      unfinished.uploader_email =
          EmailSharedWith(tree, unfinished.folder_path, unfinished.upload.uploader());
    }
  }
  return listed;
}

absl::StatusOr<UnfinishedUploads::Aborted> UnfinishedUploads::Abort(absl::string_view upload) {
  const std::string id = absl::AsciiStrToUpper(absl::StripPrefix(upload, "uploads/"));
  if (!ids::IsValidId(id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", upload,
        "\" is not an upload id (`bitcontent uploads` lists them in its first column)"));
  }
  const std::string name = absl::StrCat("uploads/", id);
  Aborted aborted;
  if (absl::Status s =
          account_->CallAsMember("GET", absl::StrCat("/v1/", name), nullptr, &aborted.upload);
      !s.ok()) {
    if (absl::IsNotFound(s)) {
      return absl::NotFoundError(absl::StrCat("you have no upload ", id));
    }
    return s;
  }
  if (aborted.upload.state() == md::UPLOAD_STATE_OPEN) {
    const md::AbortUploadRequest request;  // Named by the path.
    if (absl::Status s = account_->CallAsMember("POST", absl::StrCat("/v1/", name, ":abort"),
                                                &request, &aborted.upload);
        !s.ok()) {
      return s;
    }
    aborted.freed = true;
  }
  // A put run again would find the upload ended and start over anyway; forgetting it
  // here keeps the config directory from collecting state nobody resumes.
  const CredentialStore store(account_->options().config_dir);
  for (const auto& [file, pending] : Saved()) {
    if (pending.upload() == name) (void)store.RemovePrivateFile(file);
  }
  return aborted;
}

size_t UnfinishedUploads::AbortSuperseded(absl::string_view local, absl::string_view remote_path,
                                          absl::string_view keep) {
  size_t aborted = 0;
  for (const auto& [file, pending] : Saved()) {
    if (file == keep || pending.local_path() != local || pending.remote_path() != remote_path) {
      continue;
    }
    aborted += AbortSaved(file, pending, /*forget_anyway=*/false);
  }
  return aborted;
}

size_t UnfinishedUploads::AbortAllSaved() {
  size_t aborted = 0;
  for (const auto& [file, pending] : Saved()) aborted += AbortSaved(file, pending, true);
  return aborted;
}

bool UnfinishedUploads::AbortSaved(const std::string& file, const v1::PendingUpload& pending,
                                   bool forget_anyway) {
  const std::string& directory = account_->options().config_dir;
  const std::string lock = absl::StrCat(directory, "/", UploadLockFileName(file));
  if (TransferLock::Held(lock)) return false;
  const absl::Status ended = Abort(pending.upload()).status();
  if (!ended.ok() && !absl::IsNotFound(ended) && !forget_anyway) return false;
  // Abort forgot it when it ended it; gone on the server, or given up on, it goes here.
  if (!ended.ok()) (void)CredentialStore(directory).RemovePrivateFile(file);
  std::error_code ignored;
  std::filesystem::remove(lock, ignored);
  return ended.ok();
}

}  // namespace bitcontent::client
