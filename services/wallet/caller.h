// Who is calling the wallet's member and operator APIs, from the verified access token,
// and the checks every handler makes: the scope the call needs, and that a member
// names only their own wallet ("users/me/wallet" or "users/{their id}/wallet").
#pragma once

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "bitcontent/common/v1/principal.pb.h"
#include "libs/kit/access_token_verifier.h"

namespace bitcontent::wallet {

using Caller = kit::CallingMember;

class CallerCheck {
 public:
  // `verifier` must outlive this.
  explicit CallerCheck(const kit::AccessTokenVerifier* verifier) : verifier_(verifier) {}

  // The calling member; UNAUTHENTICATED without a valid token, PERMISSION_DENIED
  // (SCOPE_MISSING) when it lacks `scope`.
  absl::StatusOr<Caller> Member(const grpc::ServerContext& context, common::v1::Scope scope) const;
  // The calling member, as Member, when `wallet_name` (a request's `field`) is their own
  // wallet ("users/me/wallet" or "users/{their id}/wallet"); PERMISSION_DENIED for
  // another member's, INVALID_ARGUMENT naming `field` for something else.
  absl::StatusOr<Caller> OwnWallet(const grpc::ServerContext& context, common::v1::Scope scope,
                                   std::string_view wallet_name, std::string_view field) const;
  // The calling operator's user id; PERMISSION_DENIED unless a session of an operator.
  absl::StatusOr<std::string> Operator(const grpc::ServerContext& context) const;

 private:
  const kit::AccessTokenVerifier* const verifier_;
};

// The user id of "users/{user}/wallet"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> UserOfWalletName(std::string_view name, std::string_view field);

}  // namespace bitcontent::wallet
