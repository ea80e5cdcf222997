// OpenChunkFile: the file a ReadChunkResponse names is opened to be sent whole; an
// answer with the bytes names none; a file gone, or not the size blobs said, is refused
// so the gateway asks for the bytes instead of sending a short or wrong body.
#include "services/gateway/chunk_file.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "bitcontent/blobs/v1/blobs_service.pb.h"

namespace bitcontent::gateway {
namespace {

constexpr int kFileField = blobs::v1::ReadChunkResponse::kFileFieldNumber;

grpc::ByteBuffer Serialized(const blobs::v1::ReadChunkResponse& response) {
  const std::string bytes = response.SerializeAsString();
  grpc::Slice slice(bytes.data(), bytes.size());
  return grpc::ByteBuffer(&slice, 1);
}

grpc::ByteBuffer Naming(const std::string& path, uint64_t size) {
  blobs::v1::ReadChunkResponse response;
  response.set_index(3);
  response.set_hash(std::string(32, 'h'));
  response.mutable_file()->set_path(path);
  response.mutable_file()->set_size_bytes(size);
  return Serialized(response);
}

TEST_CASE("the gateway opens the chunk file blobs names, and only a whole one",
          "[gateway][chunk_file]") {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("chunk_file_test." + std::to_string(::getpid()));
  std::ofstream(path, std::ios::binary) << std::string(1000, 'c');

  absl::StatusOr<std::optional<http::FileBody>> opened =
      OpenChunkFile(Naming(path, 1000), kFileField);
  REQUIRE(opened.ok());
  REQUIRE(opened->has_value());
  CHECK((*opened)->offset == 0);
  CHECK((*opened)->length == 1000);
  char first = 0;
  CHECK(::pread((*opened)->fd, &first, 1, 0) == 1);
  CHECK(first == 'c');

  // Not the size blobs said: another copy, or one cut short.
  CHECK(absl::IsUnavailable(OpenChunkFile(Naming(path, 1001), kFileField).status()));
  std::filesystem::remove(path);
  // Collected between blobs' answer and the gateway's open.
  absl::StatusOr<std::optional<http::FileBody>> gone =
      OpenChunkFile(Naming(path, 1000), kFileField);
  REQUIRE(absl::IsUnavailable(gone.status()));
  CHECK_THAT(std::string(gone.status().message()), Catch::Contains(path.string()));
  // A relative path is never opened from wherever the gateway runs.
  CHECK(absl::IsInternal(OpenChunkFile(Naming("ab/cd/abcd", 1000), kFileField).status()));

  blobs::v1::ReadChunkResponse bytes;
  bytes.set_data("sealed");
  absl::StatusOr<std::optional<http::FileBody>> none = OpenChunkFile(Serialized(bytes), kFileField);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

}  // namespace
}  // namespace bitcontent::gateway
