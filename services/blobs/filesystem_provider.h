// FilesystemProvider: chunks as files under a root directory, fanned out by the first
// two and next two hex characters of the key (root/ab/cd/abcd...), so no directory
// grows past 65,536 entries per level.
//
// A chunk is written to a temporary file in its final directory, fsynced, then linked
// under its name (link fails rather than replace an existing object) and the directory
// fsynced: a crash leaves either no object or the whole one, never part of one under
// its name. Temporary files a crash left behind are removed when the provider opens.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/blobs/provider.h"

namespace bitcontent::blobs {

class FilesystemProvider final : public Provider {
 public:
  // Opens (creating it if needed) the provider at `root`; UNAVAILABLE when the
  // directory cannot be created or written.
  static absl::StatusOr<std::unique_ptr<FilesystemProvider>> Open(
      const std::filesystem::path& root);

  std::string name() const override;
  absl::Status Put(absl::string_view key, absl::string_view bytes, bool* existed) override;
  absl::StatusOr<ObjectBytes> Get(absl::string_view key) override;
  absl::StatusOr<uint64_t> Size(absl::string_view key) override;
  absl::StatusOr<ObjectFile> File(absl::string_view key) override;
  absl::Status Delete(absl::string_view key) override;
  absl::StatusOr<ObjectPage> List(absl::string_view after, size_t limit) override;

 private:
  explicit FilesystemProvider(std::filesystem::path root) : root_(std::move(root)) {}

  std::filesystem::path PathOf(absl::string_view key) const;

  const std::filesystem::path root_;
};

}  // namespace bitcontent::blobs
