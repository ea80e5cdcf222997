#include "services/gateway/chunk_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "bitcontent/blobs/v1/blobs_service.pb.h"
#include "services/gateway/borrowed_field.h"

namespace bitcontent::gateway {

absl::StatusOr<std::optional<http::FileBody>> OpenChunkFile(const grpc::ByteBuffer& response,
                                                            int number) {
  absl::StatusOr<http::BorrowedBody> field = BorrowBytesField(response, number);
  if (!field.ok()) return field.status();
  if (field->pieces.empty()) return std::nullopt;
  std::string encoded;
  for (std::string_view piece : field->pieces) encoded.append(piece);
  blobs::v1::ChunkFile named;
  if (!named.ParseFromString(encoded) || named.path().empty() || named.path().front() != '/') {
    return absl::InternalError("the blob service named a chunk file badly");
  }
  const int fd = ::open(named.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot open the chunk file ", named.path(), ": ", std::strerror(errno)));
  }
  http::FileBody body = http::FileBody::Own(fd, 0, named.size_bytes());
  struct stat info = {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) ||
      static_cast<uint64_t>(info.st_size) != named.size_bytes()) {
    return absl::UnavailableError(
        absl::StrCat("the chunk file ", named.path(), " is not the size the blob service said"));
  }
  return body;
}

}  // namespace bitcontent::gateway
