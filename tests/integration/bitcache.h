// Bitcache for integration tests: a member's id and wallet as the gateway shows them,
// funds credited the way a service credits them (an operator adjustment through the
// wallet's internal ledger API, which the gateway never exposes), and API keys.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <string>

#include "bitcontent/accounts/v1/users.pb.h"
#include "bitcontent/common/v1/principal.pb.h"
#include "tests/integration/harness.h"
#include "tests/integration/member.h"
#include "tests/integration/rest.h"

namespace bitcontent::testing {

// The id after "users/" of the member whose token this is.
std::string UserIdOf(Rest& rest, const std::string& token);

// GET /v1/users/me/wallet (which also opens the wallet on first use).
google::protobuf::Struct WalletOf(Rest& rest, const std::string& token);

// The wallet's available millisatoshi.
uint64_t AvailableMsat(Rest& rest, const std::string& token);

// Credits `amount_msat` to the member's wallet from the operator adjustments account;
// `reference` makes the transfer id, so the same reference funds once.
void Fund(TestSuite& suite, const std::string& user_id, uint64_t amount_msat,
          const std::string& reference = "test-funding");

// A new API key of `member` holding `scope`; its secret. A wallet:pay key needs a
// lifetime `spend_limit_msat`.
std::string ApiKey(Member& member, common::v1::Scope scope,
                   const std::string& display_name = "news site", uint64_t spend_limit_msat = 0);

// Disables `user_id` (or enables them again) as an operator (`operator_token`, an
// operator's session) does, through the gateway's public gRPC API.
void SetUserState(TestSuite& suite, const std::string& operator_token, const std::string& user_id,
                  accounts::v1::UserState state);

}  // namespace bitcontent::testing
