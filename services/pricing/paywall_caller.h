// Who is calling the paywall API, from the verified access token: the owner's session or
// an API key with scope paywall:manage, naming only their own resources and endpoints
// ("users/me/..." or "users/{their id}/...").
#pragma once

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "libs/kit/access_token_verifier.h"

namespace bitcontent::pricing {

class PaywallCallerCheck {
 public:
  // `verifier` must outlive this.
  explicit PaywallCallerCheck(const kit::AccessTokenVerifier* verifier) : verifier_(verifier) {}

  // The caller's user id when `user` (the {user} of a request's name, "me" or an id) is
  // the caller; UNAUTHENTICATED without a valid token, PERMISSION_DENIED (SCOPE_MISSING)
  // for a key without paywall:manage, PERMISSION_DENIED for another member's user.
  absl::StatusOr<std::string> Owner(const grpc::ServerContext& context,
                                    std::string_view user) const;

 private:
  const kit::AccessTokenVerifier* const verifier_;
};

}  // namespace bitcontent::pricing
