// OpenChunkFile: the gateway's side of ReadChunkResponse.file. On the blob service's
// machine (--blobs_local_files), blobs answers a chunk download with the file that holds
// the chunk's copy instead of its bytes, and the gateway has the kernel send that file
// to the client (sendfile): the MiB crosses no socket between blobs and the gateway,
// and is copied by neither. Blobs has checked the grant; the client checks the bytes
// (each chunk's tag) as it does for every download.
#pragma once

#include <grpcpp/support/byte_buffer.h>

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/http/response.h"

namespace bitcontent::gateway {

// The metadata that asks blobs for the file (ReadChunkResponse.file).
inline constexpr absl::string_view kChunkFileKey = "x-bitcontent-chunk-file";

// The file that field `number` of the serialized response names (a ChunkFile), opened
// to be sent whole; nullopt when the response carries the bytes instead. UNAVAILABLE when
// the file cannot be opened or is not the size blobs said (collected meanwhile, or the
// gateway may not read it): the caller then asks for the bytes.
absl::StatusOr<std::optional<http::FileBody>> OpenChunkFile(const grpc::ByteBuffer& response,
                                                            int number);

}  // namespace bitcontent::gateway
