// MemberStates: whether a member is still active, asked of accounts (BatchGetUsers) and
// remembered for kActiveRememberedFor (kit::ActiveMembers). A public link opens nothing,
// and a shared folder is out of its members' reach, once the member who made it is
// disabled: an operator's takedown stops what the member published and shared, within
// that time, and enabling them again brings it back.
#pragma once

#include <grpcpp/channel.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/kit/active_members.h"

namespace bitcontent::metadata {

class MemberStates {
 public:
  static constexpr absl::Duration kActiveRememberedFor = absl::Seconds(10);
  static constexpr absl::Duration kCallTimeout = absl::Seconds(2);
  static constexpr size_t kRememberedMax = 100'000;

  // Calls AccountsInternalService on `accounts`; null means no --accounts_target, and
  // every member counts as active (a metadata run alone, in tests).
  explicit MemberStates(std::shared_ptr<grpc::Channel> accounts) : accounts_(std::move(accounts)) {}

  // OK when `user_name` ("users/{id}") is an active member; NOT_FOUND when accounts says
  // they are not (disabled, or gone); UNAVAILABLE when accounts cannot be asked: nothing
  // is opened on a guess.
  absl::Status RequireActive(absl::string_view user_name) const;

 private:
  const std::shared_ptr<grpc::Channel> accounts_;
  const kit::ActiveMembers active_{kRememberedMax, kActiveRememberedFor};
};

}  // namespace bitcontent::metadata
