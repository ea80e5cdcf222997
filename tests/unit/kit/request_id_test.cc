#include "libs/kit/request_id.h"

#include <catch2/catch.hpp>
#include <set>

namespace bitcontent::kit {
namespace {

TEST_CASE("new request ids are 32 hex characters and do not repeat") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewRequestId();
    CHECK(id.size() == 32);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(IsUsableRequestId(id));
    seen.insert(std::move(id));
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("only short, plain request ids from callers are usable") {
  CHECK(IsUsableRequestId("abc-DEF_1.2"));
  CHECK_FALSE(IsUsableRequestId(""));
  CHECK_FALSE(IsUsableRequestId("has space"));
  CHECK_FALSE(IsUsableRequestId("quote\""));
  CHECK_FALSE(IsUsableRequestId("line\nbreak"));
  CHECK(IsUsableRequestId(std::string(kRequestIdLengthMax, 'a')));
  CHECK_FALSE(IsUsableRequestId(std::string(kRequestIdLengthMax + 1, 'a')));
}

}  // namespace
}  // namespace bitcontent::kit
