// MemberDirectory: the wallet's questions to accounts — may a member be paid (they exist
// and are active), who has an email (Pay to payee_email), and the spend limits of API
// keys that pay. Every question goes to AccountsInternalService, which the wallet may
// call as a service whatever the calling member's token allows.
//
// That a member may be paid is remembered for kPayableLifetime: a payment by wallet name
// then costs no call to accounts (it halved the rate of payments through the gateway,
// 2,230 to 1,167 a second on the 2-core bench host). A member an operator disables
// meanwhile can still be paid for at most that long; one disabled before is refused at
// once, since only "payable" is remembered, never "not payable".
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/server_context.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/kit/active_members.h"

namespace bitcontent::wallet {

class MemberDirectory {
 public:
  static constexpr absl::Duration kCallTimeout = absl::Seconds(5);
  static constexpr absl::Duration kPayableLifetime = absl::Seconds(10);
  static constexpr size_t kPayableEntriesMax = 1 << 16;
  // Calls accounts on `accounts`; null (no --accounts_target) makes every call answer
  // UNAVAILABLE saying so.
  explicit MemberDirectory(std::shared_ptr<grpc::Channel> accounts)
      : accounts_(std::move(accounts)) {}

  // How recent an answer CheckPayable takes: one remembered within kPayableLifetime (a
  // payment), or accounts' own now (an operator's decision).
  enum class Freshness { kRemembered, kNow };
  // OK when users/{user_id} is an active member, who may be paid; NOT_FOUND naming the
  // wallet when there is no such member or they are not active (disabled by an operator,
  // or an imported account not claimed yet).
  absl::Status CheckPayable(const grpc::ServerContext& caller, absl::string_view user_id,
                            Freshness freshness = Freshness::kRemembered) const;
  // The user id of the active member with `email`, asked through accounts' internal API
  // (the wallet is trusted to resolve a payee; the caller needs only wallet:pay);
  // NOT_FOUND when no active member has it. With `any_state`, also a member who is not
  // active (the payee of an earlier payment, retried).
  absl::StatusOr<std::string> UserOfEmail(const grpc::ServerContext& caller,
                                          absl::string_view email, bool any_state = false) const;
  // Counts `amount_msat` against the API key's spend limit, idempotently per
  // `request_id`; RESOURCE_EXHAUSTED (SPEND_LIMIT_EXCEEDED) past the limit.
  absl::Status ChargeApiKey(const grpc::ServerContext& caller, absl::string_view api_key,
                            uint64_t amount_msat, absl::string_view request_id) const;
  // Gives back a charge whose payment did not happen.
  absl::Status RefundApiKey(const grpc::ServerContext& caller, absl::string_view api_key,
                            uint64_t amount_msat, absl::string_view request_id) const;

 private:
  std::shared_ptr<grpc::Channel> accounts_;
  const kit::ActiveMembers active_{kPayableEntriesMax, kPayableLifetime};
};

}  // namespace bitcontent::wallet
