// Who is calling the pricing API, from the verified access token: a member (session or
// API key, with the scope the call needs), naming only themselves ("users/me" or their
// own id), or an operator with their own session.
#pragma once

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "bitcontent/common/v1/principal.pb.h"
#include "libs/kit/access_token_verifier.h"

namespace bitcontent::pricing {

using PricingCaller = kit::CallingMember;

class PricingCallerCheck {
 public:
  // `verifier` must outlive this.
  explicit PricingCallerCheck(const kit::AccessTokenVerifier* verifier) : verifier_(verifier) {}

  // The calling member; UNAUTHENTICATED without a valid token, PERMISSION_DENIED
  // (SCOPE_MISSING) when it lacks `scope` (SCOPE_UNSPECIFIED: any member will do).
  absl::StatusOr<PricingCaller> Member(const grpc::ServerContext& context,
                                       common::v1::Scope scope) const;
  // As Member, when `user` (a request's `field`, "users/me" or "users/{id}") is the caller;
  // PERMISSION_DENIED for another member's, INVALID_ARGUMENT naming `field` for a value
  // that names no member at all.
  absl::StatusOr<PricingCaller> Self(const grpc::ServerContext& context, common::v1::Scope scope,
                                     std::string_view user, std::string_view field) const;
  // OK for an operator's own session; PERMISSION_DENIED otherwise.
  absl::Status Operator(const grpc::ServerContext& context) const;

 private:
  const kit::AccessTokenVerifier* const verifier_;
};

}  // namespace bitcontent::pricing
