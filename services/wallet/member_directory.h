// MemberDirectory: the wallet's questions to accounts — does a member exist (before a
// first payment creates their wallet), who has an email (Pay to payee_email), and the
// spend limits of API keys that pay.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/server_context.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace bitcontent::wallet {

class MemberDirectory {
 public:
  static constexpr absl::Duration kCallTimeout = absl::Seconds(5);
  // Calls accounts on `accounts`; null (no --accounts_target) makes every call answer
  // UNAVAILABLE saying so.
  explicit MemberDirectory(std::shared_ptr<grpc::Channel> accounts)
      : accounts_(std::move(accounts)) {}

  // OK when users/{user_id} exists; NOT_FOUND naming the wallet otherwise.
  absl::Status CheckMember(const grpc::ServerContext& caller, absl::string_view user_id) const;
  // The user id of the member with `email`, asked with the caller's own token (accounts
  // applies its rules on who may look members up); NOT_FOUND when there is none.
  absl::StatusOr<std::string> UserOfEmail(const grpc::ServerContext& caller,
                                          absl::string_view email) const;
  // Counts `amount_msat` against the API key's spend limit, idempotently per
  // `request_id`; RESOURCE_EXHAUSTED (SPEND_LIMIT_EXCEEDED) past the limit.
  absl::Status ChargeApiKey(const grpc::ServerContext& caller, absl::string_view api_key,
                            uint64_t amount_msat, absl::string_view request_id) const;
  // Gives back a charge whose payment did not happen.
  absl::Status RefundApiKey(const grpc::ServerContext& caller, absl::string_view api_key,
                            uint64_t amount_msat, absl::string_view request_id) const;

 private:
  std::shared_ptr<grpc::Channel> accounts_;
};

}  // namespace bitcontent::wallet
