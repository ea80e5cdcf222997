#include "services/gateway/borrowed_field.h"

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace bitcontent::gateway {
namespace {

// Reads the protobuf wire format across slices, never copying more than a varint.
class SliceReader {
 public:
  explicit SliceReader(const std::vector<grpc::Slice>& slices) : slices_(slices) { SkipEmpty(); }

  bool AtEnd() const { return slice_ == slices_.size(); }

  bool ReadVarint(uint64_t* value) {
    *value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (AtEnd()) return false;
      const uint8_t byte = slices_[slice_].begin()[offset_];
      Advance(1);
      *value |= uint64_t{byte & 0x7fu} << shift;
      if ((byte & 0x80u) == 0) return true;
    }
    return false;
  }

  // Moves past `count` bytes, appending them to `pieces` when it is not null.
  bool Take(uint64_t count, std::vector<std::string_view>* pieces) {
    while (count > 0) {
      if (AtEnd()) return false;
      const grpc::Slice& slice = slices_[slice_];
      const size_t here = std::min<uint64_t>(count, slice.size() - offset_);
      if (pieces != nullptr) {
        pieces->emplace_back(reinterpret_cast<const char*>(slice.begin()) + offset_, here);
      }
      Advance(here);
      count -= here;
    }
    return true;
  }

 private:
  void Advance(size_t count) {
    offset_ += count;
    if (offset_ == slices_[slice_].size()) {
      ++slice_;
      offset_ = 0;
      SkipEmpty();
    }
  }
  void SkipEmpty() {
    while (slice_ < slices_.size() && slices_[slice_].size() == 0) ++slice_;
  }

  const std::vector<grpc::Slice>& slices_;
  size_t slice_ = 0;
  size_t offset_ = 0;
};

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("the service's answer is not a well-formed message (", what, ")"));
}

}  // namespace

absl::StatusOr<http::BorrowedBody> BorrowBytesField(const grpc::ByteBuffer& message, int number) {
  auto slices = std::make_shared<std::vector<grpc::Slice>>();
  if (grpc::Status dumped = message.Dump(slices.get()); !dumped.ok()) {
    return Malformed(dumped.error_message());
  }
  http::BorrowedBody body;
  SliceReader reader(*slices);
  while (!reader.AtEnd()) {
    uint64_t tag = 0;
    if (!reader.ReadVarint(&tag)) return Malformed("a field tag is cut off");
    const uint64_t field = tag >> 3;
    uint64_t skipped = 0;
    switch (tag & 7) {
      case 0:  // varint
        if (!reader.ReadVarint(&skipped)) return Malformed("a varint is cut off");
        break;
      case 1:  // fixed64
        if (!reader.Take(8, nullptr)) return Malformed("a fixed64 is cut off");
        break;
      case 2: {  // length-delimited
        uint64_t length = 0;
        if (!reader.ReadVarint(&length)) return Malformed("a length is cut off");
        const bool wanted = field == static_cast<uint64_t>(number);
        if (wanted) body.pieces.clear();  // The last occurrence is the value.
        if (!reader.Take(length, wanted ? &body.pieces : nullptr)) {
          return Malformed("a length-delimited field is cut off");
        }
        break;
      }
      case 5:  // fixed32
        if (!reader.Take(4, nullptr)) return Malformed("a fixed32 is cut off");
        break;
      default:
        return Malformed(absl::StrCat("wire type ", tag & 7));
    }
  }
  body.owner = std::move(slices);
  return body;
}

}  // namespace bitcontent::gateway
