// ObjectBytes: an object's bytes as a provider read them, held where the read left
// them: in a string (S3, a read through the page cache), or in the aligned buffer a
// direct read filled. A chunk is a MiB, and copying it out of that buffer, then into a
// message, then into gRPC's buffer cost more than sending it; ReadChunk sends it from
// here (chunk_reply.h).
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/string_view.h"

namespace bitcontent::blobs {

class ObjectBytes {
 public:
  ObjectBytes() = default;
  // Implicit, so that a provider that reads into a string can return it.
  ObjectBytes(std::string bytes)  // NOLINT(google-explicit-constructor)
      : ObjectBytes(std::make_shared<const std::string>(std::move(bytes))) {}
  // `view` lies in memory that `owner` keeps alive.
  ObjectBytes(std::shared_ptr<const void> owner, absl::string_view view)
      : owner_(std::move(owner)), view_(view) {}

  absl::string_view view() const { return view_; }
  size_t size() const { return view_.size(); }
  // What keeps the bytes alive; sharing it hands them on without a copy.
  const std::shared_ptr<const void>& owner() const { return owner_; }

  friend bool operator==(const ObjectBytes& bytes, absl::string_view other) {
    return bytes.view_ == other;
  }

 private:
  explicit ObjectBytes(std::shared_ptr<const std::string> text) : owner_(text), view_(*text) {}

  std::shared_ptr<const void> owner_;
  absl::string_view view_;
};

}  // namespace bitcontent::blobs
