#include "services/gateway/borrowed_field.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpcpp/support/proto_buffer_reader.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace bitcontent::gateway {
namespace {

using google::protobuf::internal::WireFormatLite;

// The message and a reader of it, which the body keeps: the reader hands out views of
// the message's slices (or of the copy it decompressed them into, which it owns).
struct Held {
  explicit Held(const grpc::ByteBuffer& message) : message(message), reader(&this->message) {}
  grpc::ByteBuffer message;  // A second reference to the same slices, not a copy.
  grpc::ProtoBufferReader reader;
};

absl::Status Malformed(absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("the service's answer is not a well-formed message (", what, ")"));
}

}  // namespace

absl::StatusOr<http::BorrowedBody> BorrowBytesField(const grpc::ByteBuffer& message, int number) {
  auto held = std::make_shared<Held>(message);
  google::protobuf::io::CodedInputStream input(&held->reader);
  http::BorrowedBody body;
  while (const uint32_t tag = input.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) != number ||
        WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&input, tag)) return Malformed("a field is cut off or bad");
      continue;
    }
    uint32_t left = 0;
    if (!input.ReadVarint32(&left)) return Malformed("a length is cut off");
    body.pieces.clear();  // The last occurrence is the value.
    while (left > 0) {
      const void* data = nullptr;
      int size = 0;
      if (!input.GetDirectBufferPointer(&data, &size)) return Malformed("the field is cut off");
      const auto here = std::min<uint32_t>(left, static_cast<uint32_t>(size));
      body.pieces.emplace_back(static_cast<const char*>(data), here);
      input.Skip(static_cast<int>(here));
      left -= here;
    }
  }
  if (!input.ConsumedEntireMessage()) return Malformed("a field tag is cut off or bad");
  body.owner = std::move(held);
  return body;
}

}  // namespace bitcontent::gateway
