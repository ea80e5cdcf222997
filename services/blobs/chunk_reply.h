// ChunkReply: ReadChunk's answer, a ReadChunkResponse on the wire, serialized by
// pointing gRPC at the chunk's bytes where the provider's read left them (ObjectBytes)
// instead of copying them into a message and the message into gRPC's buffer. The
// service answers ReadChunk through it as a streamed unary method (one request, one
// reply), which is how gRPC lets a synchronous handler write a type of its own.
#pragma once

#include <grpcpp/impl/serialization_traits.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

#include <cstdint>
#include <optional>
#include <string>

#include "services/blobs/object_bytes.h"
#include "services/blobs/provider.h"

namespace bitcontent::blobs {

struct ChunkReply {
  uint32_t index = 0;
  std::string hash = {};
  ObjectBytes data = {};
  std::optional<ObjectFile> file = {};  // Sent instead of `data` when set.
};

// The encoding of `reply` as a ReadChunkResponse: the fields before `data` and data's
// tag and length (what precedes the chunk's bytes themselves).
std::string ChunkReplyHead(const ChunkReply& reply);

}  // namespace bitcontent::blobs

namespace grpc {

template <>
class SerializationTraits<bitcontent::blobs::ChunkReply, void> {
 public:
  static Status Serialize(const bitcontent::blobs::ChunkReply& reply, ByteBuffer* buffer,
                          bool* own_buffer);
  // Only ever sent.
  static Status Deserialize(ByteBuffer* buffer, bitcontent::blobs::ChunkReply* reply);
};

}  // namespace grpc
