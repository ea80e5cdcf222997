// A member signed up through the gateway with the client engine the CLI uses, for
// integration tests that then talk to the API as that member.
#pragma once

#include <memory>
#include <string>

#include "bitcontent/client/v1/credentials.pb.h"
#include "libs/client/account_client.h"
#include "tests/integration/harness.h"

namespace bitcontent::testing {

struct Member {
  std::unique_ptr<client::AccountClient> client;
  client::v1::Credentials credentials;
  std::string token;       // A fresh access token.
  std::string session_id;  // The id at the end of the session's name.
};

// Signs `email` up (password "correct horse", cheap KDF) through `suite`'s gateway, with
// its config under the suite's directory; fails the test if it cannot.
Member SignUpMember(TestSuite& suite, const std::string& email);

}  // namespace bitcontent::testing
