// FileTransfer (file_transfer.h): folders downloaded whole, the member's own and those
// opened through public links (listed and downloaded without an account). Single files
// are in file_download.cc.
#include <sys/stat.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/client/file_transfer.h"
#include "libs/client/node_envelope.h"
#include "libs/client/transfer_workers.h"
#include "libs/client/tree_client.h"

namespace bitcontent::client {
namespace {

namespace md = metadata::v1;

}  // namespace

absl::Status CheckLocalName(absl::string_view name) {
  if (name.empty() || name == "." || name == ".." || absl::StrContains(name, '/') ||
      absl::StrContains(name, '\0')) {
    return absl::InvalidArgumentError(
        absl::StrCat("the folder holds an entry named \"", name,
                     "\", which is not a plain file name; nothing of it was written"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LinkedFile>> FileTransfer::ListLinked(const LinkedFile& folder) {
  absl::StatusOr<std::unique_ptr<ApiClient>> api =
      ApiClient::Connect(folder.url.server, account_->options().timeout);
  if (!api.ok()) return api.status();
  absl::StatusOr<std::vector<TreeEntry>> children =
      OpenChildren(folder.entry, [&](const std::string& page_token, std::vector<md::Node>* nodes,
                                     std::string* next_page_token) {
        md::ListLinkChildrenResponse page;
        const std::string target = absl::StrCat(
            "/v1/", folder.url.link, "/children?pageSize=1000&parent=", folder.entry.node.name(),
            page_token.empty() ? "" : "&pageToken=", page_token);
        if (absl::Status s = (*api)->Call("GET", target, nullptr, &page); !s.ok()) return s;
        nodes->assign(std::make_move_iterator(page.mutable_nodes()->begin()),
                      std::make_move_iterator(page.mutable_nodes()->end()));
        *next_page_token = std::move(*page.mutable_next_page_token());
        return absl::OkStatus();
      });
  if (!children.ok()) return children.status();
  std::vector<LinkedFile> entries;
  for (TreeEntry& child : *children) entries.push_back({folder.url, std::move(child)});
  return entries;
}

namespace {

// Makes the directory `path` a folder comes down into, or takes the one there; a file
// there is said so, before anything is written.
absl::Status MakeLocalDirectory(const std::string& path) {
  if (mkdir(path.c_str(), 0755) == 0) return absl::OkStatus();
  if (errno != EEXIST) return Errno("make the directory", path);
  struct stat there = {};
  if (stat(path.c_str(), &there) == 0 && S_ISDIR(there.st_mode)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      path, " is a file, not a directory: name a directory, or a new path for the folder"));
}

// Refuses a symbolic link found where a folder inside the one coming down goes, as cp -r
// does: followed, it would lead the folder's files out of the directory named.
absl::Status RefuseLinkAt(const std::string& path) {
  struct stat there = {};
  if (lstat(path.c_str(), &there) != 0 || !S_ISLNK(there.st_mode)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(path, " is a symbolic link here, where a folder goes: a folder download ",
                   "writes through no link; move it aside and run the same get again"));
}

// What a whole folder download answers: OK, or how many of its files did not come down
// (each already told to `notice`).
absl::Status Summary(size_t files, size_t failed) {
  if (failed == 0) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(failed, " of ", files, " files did not come down (above)",
                                         failed == files ? "" : "; the others did",
                                         ": run the same get again for them"));
}

}  // namespace

absl::Status FileTransfer::CountFile(const absl::Status& got, FolderTally* tally) const {
  ++tally->files;
  if (got.ok()) {
    tally->unreachable_in_a_row = 0;
    return absl::OkStatus();
  }
  if (absl::IsUnauthenticated(got)) return got;
  // UNAVAILABLE is a server out of reach, or this machine's disk refusing (both keep
  // what was written, for the next run): twice in a row, the rest would meet it too.
  const bool unreachable = absl::IsUnavailable(got) || absl::IsDeadlineExceeded(got);
  tally->unreachable_in_a_row = unreachable ? tally->unreachable_in_a_row + 1 : 0;
  if (tally->unreachable_in_a_row >= 2) return got;
  ++tally->failed;
  if (options_.notice) options_.notice(got.message());
  return absl::OkStatus();
}

absl::Status FileTransfer::GetFolder(const TreeEntry& folder, const std::string& shown,
                                     const std::string& local_path) {
  FolderTally tally;
  if (absl::Status s = GetFolderEntries(folder, shown, local_path, &tally); !s.ok()) return s;
  return Summary(tally.files, tally.failed);
}

absl::Status FileTransfer::GetFolderEntries(const TreeEntry& folder, const std::string& shown,
                                            const std::string& local_path, FolderTally* tally) {
  absl::StatusOr<std::vector<TreeEntry>> children = tree_->ListFolder(folder, /*trashed=*/false);
  if (!children.ok()) return children.status();
  // Every name checked before the directory is made or anything written into it.
  for (const TreeEntry& child : *children) {
    if (absl::Status s = CheckLocalName(child.name); !s.ok()) return s;
  }
  if (absl::Status made = MakeLocalDirectory(local_path); !made.ok()) return made;
  for (const TreeEntry& child : *children) {
    const std::string child_shown = ChildPath(shown, PrintableName(child.name));
    const std::string path = absl::StrCat(local_path, "/", child.name);
    if (child.node.type() == md::NODE_TYPE_FOLDER) {
      if (absl::Status s = RefuseLinkAt(path); !s.ok()) return s;
      if (absl::Status s = GetFolderEntries(child, child_shown, path, tally); !s.ok()) return s;
      continue;
    }
    absl::Status got = CountFile(Get(child, child_shown, DownloadTarget::InFolder(path)), tally);
    if (!got.ok()) return got;
  }
  return absl::OkStatus();
}

absl::Status FileTransfer::GetLinkedFolder(const LinkedFile& folder,
                                           const std::string& local_path) {
  FolderTally tally;
  if (absl::Status s = GetLinkedFolderEntries(folder, local_path, &tally); !s.ok()) return s;
  return Summary(tally.files, tally.failed);
}

absl::Status FileTransfer::GetLinkedFolderEntries(const LinkedFile& folder,
                                                  const std::string& local_path,
                                                  FolderTally* tally) {
  absl::StatusOr<std::vector<LinkedFile>> entries = ListLinked(folder);
  if (!entries.ok()) return entries.status();
  if (absl::Status made = MakeLocalDirectory(local_path); !made.ok()) return made;
  for (const LinkedFile& entry : *entries) {
    if (absl::Status s = CheckLocalName(entry.entry.name); !s.ok()) return s;
    const std::string path = absl::StrCat(local_path, "/", entry.entry.name);
    if (entry.entry.node.type() == md::NODE_TYPE_FOLDER) {
      if (absl::Status s = RefuseLinkAt(path); !s.ok()) return s;
      if (absl::Status s = GetLinkedFolderEntries(entry, path, tally); !s.ok()) return s;
      continue;
    }
    LinkedFile file = entry;
    absl::Status ready = absl::OkStatus();
    if (file.entry.node.priced() && options_.priced_in_folder) {
      ready = options_.priced_in_folder(file);
    }
    absl::Status got =
        CountFile(ready.ok() ? GetLinkedFile(file, DownloadTarget::InFolder(path)) : ready, tally);
    if (!got.ok()) return got;
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::client
