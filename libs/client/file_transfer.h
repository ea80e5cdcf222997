// FileTransfer: files between the local disk and the member's tree, sealed on the client
// (chunk_cipher.h) so the servers only ever hold ciphertext. Through the gateway's REST
// API: metadata for the upload, the grant and the file; blobs for the chunks, each a
// request of its own, several in flight at once on their own connections.
//
//   client::FileTransfer transfer(&account, &tree, {.parallel = 4});
//   transfer.Put("/home/ada/report.pdf", "/work/report.pdf");
//   transfer.Get("/work/report.pdf", "/tmp/report.pdf");
//
// Put keeps what it needs to resume (the upload, the file key, the nonce prefix) in the
// config directory until the file exists: run again after a crash or a kill, it asks the
// blob service what is missing and sends only that. Get writes to "<local>.part" and
// renames it into place once every chunk has opened, so a damaged, swapped or missing
// chunk fails the download (DATA_LOSS) and leaves no half file under the real name.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/metadata/v1/uploads.pb.h"
#include "libs/client/account_client.h"
#include "libs/client/chunk_cipher.h"
#include "libs/client/link_url.h"
#include "libs/client/tree_client.h"

namespace bitcontent::client {

// Bytes moved so far of a transfer's total (ciphertext for uploads, plaintext for
// downloads); `skipped_bytes` were already on the server when a resumed upload began.
struct TransferProgress {
  uint64_t done_bytes = 0;
  uint64_t total_bytes = 0;
  uint64_t skipped_bytes = 0;
};

// Where transfer threads connect, and the bearer token each call carries (empty for
// anonymous link downloads).
struct TransferEndpoint {
  std::string server = {};
  absl::Duration timeout = absl::Seconds(30);
  std::function<absl::StatusOr<std::string>()> bearer = {};
};

// A file or folder a public link opens (or one inside the folder it opens): what the URL
// said, and the node with its key and name.
struct LinkedFile {
  LinkUrl url = {};
  TreeEntry entry = {};
};

struct TransferOptions {
  uint32_t chunk_bytes = kChunkBytesDefault;
  // Chunks in flight at once, each on its own connection: 1 to kParallelMax.
  int parallel = 8;
  // Called from transfer threads, one call at a time, after every chunk.
  std::function<void(const TransferProgress&)> progress = {};
};

// OK when `name`, sealed by whoever made a link, may be a file's name on this device:
// not empty, ".", "..", nor holding '/' or NUL; INVALID_ARGUMENT saying so otherwise.
absl::Status CheckLocalName(absl::string_view name);

class FileTransfer {
 public:
  static constexpr int kParallelMax = 16;
  // Tries of one chunk when the network or a service is briefly unavailable.
  static constexpr int kAttemptsMax = 4;

  // Both must outlive this; `account` logged in.
  FileTransfer(AccountClient* account, TreeClient* tree, TransferOptions options)
      : account_(account), tree_(tree), options_(std::move(options)) {}

  // Uploads the local file `local_path` to `remote_path`: a new file (its folder must
  // exist), or the new current version of the file already there (ABORTED when someone
  // else added a version meanwhile). Resumes an interrupted upload of the same file to
  // the same place.
  absl::StatusOr<TreeEntry> Put(const std::string& local_path, absl::string_view remote_path);

  // Downloads the file at `remote_path` to `local_path`, verified chunk by chunk: its
  // current version, or the kept version whose id is `version`.
  absl::Status Get(absl::string_view remote_path, const std::string& local_path,
                   absl::string_view version = "");

  // Anonymous: opens a public link's URL (its key is in the fragment) to the file it
  // points at; GetLinked downloads that file as Get does. No login needed.
  absl::StatusOr<LinkedFile> OpenLink(absl::string_view url);
  // Anonymous: the node a link opens, from its URL with or without a key. Without one (a
  // sale link) the entry has neither key nor name: OpenWithKey adds them once pricing
  // has released the key to a buyer.
  absl::StatusOr<LinkedFile> ResolveLink(absl::string_view url);
  // Gives `file` its key and opens its name with it: DATA_LOSS when the key does not open
  // the node.
  static absl::Status OpenWithKey(LinkedFile& file, std::string key);
  // Downloads a priced file through its link as the member who bought it: as GetLinked,
  // but the grant is asked for with the member's token, which metadata checks against
  // their entitlement. The link must be on the server the member is logged in to.
  absl::Status GetBought(const LinkedFile& file, const std::string& local_path);
  // GetBought for a priced file when the member is logged in to the link's server,
  // GetLinked otherwise (what folder downloads use for each file).
  absl::Status GetLinkedFile(const LinkedFile& file, const std::string& local_path);
  absl::Status GetLinked(const LinkedFile& file, const std::string& local_path);
  // Copies what a public link opens into the member's tree at `destination`: into it
  // when it is a folder, else under its last part as a new name (TreeClient::CopyLinked):
  // a new file of theirs that shares the linked file's bytes (none move), counted against
  // their quota.
  absl::StatusOr<TreeEntry> ImportLink(const LinkedFile& file, absl::string_view destination);

  // Anonymous: what the linked folder `folder` holds, by name (each opened with the
  // folder's key), at most TreeClient::kFolderEntriesMax.
  absl::StatusOr<std::vector<LinkedFile>> ListLinked(const LinkedFile& folder);
  // Anonymous: downloads the linked folder into the directory `local_path` (made when
  // missing), every file in it and in its folders, each as GetLinkedFile does (a file on
  // sale in it comes only to its buyers, logged in). A name that
  // is not a plain file name ("..", one holding '/') is refused before anything of it is
  // written.
  absl::Status GetLinkedFolder(const LinkedFile& folder, const std::string& local_path);

 private:
  // GetLinked (anonymously) or GetBought (`as_member`: the grant asked for with the
  // member's token).
  absl::Status DownloadThroughLink(const LinkedFile& file, const std::string& local_path,
                                   bool as_member);
  // Downloads `file` (named `shown` in messages) with grants from `issue_grant`.
  absl::Status Download(
      const TreeEntry& file, const std::string& shown, const TransferEndpoint& endpoint,
      const std::function<absl::StatusOr<metadata::v1::DownloadGrant>()>& issue_grant,
      const std::string& local_path);

  AccountClient* const account_;
  TreeClient* const tree_;
  const TransferOptions options_;
};

}  // namespace bitcontent::client
