// ActiveMembers: which members are active and may be paid, asked of accounts
// (AccountsInternalService.BatchGetUsers) and remembered. The wallet's payments and
// pricing's purchases ask it before crediting anyone: a disabled member's wallet takes
// nothing new. Only "active" is remembered, for `lifetime`, never "not active": a member
// disabled before is refused at once, one disabled meanwhile can be paid for at most
// that long.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/kit/expiring_cache.h"

namespace bitcontent::kit {

class ActiveMembers {
 public:
  ActiveMembers(size_t entries_max, absl::Duration lifetime)
      : lifetime_(lifetime), active_(entries_max, lifetime) {}

  // The first of `user_names` ("users/{user}") that is not an active member (disabled, an
  // imported account not claimed yet, or unknown to accounts), or nullopt when all are.
  // Accounts fails a batch with one unknown name without saying which: with several
  // asked, that answer is "one of" them. A failed call comes back as FromCall says.
  absl::StatusOr<std::optional<std::string>> FirstInactive(
      const std::shared_ptr<grpc::Channel>& accounts, grpc::ClientContext& context,
      const std::vector<std::string>& user_names) const {
    return Ask(accounts, context, user_names, /*remembered=*/true);
  }
  // As FirstInactive, asking accounts about every one of them and remembering nothing:
  // for rare, deliberate acts (naming a member in a split), whose answer should not
  // let a purchase soon after skip its own question.
  absl::StatusOr<std::optional<std::string>> FirstInactiveNow(
      const std::shared_ptr<grpc::Channel>& accounts, grpc::ClientContext& context,
      const std::vector<std::string>& user_names) const {
    return Ask(accounts, context, user_names, /*remembered=*/false);
  }

 private:
  absl::StatusOr<std::optional<std::string>> Ask(const std::shared_ptr<grpc::Channel>& accounts,
                                                 grpc::ClientContext& context,
                                                 const std::vector<std::string>& user_names,
                                                 bool remembered) const;

  const absl::Duration lifetime_;
  // Members accounts said are active, by "users/{user}" (the value says nothing more).
  mutable ExpiringCache<bool> active_;
};

}  // namespace bitcontent::kit
