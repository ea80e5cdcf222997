#include "tests/integration/member.h"

#include <catch2/catch.hpp>

#include "libs/crypto/password_kdf.h"

namespace bitcontent::testing {

Member SignUpMember(TestSuite& suite, const std::string& email) {
  absl::StatusOr<std::unique_ptr<client::AccountClient>> made = client::AccountClient::Create(
      {.server = "http://" + suite->addresses("gateway").at("public_rest"),
       .config_dir = (suite.var_dir() / email).string(),
       .kdf_params = crypto::TestKdfParams(),
       .device_name = "laptop"});
  REQUIRE(made.ok());
  absl::StatusOr<client::v1::Credentials> credentials = (*made)->SignUp(email, "correct horse");
  INFO(credentials.status().ToString());
  REQUIRE(credentials.ok());
  absl::StatusOr<std::string> token = (*made)->AccessToken();
  REQUIRE(token.ok());
  const std::string& session = credentials->session();
  return {*std::move(made), *std::move(credentials), *std::move(token),
          session.substr(session.rfind('/') + 1)};
}

}  // namespace bitcontent::testing
