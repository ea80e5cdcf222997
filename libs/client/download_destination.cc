#include "libs/client/download_destination.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"
#include "libs/client/transfer_workers.h"

namespace bitcontent::client {
namespace {

// What is written into in place, in order, rather than replaced.
bool IsStream(mode_t mode) { return S_ISFIFO(mode) || S_ISCHR(mode) || S_ISBLK(mode); }

// What a file's type is called in messages.
const char* TypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "no regular file";
}

// Where a download to what `mode` describes (a regular file, or what a link points at)
// goes: the file `file` itself, or the stream at `path`.
absl::StatusOr<DownloadDestination> Into(mode_t mode, const std::string& path,
                                         const std::string& file) {
  if (S_ISREG(mode)) return DownloadDestination{.path = file};
  if (IsStream(mode)) return DownloadDestination{.path = path, .stream = true};
  return absl::FailedPreconditionError(
      absl::StrCat(path, " is ", TypeName(mode),
                   " here, so the file cannot be written there: ", "give another path"));
}

// Follows the link at `path` to what it points at: a link to nothing is refused, as cp
// refuses it, since writing would make a file wherever the link leads.
absl::StatusOr<DownloadDestination> FollowLink(const std::string& path) {
  struct stat target = {};
  if (stat(path.c_str(), &target) != 0) {
    if (errno != ENOENT) return Errno("follow the link", path);
    return absl::FailedPreconditionError(
        absl::StrCat("not writing through dangling symlink ", path,
                     ": what it points to does not exist; remove the link or give another path"));
  }
  if (!S_ISREG(target.st_mode)) return Into(target.st_mode, path, path);
  // The file is replaced where it is, by a new one made beside it, so the link stays.
  std::unique_ptr<char, decltype(&free)> resolved(realpath(path.c_str(), nullptr), &free);
  if (resolved == nullptr) return Errno("follow the link", path);
  return DownloadDestination{.path = resolved.get()};
}

}  // namespace

absl::StatusOr<DownloadDestination> ResolveDownloadDestination(const std::string& path,
                                                               bool in_folder) {
  struct stat there = {};
  if (lstat(path.c_str(), &there) != 0) {
    if (errno == ENOENT) return DownloadDestination{.path = path};
    return Errno("look at", path);
  }
  if (S_ISREG(there.st_mode)) return DownloadDestination{.path = path};
  if (in_folder && (S_ISLNK(there.st_mode) || IsStream(there.st_mode))) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " is ", TypeName(there.st_mode),
        " here: a folder download replaces only regular files and writes through no link, so "
        "this file was not written; move it aside and run the same get again"));
  }
  if (S_ISLNK(there.st_mode)) return FollowLink(path);
  return Into(there.st_mode, path, path);
}

absl::StatusOr<int> OpenDownloadStream(const std::string& path) {
  const int fd = open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return Errno("open", path);
  // Opened by name: what is there now must still be what was decided on, not a regular
  // file put in its place, which would be written over from its start and never cut.
  struct stat opened = {};
  if (fstat(fd, &opened) != 0 || !IsStream(opened.st_mode)) {
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat(path, " changed while the download began; nothing was written to it"));
  }
  return fd;
}

absl::Status CheckReplaceable(const std::string& path) {
  struct stat there = {};
  if (lstat(path.c_str(), &there) != 0 || S_ISREG(there.st_mode)) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(path, " became ", TypeName(there.st_mode),
                   " while the file came down, and was left as it is; run the same get again"));
}

}  // namespace bitcontent::client
