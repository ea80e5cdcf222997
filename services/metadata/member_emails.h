// MemberEmails: members' emails by user id, asked of accounts (BatchGetUsers), so that a
// folder shared with a member says who shared it. Metadata keeps no emails of its own:
// accounts owns them.
#pragma once

#include <grpcpp/channel.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace bitcontent::metadata {

class MemberEmails {
 public:
  static constexpr absl::Duration kCallTimeout = absl::Seconds(5);

  // Calls AccountsInternalService on `accounts`; null means no --accounts_target, and no
  // email is known.
  explicit MemberEmails(std::shared_ptr<grpc::Channel> accounts) : accounts_(std::move(accounts)) {}

  // The email of each of `user_ids` (bare ids) that accounts knows. A member it no longer
  // knows, or an accounts that does not answer, leaves that email out: a listing shows
  // what it can rather than failing.
  std::map<std::string, std::string> Of(const std::vector<std::string>& user_ids) const;

 private:
  std::shared_ptr<grpc::Channel> accounts_;
};

}  // namespace bitcontent::metadata
