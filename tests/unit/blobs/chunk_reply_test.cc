// ChunkReply: what ReadChunk sends is a ReadChunkResponse any client parses, with the
// chunk's bytes sent from where they were read and let go once gRPC is done with them.
#include "services/blobs/chunk_reply.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "bitcontent/blobs/v1/blobs_service.pb.h"

namespace bitcontent::blobs {
namespace {

std::string Flattened(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  REQUIRE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

TEST_CASE("a chunk reply parses as the ReadChunkResponse it stands for", "[blobs][chunk_reply]") {
  for (const uint32_t index : {0u, 1u, 300u, 4'000'000'000u}) {
    for (const size_t size : {size_t{0}, size_t{1}, size_t{127}, size_t{128}, size_t{1} << 20}) {
      std::string data(size, '\0');
      for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>(i * 31 + index);
      const ChunkReply reply = {.index = index, .hash = std::string(32, 'h'), .data = data};
      grpc::ByteBuffer buffer;
      bool own = false;
      REQUIRE(grpc::SerializationTraits<ChunkReply>::Serialize(reply, &buffer, &own).ok());
      CHECK(own);
      v1::ReadChunkResponse parsed;
      REQUIRE(parsed.ParseFromString(Flattened(buffer)));
      CHECK(parsed.index() == index);
      CHECK(parsed.hash() == std::string(32, 'h'));
      CHECK(parsed.data() == data);
      // Byte for byte what protobuf itself writes.
      v1::ReadChunkResponse expected;
      expected.set_index(index);
      expected.set_hash(std::string(32, 'h'));
      expected.set_data(data);
      CHECK(Flattened(buffer) == expected.SerializeAsString());
    }
  }
}

TEST_CASE("a chunk reply sends the bytes where they lie and lets them go after",
          "[blobs][chunk_reply]") {
  auto held = std::make_shared<const std::string>(std::string(1 << 20, 'c'));
  const std::weak_ptr<const void> watched = held;
  {
    grpc::ByteBuffer buffer;
    {
      const ChunkReply reply = {.index = 7, .data = ObjectBytes(held, *held)};
      held.reset();
      bool own = false;
      REQUIRE(grpc::SerializationTraits<ChunkReply>::Serialize(reply, &buffer, &own).ok());
    }
    // The reply is gone; the buffer still holds the bytes, in place.
    CHECK_FALSE(watched.expired());
    std::vector<grpc::Slice> slices;
    REQUIRE(buffer.Dump(&slices).ok());
    REQUIRE(slices.size() == 2);
    CHECK(reinterpret_cast<const char*>(slices[1].begin()) ==
          static_cast<const std::string*>(watched.lock().get())->data());
  }
  CHECK(watched.expired());
}

}  // namespace
}  // namespace bitcontent::blobs
