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
// blob service what is missing and sends only that. It resumes only while the local
// file is the one it began with (same size, modification and change time, inode and
// device; see Put); otherwise it aborts the earlier upload, which gives its reserved
// quota back, and starts over. Get writes to "<local>.bitcontent-part" and renames it into place
// once every chunk has opened, so a damaged, swapped or missing chunk fails the download
// (DATA_LOSS) and leaves no half file under the real name. One put of a file to a place,
// and one get to a file, run at a time (transfer_lock.h): a second is refused at once.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <functional>
#include <optional>
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
  // Told what the member should know that does not stop the transfer (an earlier upload
  // that could not be aborted, so its reservation stays held). One line, no newline.
  std::function<void(absl::string_view)> notice = {};
  // Called before a file on sale inside a linked folder comes down to a logged-in member:
  // makes it theirs (buys it, when the member allowed a price) or says why not, which
  // fails that file alone. Unset, such a file comes down only to those who bought it.
  std::function<absl::Status(LinkedFile& file)> priced_in_folder = {};
};

// Where a download's plaintext goes: a file (the usual), or an open stream.
class DownloadTarget {
 public:
  // The file at `path`: written as "<path>.bitcontent-part", resumable, renamed into
  // place once every chunk has opened; what is already at `path` decides first how it is
  // written, as cp decides (download_destination.h: a link is followed, a FIFO or a
  // device written into). Implicit, so a path reads as a target.
  DownloadTarget(std::string path)
      : path_(std::move(path)) {}                    // NOLINT(google-explicit-constructor)
  DownloadTarget(const char* path) : path_(path) {}  // NOLINT(google-explicit-constructor)
  // The file at `path` as one of a folder download: only nothing or a regular file there
  // is taken (no link followed, no FIFO or device written).
  static DownloadTarget InFolder(std::string path) {
    DownloadTarget target(std::move(path));
    target.in_folder_ = true;
    return target;
  }
  // The stream `fd` (standard output, a pipe; not owned), named `shown` in messages:
  // written in order as chunks open, at most a few chunks held in memory. Nothing is
  // kept to resume, and a failure midway leaves what was written before it.
  static DownloadTarget Stream(int fd, std::string shown) {
    DownloadTarget target(std::move(shown));
    target.fd_ = fd;
    return target;
  }

  bool stream() const { return fd_ >= 0; }
  bool in_folder() const { return in_folder_; }
  int fd() const { return fd_; }
  // The file's path, or the stream's name.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  bool in_folder_ = false;
};

// OK when `name`, sealed by whoever made a link, may be a file's name on this device:
// not empty, ".", "..", nor holding '/' or NUL; INVALID_ARGUMENT saying so otherwise.
absl::Status CheckLocalName(absl::string_view name);

// What a folder upload did: files sent (each a new file or a new version), files left
// as they were (the same size and modification time as the current version there),
// and entries skipped: those that are no regular file or directory (symbolic links,
// devices), by design, and, of them, those whose names a tree cannot hold (`unnamed`),
// which the member meant to send. `failed`: entries not sent for a trouble of their own
// (a folder where a file goes, a file added there meanwhile), each told to `notice`.
struct FolderUpload {
  int uploaded = 0;
  int unchanged = 0;
  int skipped = 0;
  int unnamed = 0;
  int failed = 0;
};

// Where an upload goes: the folder, the name in it, and the file there when there is one
// (which then gets a new version, sealed with its own key).
struct PutDestination {
  std::string remote_path = {};
  std::string folder_path = {};
  std::string name = {};
  TreeEntry folder = {};
  std::optional<TreeEntry> versioned = {};
};

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
  // else added a version meanwhile, ALREADY_EXISTS when someone made a file there).
  //
  // Resumes an interrupted upload of the same file to the same place, but only when the
  // file is as it was: the same size, modification time, change time (st_ctim, which
  // `touch -d` cannot put back), inode and device. Anything else starts over, and the
  // upload it replaces is aborted (best effort: a failure is told to `notice`). A file
  // that changes while it uploads fails the upload (FAILED_PRECONDITION) before it
  // becomes a version. A failure a later run may get over (the network or a service
  // out of reach, a login that expired) keeps the upload for that run; any other aborts
  // it. FAILED_PRECONDITION at once when another put of this file to this place runs.
  //
  // A file already there with the local file's size and modification time (as a folder
  // put finds it) is left as it is: no bytes, no new version; `unchanged`, when not null,
  // says so.
  absl::StatusOr<TreeEntry> Put(const std::string& local_path, absl::string_view remote_path,
                                bool* unchanged = nullptr);

  // Uploads the local directory `local_path` as the folder `remote_path` (made when
  // missing; its parent must exist), every regular file in it and in its directories as
  // Put does each, in name order. A file already there with the same size and
  // modification time is left as it is, so a run cut short goes on where it stopped when
  // run again; one that differs gets a new version. Entries that are neither a regular
  // file nor a directory, and names a tree cannot hold (ValidateNodeName), are skipped and
  // told to `notice`. An entry that cannot go for a trouble of its own (its name taken by
  // a folder or a file, a change meanwhile) is told to `notice` and counted (`failed`),
  // and the rest still go; any other failure stops the upload there. What was sent stays.
  absl::StatusOr<FolderUpload> PutFolder(const std::string& local_path,
                                         absl::string_view remote_path);

  // Uploads what `input` (standard input, a pipe) holds until it ends to `remote_path`,
  // as Put does a file: the stream is first sealed into a temporary file
  // (sealed_spool.h: at most SealedSpool::kPlaintextBytesMax, in $TMPDIR), since an
  // upload states its size before it begins. Nothing is kept to resume: any failure
  // aborts the upload. `shown` names the stream in messages.
  absl::StatusOr<TreeEntry> PutStream(int input, const std::string& shown,
                                      absl::string_view remote_path);

  // Downloads the file at `remote_path` to `target`, verified chunk by chunk: its
  // current version, or the kept version whose id is `version`. FAILED_PRECONDITION at
  // once when another get to the same file runs.
  absl::Status Get(absl::string_view remote_path, const DownloadTarget& target,
                   absl::string_view version = "");
  // The same of `file` already resolved (TreeClient), named `shown` in messages.
  absl::Status Get(const TreeEntry& file, const std::string& shown, const DownloadTarget& target,
                   absl::string_view version = "");
  // Downloads `folder` (resolved, named `shown` in messages) into the directory
  // `local_path` (made when missing), every file in it and in its folders, each as Get
  // does its current version; what is in the trash stays there. A name that is not a
  // plain file name here is refused before anything of it is written. A file that fails
  // is told to `notice` and the rest still come down; the answer then says how many did
  // not (ABORTED). A server out of reach (two files in a row) stops it. A local entry in
  // a file's place that is not a regular file (a link, a FIFO, a device) is left as it
  // is and that file fails; a link in a folder's place stops it (download_destination.h).
  absl::Status GetFolder(const TreeEntry& folder, const std::string& shown,
                         const std::string& local_path);

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
  absl::Status GetBought(const LinkedFile& file, const DownloadTarget& target);
  // GetBought for a priced file when the member is logged in to the link's server,
  // GetLinked otherwise (what folder downloads use for each file).
  absl::Status GetLinkedFile(const LinkedFile& file, const DownloadTarget& target);
  absl::Status GetLinked(const LinkedFile& file, const DownloadTarget& target);
  // What ImportLink made: the copy, its path, and how many files and folders (a linked
  // folder itself included) it made.
  struct ImportedLink {
    TreeEntry entry = {};
    std::string path = {};
    size_t files = 0;
    size_t folders = 0;
  };
  // Copies what a public link opens into the member's tree at `destination`: into it
  // when it is a folder, else under its last part as a new name (TreeClient::CopyLinked):
  // a new file of theirs that shares the linked file's bytes (none move), counted against
  // their quota. A linked folder comes with all it holds: its folders made anew, each file
  // copied so (a file on sale only for its buyers). A file that cannot be copied is told
  // to `notice` and the rest still come; the answer then says how many did not. Over
  // quota stops the import (RESOURCE_EXHAUSTED), keeping what was copied.
  absl::StatusOr<ImportedLink> ImportLink(const LinkedFile& file, absl::string_view destination);

  // Anonymous: what the linked folder `folder` holds, by name (each opened with the
  // folder's key), at most TreeClient::kFolderEntriesMax.
  absl::StatusOr<std::vector<LinkedFile>> ListLinked(const LinkedFile& folder);
  // Anonymous: downloads the linked folder into the directory `local_path` (made when
  // missing), every file in it and in its folders, each as GetLinkedFile does (a file on
  // sale in it comes only to its buyers, logged in). A name that
  // is not a plain file name ("..", one holding '/') is refused before anything of it is
  // written. Failures of single files as GetFolder.
  absl::Status GetLinkedFolder(const LinkedFile& folder, const std::string& local_path);

 private:
  // Put, to `known` when not null (a folder upload knows the folder and what it holds),
  // else to where `remote_path` resolves.
  absl::StatusOr<TreeEntry> PutFile(const std::string& local_path, absl::string_view remote_path,
                                    const PutDestination* known);
  // PutFolder of `local_dir` into `folder` (at the path `remote_dir`), already there.
  absl::Status PutFolderEntries(const std::string& local_dir, const TreeEntry& folder,
                                const std::string& remote_dir, FolderUpload* done);
  // The files of a folder download, and those of them that did not come down.
  struct FolderTally {
    size_t files = 0;
    size_t failed = 0;
    size_t unreachable_in_a_row = 0;
  };
  absl::Status GetFolderEntries(const TreeEntry& folder, const std::string& shown,
                                const std::string& local_path, FolderTally* tally);
  absl::Status GetLinkedFolderEntries(const LinkedFile& folder, const std::string& local_path,
                                      FolderTally* tally);
  // A linked folder with all it holds, listed whole before an import makes anything
  // (link_import.cc).
  struct LinkedTree;
  // Lists `tree->folder` and every folder in it into `tree`, counting entries in `entries`.
  absl::Status ListLinkedTree(LinkedTree* tree, size_t* entries);
  // Copies what `folder` holds into the member's folder `into` (at `path`), counting files
  // in `tally` and folders made in `imported`.
  absl::Status ImportLinkedEntries(const LinkedTree& folder, const TreeEntry& into,
                                   const std::string& path, FolderTally* tally,
                                   ImportedLink* imported);
  // Counts one file of a folder download that ended with `got`: a failure of that file
  // alone is told to `notice` and the download goes on (OK); one that every other file
  // would meet too (the session gone, a second UNAVAILABLE in a row) is returned.
  absl::Status CountFile(const absl::Status& got, FolderTally* tally) const;
  // Whether the current version of `file` has the size and modification time of the
  // local file `info` describes.
  static bool Unchanged(const TreeEntry& file, const struct stat& info);
  // GetLinked (anonymously) or GetBought (`as_member`: the grant asked for with the
  // member's token).
  absl::Status DownloadThroughLink(const LinkedFile& file, const DownloadTarget& target,
                                   bool as_member);
  // Downloads `file` (named `shown` in messages) with grants from `issue_grant`.
  absl::Status Download(
      const TreeEntry& file, const std::string& shown, const TransferEndpoint& endpoint,
      const std::function<absl::StatusOr<metadata::v1::DownloadGrant>()>& issue_grant,
      const DownloadTarget& target);

  AccountClient* const account_;
  TreeClient* const tree_;
  const TransferOptions options_;
};

}  // namespace bitcontent::client
