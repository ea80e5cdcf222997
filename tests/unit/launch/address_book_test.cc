#include "libs/launch/address_book.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "libs/kit/address_file.h"

namespace bitcontent::launch {
namespace {

TEST_CASE("what the kit writes, the launcher reads back") {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("address-book-" + std::to_string(getpid()));
  REQUIRE(kit::WriteAddressFile(path.string(), "wallet",
                                {{"grpc", "127.0.0.1:4001"}, {"admin", "127.0.0.1:4002"}})
              .ok());
  absl::StatusOr<std::map<std::string, std::string>> book = ReadAddressFile(path.string());
  std::filesystem::remove(path);
  REQUIRE(book.ok());
  CHECK(book->at("service") == "wallet");
  CHECK(book->at("grpc") == "127.0.0.1:4001");
  CHECK(book->at("admin") == "127.0.0.1:4002");
  CHECK(book->at("pid") == std::to_string(getpid()));
}

TEST_CASE("a missing address file is NotFound and a damaged one names the offset") {
  CHECK(ReadAddressFile("/nonexistent/x.json").status().code() == absl::StatusCode::kNotFound);
  absl::StatusOr<std::map<std::string, std::string>> damaged =
      ParseAddressFile("{\"grpc\": \"127.0.0.1:1\", \"admin\" ");
  CHECK(damaged.status().code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(damaged.status().message()), Catch::Contains("offset"));
  CHECK(ParseAddressFile("{}")->empty());
  CHECK_FALSE(ParseAddressFile("{\"a\": \"b\"} trailing").ok());
}

}  // namespace
}  // namespace bitcontent::launch
