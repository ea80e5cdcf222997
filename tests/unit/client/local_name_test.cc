// CheckLocalName: names that came sealed in someone else's link become paths on this
// device only when they are plain file names.
#include <catch2/catch.hpp>

#include "libs/client/file_transfer.h"

namespace bitcontent::client {
namespace {

TEST_CASE("a linked name becomes a local path only when it is a plain file name", "[client]") {
  for (const char* name : {"poster.png", "Day 1", ".hidden", "..dots", "naïve.txt"}) {
    INFO(name);
    CHECK(CheckLocalName(name).ok());
  }
  using namespace std::string_literals;
  for (const std::string& name :
       {""s, "."s, ".."s, "../../etc/passwd"s, "a/b"s, "/abs"s, "nul\0byte"s}) {
    INFO(name);
    const absl::Status checked = CheckLocalName(name);
    CHECK(absl::IsInvalidArgument(checked));
    CHECK(checked.message().find("not a plain file name") != std::string::npos);
  }
}

}  // namespace
}  // namespace bitcontent::client
