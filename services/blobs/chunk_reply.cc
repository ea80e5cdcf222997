#include "services/blobs/chunk_reply.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <memory>

#include "bitcontent/blobs/v1/blobs_service.pb.h"

namespace bitcontent::blobs {
namespace {

// Drops the share of the bytes' owner a slice held.
void ReleaseOwner(void* owner) { delete static_cast<std::shared_ptr<const void>*>(owner); }

}  // namespace

std::string ChunkReplyHead(const ChunkReply& reply) {
  using google::protobuf::internal::WireFormatLite;
  // The message without data, then data's tag and length, is what precedes data's
  // bytes (protobuf reads fields in any order).
  v1::ReadChunkResponse fields;
  fields.set_index(reply.index);
  fields.set_hash(reply.hash);
  if (reply.file.has_value()) {
    fields.mutable_file()->set_path(reply.file->path);
    fields.mutable_file()->set_size_bytes(reply.file->size);
  }
  std::string head = fields.SerializeAsString();
  if (reply.data.size() != 0) {
    google::protobuf::io::StringOutputStream stream(&head);
    google::protobuf::io::CodedOutputStream output(&stream);
    WireFormatLite::WriteTag(v1::ReadChunkResponse::kDataFieldNumber,
                             WireFormatLite::WIRETYPE_LENGTH_DELIMITED, &output);
    output.WriteVarint64(reply.data.size());
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
