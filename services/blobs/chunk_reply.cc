#include "services/blobs/chunk_reply.h"

#include <memory>

#include "bitcontent/blobs/v1/blobs_service.pb.h"

namespace bitcontent::blobs {
namespace {

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// Field `number` of wire type `type`, as protobuf writes its tag.
void AppendTag(int number, int type, std::string* out) {
  AppendVarint((static_cast<uint64_t>(number) << 3) | static_cast<uint64_t>(type), out);
}

constexpr int kVarint = 0;
constexpr int kLengthDelimited = 2;

// Drops the share of the bytes' owner a slice held.
void ReleaseOwner(void* owner) { delete static_cast<std::shared_ptr<const void>*>(owner); }

}  // namespace

std::string ChunkReplyHead(const ChunkReply& reply) {
  using Response = v1::ReadChunkResponse;
  // Fields in number order, defaults left out, as protobuf serializes a message.
  std::string head;
  if (reply.index != 0) {
    AppendTag(Response::kIndexFieldNumber, kVarint, &head);
    AppendVarint(reply.index, &head);
  }
  if (!reply.hash.empty()) {
    AppendTag(Response::kHashFieldNumber, kLengthDelimited, &head);
    AppendVarint(reply.hash.size(), &head);
    head.append(reply.hash);
  }
  if (reply.data.size() != 0) {
    AppendTag(Response::kDataFieldNumber, kLengthDelimited, &head);
    AppendVarint(reply.data.size(), &head);
  }
  return head;
}

}  // namespace bitcontent::blobs

namespace grpc {

Status SerializationTraits<bitcontent::blobs::ChunkReply, void>::Serialize(
    const bitcontent::blobs::ChunkReply& reply, ByteBuffer* buffer, bool* own_buffer) {
  Slice slices[2] = {Slice(bitcontent::blobs::ChunkReplyHead(reply)), Slice()};
  size_t count = 1;
  if (reply.data.size() != 0) {
    // The slice points at the chunk where it lies and holds a share of its owner until
    // gRPC has sent it.
    const absl::string_view bytes = reply.data.view();
    slices[count++] =
        Slice(const_cast<char*>(bytes.data()), bytes.size(), bitcontent::blobs::ReleaseOwner,
              new std::shared_ptr<const void>(reply.data.owner()));
  }
  *buffer = ByteBuffer(slices, count);
  *own_buffer = true;
  return Status::OK;
}

Status SerializationTraits<bitcontent::blobs::ChunkReply, void>::Deserialize(
    ByteBuffer* /*buffer*/, bitcontent::blobs::ChunkReply* /*reply*/) {
  return Status(StatusCode::INTERNAL, "a chunk reply is only sent, never read");
}

}  // namespace grpc
