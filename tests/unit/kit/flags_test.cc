#include "libs/kit/flags.h"

#include <catch2/catch.hpp>
#include <cstdlib>

#include "absl/flags/flag.h"

ABSL_FLAG(int, kit_test_answer, 7, "A flag only this test sets.");

namespace bitcontent::kit {
namespace {

TEST_CASE("flag names map to BITCONTENT_ environment variables") {
  CHECK(EnvironmentNameOf("grpc_address") == "BITCONTENT_GRPC_ADDRESS");
  CHECK(EnvironmentNameOf("kit_test_answer") == "BITCONTENT_KIT_TEST_ANSWER");
}

TEST_CASE("ApplyEnvironment sets a flag from its variable") {
  setenv("BITCONTENT_KIT_TEST_ANSWER", "42", 1);
  REQUIRE(ApplyEnvironment().ok());
  CHECK(absl::GetFlag(FLAGS_kit_test_answer) == 42);
  unsetenv("BITCONTENT_KIT_TEST_ANSWER");
  absl::SetFlag(&FLAGS_kit_test_answer, 7);
}

TEST_CASE("ApplyEnvironment rejects an unparsable value and names the variable") {
  setenv("BITCONTENT_KIT_TEST_ANSWER", "forty-two", 1);
  absl::Status status = ApplyEnvironment();
  unsetenv("BITCONTENT_KIT_TEST_ANSWER");
  CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  CHECK_THAT(std::string(status.message()),
             Catch::Contains("BITCONTENT_KIT_TEST_ANSWER='forty-two'"));
  CHECK(absl::GetFlag(FLAGS_kit_test_answer) == 7);
}

}  // namespace
}  // namespace bitcontent::kit
