#include "libs/kit/log.h"

#include <catch2/catch.hpp>

namespace bitcontent::kit {
namespace {

TEST_CASE("logfmt leaves plain values bare and quotes the rest") {
  CHECK(Logfmt({{"request_id", "ab12"}, {"code", "OK"}}) == "request_id=ab12 code=OK");
  CHECK(Logfmt({{"error", "no such file"}}) == "error=\"no such file\"");
  CHECK(Logfmt({{"empty", ""}}) == "empty=\"\"");
  CHECK(Logfmt({{"q", "say \"hi\""}}) == "q=\"say \\\"hi\\\"\"");
  CHECK(Logfmt({{"eq", "a=b"}}) == "eq=\"a=b\"");
}

TEST_CASE("logfmt cannot be tricked into a second line or a forged field") {
  const std::string line = Logfmt({{"name", "x\nlevel=error msg=forged"}});
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line == "name=\"x\\nlevel=error msg=forged\"");
  CHECK(Logfmt({{"bell", "\x07"}}) == "bell=\"\\x07\"");
}

TEST_CASE("an unknown log level is refused with the accepted ones listed") {
  absl::Status status = InitLogging("test", "loud");
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(status.message()), Catch::Contains("trace, debug, info, warn, error"));
}

}  // namespace
}  // namespace bitcontent::kit
