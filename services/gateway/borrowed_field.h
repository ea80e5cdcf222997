// BorrowBytesField: one bytes field of a serialized protobuf message, found in the
// slices gRPC received it in and handed on as views of them, without parsing the message
// into a string. The gateway answers a chunk download (ReadChunkResponse.data, a MiB)
// this way: parsing would copy it once, and more while the string grows.
#pragma once

#include <grpcpp/support/byte_buffer.h>

#include "absl/status/statusor.h"
#include "libs/http/response.h"

namespace bitcontent::gateway {

// The bytes of the length-delimited field `number` of the message in `message` (the
// last one, as protobuf reads it; none when absent), as pieces owned by the result.
// INTERNAL when `message` is not a well-formed protobuf encoding.
absl::StatusOr<http::BorrowedBody> BorrowBytesField(const grpc::ByteBuffer& message, int number);

}  // namespace bitcontent::gateway
