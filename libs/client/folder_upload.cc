// FileTransfer (file_transfer.h): a local directory uploaded whole as a folder, each file
// as Put uploads one. Single files are in file_transfer.cc.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/client/file_transfer.h"
#include "libs/client/node_envelope.h"
#include "libs/client/transfer_workers.h"

namespace bitcontent::client {
namespace {

namespace fs = std::filesystem;
namespace md = metadata::v1;

bool IsFolder(const TreeEntry& entry) { return entry.node.type() == md::NODE_TYPE_FOLDER; }

}  // namespace

absl::StatusOr<FolderUpload> FileTransfer::PutFolder(const std::string& local_path,
                                                     absl::string_view remote_path) {
  struct stat info = {};
  if (stat(local_path.c_str(), &info) != 0) return Errno("read", local_path);
  if (!S_ISDIR(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(local_path, " is not a directory"));
  }
  // The folder: made, or the one a run before made.
  absl::StatusOr<TreeEntry> folder = tree_->EnsureFolder(remote_path);
  if (!folder.ok()) return folder.status();
  FolderUpload done;
  if (absl::Status s = PutFolderEntries(local_path, *folder, std::string(remote_path), &done);
      !s.ok()) {
    return s;
  }
  return done;
}

absl::Status FileTransfer::PutFolderEntries(const std::string& local_dir, const TreeEntry& folder,
                                            const std::string& remote_dir, FolderUpload* done) {
  std::vector<fs::directory_entry> entries;
  std::error_code error;
  for (fs::directory_iterator it(local_dir, error), end; !error && it != end; it.increment(error)) {
    entries.push_back(*it);
  }
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the directory ", local_dir, ": ", error.message()));
  }
  std::sort(entries.begin(), entries.end());
  // What the folder holds already, by name: a run before may have sent part of it.
  absl::StatusOr<std::vector<TreeEntry>> present = tree_->ListFolder(folder, /*trashed=*/false);
  if (!present.ok()) return present.status();
  std::map<std::string, TreeEntry> there;
  for (TreeEntry& entry : *present) there.emplace(entry.name, std::move(entry));

  // Skipped entries are told to `notice` and counted; the rest still go.
  const auto skip = [&](const std::string& local, absl::string_view why) {
    // The local name may hold what a terminal would act on (an escape sequence).
    if (options_.notice) {
      options_.notice(absl::StrCat("skipped ", PrintableName(local), ": ", why));
    }
    ++done->skipped;
  };
  // One entry's own trouble (its name taken by a folder or a file, a change made to it
  // meanwhile) is told and counted, and the rest still go; anything else (the server out
  // of reach, the login, the quota) would stop every later one too.
  const auto settle = [&](const absl::Status& status) -> absl::Status {
    if (status.ok() || (!absl::IsAlreadyExists(status) && !absl::IsAborted(status) &&
                        !absl::IsFailedPrecondition(status))) {
      return status;
    }
    if (options_.notice) options_.notice(status.message());
    ++done->failed;
    return absl::OkStatus();
  };
  for (const fs::directory_entry& entry : entries) {
    const std::string local = entry.path().string();
    const std::string name = entry.path().filename().string();
    const std::string remote = ChildPath(remote_dir, name);
    // A local name the tree cannot hold (a new line in it, not UTF-8) is skipped, not
    // fatal: a run again does not stop there for ever.
    if (absl::Status valid = ValidateNodeName(name); !valid.ok()) {
      skip(local, valid.message());
      ++done->unnamed;
      continue;
    }
    struct stat info = {};
    if (lstat(local.c_str(), &info) != 0) return Errno("read", local);
    const auto existing = there.find(name);
    if (S_ISDIR(info.st_mode)) {
      absl::StatusOr<TreeEntry> inner =
          existing == there.end() ? tree_->MakeFolderIn(folder, remote) : existing->second;
      if (inner.ok() && !IsFolder(*inner)) {
        inner =
            absl::AlreadyExistsError(absl::StrCat(DisplayPath(remote), " is a file where ", local,
                                                  " is a directory; nothing of it was sent"));
      }
      if (!inner.ok()) {
        if (absl::Status s = settle(inner.status()); !s.ok()) return s;
        continue;
      }
      if (absl::Status s = PutFolderEntries(local, *inner, remote, done); !s.ok()) return s;
      continue;
    }
    if (!S_ISREG(info.st_mode)) {
      skip(local, S_ISLNK(info.st_mode) ? "a symbolic link" : "not a regular file or directory");
      continue;
    }
    if (existing != there.end()) {
      if (IsFolder(existing->second)) {
        if (absl::Status s = settle(absl::AlreadyExistsError(absl::StrCat(
                DisplayPath(remote), " is a folder where ", local, " is a file; it was not sent")));
            !s.ok()) {
          return s;
        }
        continue;
      }
      if (Unchanged(existing->second, info)) {
        ++done->unchanged;
        continue;
      }
    }
    // Put into the folder as listed here: resolving each file's path from the root
    // again would list this folder once per file.
    PutDestination destination{
        .remote_path = remote, .folder_path = remote_dir, .name = name, .folder = folder};
    if (existing != there.end()) destination.versioned = existing->second;
    absl::StatusOr<TreeEntry> put = PutFile(local, remote, &destination);
    if (!put.ok()) {
      if (absl::Status s = settle(put.status()); !s.ok()) return s;
      continue;
    }
    ++done->uploaded;
  }
  return absl::OkStatus();
}

bool FileTransfer::Unchanged(const TreeEntry& file, const struct stat& info) {
  // The current version's attributes come with the listing, sealed with the file's key.
  absl::StatusOr<v1::VersionAttributes> current =
      OpenVersionAttributes(file.key, file.node.head_version().encrypted_attributes());
  return current.ok() && current->plaintext_size_bytes() == static_cast<uint64_t>(info.st_size) &&
         auth::TimeFromProto(current->modify_time()) == absl::TimeFromTimespec(info.st_mtim);
}

}  // namespace bitcontent::client
