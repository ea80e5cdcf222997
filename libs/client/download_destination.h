// DownloadDestination: what a download finds at the path it is to be written to, and
// how it goes there, decided as cp decides it, so that a download never replaces what
// is not a regular file.
//
//   - Nothing, or a regular file: a new file is written beside it and renamed over it
//     once whole (file_download.cc).
//   - A symbolic link: followed; what it points at gets the bytes and the link stays. A
//     link to nothing is refused, as cp refuses it ("not writing through dangling
//     symlink").
//   - A FIFO, a character or a block device: written into in order, as a stream.
//   - A socket or a directory: refused.
//
// A file of a folder download takes only nothing or a regular file: a link there is not
// followed (names from someone else's tree must not lead writes out of the directory
// they come into, which is why cp -r refuses a link where a folder goes), and a FIFO or
// a device is not written (a FIFO nobody reads would hold the whole folder up).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace bitcontent::client {

struct DownloadDestination {
  // The file to write or replace (a link's target, resolved), or the stream's path.
  std::string path = {};
  // Written in order into what is there (a FIFO, a device) rather than as a new file.
  bool stream = false;
};

// Where a download to `path` goes; `in_folder` for a file of a folder download.
// FAILED_PRECONDITION saying why when nothing may be written there.
absl::StatusOr<DownloadDestination> ResolveDownloadDestination(const std::string& path,
                                                               bool in_folder);

// Opens the stream destination `path` for writing, as cp does (for a FIFO, waiting until
// it has a reader), checked to be a FIFO or a device still. The caller closes it.
absl::StatusOr<int> OpenDownloadStream(const std::string& path);

// OK when a file renamed onto `path` replaces a regular file or nothing:
// FAILED_PRECONDITION otherwise (something else was put there while the file came down).
absl::Status CheckReplaceable(const std::string& path);

}  // namespace bitcontent::client
