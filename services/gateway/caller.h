// Caller: who a request's credential authenticates, as the gateway keeps it (see
// Authenticator, which caches one per credential).
#pragma once

#include <string>

#include "absl/time/time.h"
#include "bitcontent/common/v1/principal.pb.h"

namespace bitcontent::gateway {

// Who a credential authenticates, and what the gateway needs to act for them.
struct Caller {
  common::v1::Principal principal = {};
  // The access token forwarded to services: the member's own, or for an API key the one
  // accounts exchanged it for.
  std::string access_token = {};
  // Set in Redis when the session or API key is revoked.
  std::string revocation_key = {};
  // The per-principal rate-limit key.
  std::string rate_limit_key = {};
  // When the credential stops being valid.
  absl::Time expire_time = absl::InfinitePast();
};

}  // namespace bitcontent::gateway
