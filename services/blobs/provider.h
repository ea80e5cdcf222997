// Provider: where the blob service keeps sealed chunks (DESIGN.md, storage providers).
// Objects are immutable and named by their content address, the lowercase hex of the
// chunk's 32-byte BLAKE2b-256, so a name says what the bytes must be: the blob service
// checks the hash when a chunk arrives and when the scrubber reads it; providers store
// and return bytes only. Implementations: the local filesystem (default), and
// S3-compatible object storage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/blobs/object_bytes.h"

namespace bitcontent::blobs {

// The largest object: a 4 MiB chunk and its 16-byte tag.
inline constexpr size_t kObjectBytesMax = (size_t{4} << 20) + 16;
// Most names one List call returns.
inline constexpr size_t kListPageMax = 1000;

// INVALID_ARGUMENT unless `key` is 64 lowercase hex characters.
absl::Status ValidateObjectKey(absl::string_view key);

// An object's copy as a file on this machine, for a caller here that reads it itself.
struct ObjectFile {
  std::string path = {};  // Absolute.
  uint64_t size = 0;
};

struct ObjectPage {
  std::vector<std::string> keys = {};  // In ascending order.
  // Pass as `after` for the next page; empty at the end.
  std::string next_after = {};
};

class Provider {
 public:
  virtual ~Provider() = default;

  // For logs and metrics: "filesystem:/var/lib/blobs", "s3:bucket".
  virtual std::string name() const = 0;

  // Stores `bytes` under `key`. Idempotent: storing the same bytes again succeeds and
  // says so (`*existed`, may be null); other bytes under an existing key are refused
  // (ALREADY_EXISTS) and leave the object as it was. UNAVAILABLE for I/O failures.
  virtual absl::Status Put(absl::string_view key, absl::string_view bytes, bool* existed) = 0;

  // The bytes under `key`; NOT_FOUND naming the key.
  virtual absl::StatusOr<ObjectBytes> Get(absl::string_view key) = 0;

  // The size of the object under `key`; NOT_FOUND naming the key.
  virtual absl::StatusOr<uint64_t> Size(absl::string_view key) = 0;

  // The file that holds the object under `key`, its reading into the page cache started
  // so that whoever reads it next waits less; NOT_FOUND naming the key, UNIMPLEMENTED
  // where objects are not files on this machine.
  virtual absl::StatusOr<ObjectFile> File(absl::string_view key) {
    return absl::UnimplementedError(absl::StrCat(name(), " keeps no objects as local files"));
  }

  // Removes `key`; removing a missing key succeeds.
  virtual absl::Status Delete(absl::string_view key) = 0;

  // Keys after `after` in ascending order, at most `limit` (1..kListPageMax).
  virtual absl::StatusOr<ObjectPage> List(absl::string_view after, size_t limit) = 0;
};

}  // namespace bitcontent::blobs
