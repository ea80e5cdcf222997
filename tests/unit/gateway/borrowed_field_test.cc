// BorrowBytesField: a chunk's bytes found in the slices of a ReadChunkResponse as gRPC
// received them, wherever the slices happen to be cut, without parsing the message.
#include "services/gateway/borrowed_field.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "bitcontent/blobs/v1/blobs_service.pb.h"

namespace bitcontent::gateway {
namespace {

constexpr int kDataField = blobs::v1::ReadChunkResponse::kDataFieldNumber;

// `bytes` as a ByteBuffer of slices cut at `cuts` (ascending offsets).
grpc::ByteBuffer Cut(const std::string& bytes, const std::vector<size_t>& cuts) {
  std::vector<grpc::Slice> slices;
  size_t from = 0;
  for (size_t cut : cuts) {
    slices.emplace_back(bytes.data() + from, cut - from);
    from = cut;
  }
  slices.emplace_back(bytes.data() + from, bytes.size() - from);
  return grpc::ByteBuffer(slices.data(), slices.size());
}

std::string Joined(const http::BorrowedBody& body) {
  std::string joined;
  for (std::string_view piece : body.pieces) joined.append(piece);
  return joined;
}

std::string Serialized(size_t data_bytes) {
  blobs::v1::ReadChunkResponse response;
  response.set_index(300);
  response.set_hash(std::string(32, 'h'));
  std::string data(data_bytes, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7 + 1);
  response.set_data(data);
  return response.SerializeAsString();
}

TEST_CASE("borrowing a bytes field finds it across any cut of the slices",
          "[gateway][borrowed_field]") {
  blobs::v1::ReadChunkResponse expected;
  REQUIRE(expected.ParseFromString(Serialized(200)));
  const std::string bytes = Serialized(200);
  for (size_t first = 0; first <= bytes.size(); ++first) {
    for (size_t second = first; second <= bytes.size(); second += 13) {
      absl::StatusOr<http::BorrowedBody> body =
          BorrowBytesField(Cut(bytes, {first, second}), kDataField);
      REQUIRE(body.ok());
      REQUIRE(Joined(*body) == expected.data());
      CHECK(body->owner != nullptr);
    }
  }
  // The hash field (2) too: any length-delimited field by its number.
  absl::StatusOr<http::BorrowedBody> hash = BorrowBytesField(Cut(bytes, {5}), 2);
  REQUIRE(hash.ok());
  CHECK(Joined(*hash) == std::string(32, 'h'));
}

TEST_CASE("borrowing a bytes field gives nothing when it is absent, and the last when repeated",
          "[gateway][borrowed_field]") {
  blobs::v1::ReadChunkResponse no_data;
  no_data.set_index(1);
  absl::StatusOr<http::BorrowedBody> empty =
      BorrowBytesField(Cut(no_data.SerializeAsString(), {}), kDataField);
  REQUIRE(empty.ok());
  CHECK(Joined(*empty).empty());

  blobs::v1::ReadChunkResponse first;
  first.set_data("first");
  blobs::v1::ReadChunkResponse second;
  second.set_data("second");
  // Concatenated encodings merge; for a bytes field the last value stands.
  const std::string both = first.SerializeAsString() + second.SerializeAsString();
  blobs::v1::ReadChunkResponse parsed;
  REQUIRE(parsed.ParseFromString(both));
  absl::StatusOr<http::BorrowedBody> last = BorrowBytesField(Cut(both, {3}), kDataField);
  REQUIRE(last.ok());
  CHECK(Joined(*last) == parsed.data());
}

TEST_CASE("borrowing a bytes field refuses a message that is cut off or malformed",
          "[gateway][borrowed_field]") {
  const std::string bytes = Serialized(1000);
  // Inside the index varint, inside the hash, inside the data.
  for (size_t keep : {size_t{2}, size_t{10}, bytes.size() - 1}) {
    absl::StatusOr<http::BorrowedBody> cut =
        BorrowBytesField(Cut(bytes.substr(0, keep), {}), kDataField);
    CHECK(cut.status().code() == absl::StatusCode::kInternal);
  }
  // Wire type 7 does not exist; a varint of eleven bytes does not either.
  CHECK(BorrowBytesField(Cut("\x0f", {}), kDataField).status().code() ==
        absl::StatusCode::kInternal);
  CHECK(BorrowBytesField(Cut(std::string(11, '\xff'), {}), kDataField).status().code() ==
        absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace bitcontent::gateway
