// DownloadState: which chunks of a download are already in `<file>.bitcontent-part`, kept
// beside it in `<file>.bitcontent-part.state`, so that a `get` run again after the CLI was killed,
// or after the server stayed out of reach longer than the retries, fetches only the rest.
//
// The state is written (to a temporary file, then renamed) as chunks land, without
// fsync: a chunk is marked only after its write returned, and what a write handed to
// the kernel outlives the process that made it. Only a crash of the machine can lose
// it, so the state names the machine's boot (/proc/sys/kernel/random/boot_id) and a
// state from an earlier boot is ignored: after a reboot the download starts over. It
// names the blob and the layout too, so a file that changed since starts over as well.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "libs/client/chunk_cipher.h"

namespace bitcontent::client {

class DownloadState {
 public:
  // The state at `path` when it was written for the blob `blob` ("blobs/{blob}") with
  // `layout` during this boot and the partial file it describes is still there
  // (`partial_exists`); otherwise a state with nothing done.
  static DownloadState Load(std::string path, const std::string& blob, const ChunkLayout& layout,
                            bool partial_exists);

  DownloadState(const DownloadState&) = delete;
  DownloadState& operator=(const DownloadState&) = delete;

  bool done(uint32_t index) const;
  uint32_t done_count() const;
  // Plaintext bytes of the chunks done.
  uint64_t done_bytes() const;

  // Marks chunk `index` written, and writes the state down every so often (about 64
  // times in a whole download). Thread-safe.
  absl::Status MarkDone(uint32_t index);
  // Writes the state down now.
  absl::Status Save();
  // Removes the state file (the download finished, or is abandoned).
  void Remove();

 private:
  DownloadState(std::string path, std::string header, ChunkLayout layout, std::vector<bool> done);
  absl::Status SaveLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  const std::string header_;  // what the state was written for
  const ChunkLayout layout_;
  const uint32_t save_every_;
  mutable absl::Mutex mu_;
  std::vector<bool> done_ ABSL_GUARDED_BY(mu_);
  uint32_t done_count_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace bitcontent::client
