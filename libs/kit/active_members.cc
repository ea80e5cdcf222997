#include "libs/kit/active_members.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "libs/kit/reply.h"

namespace bitcontent::kit {

absl::StatusOr<std::optional<std::string>> ActiveMembers::Ask(
    const std::shared_ptr<grpc::Channel>& accounts, grpc::ClientContext& context,
    const std::vector<std::string>& user_names, bool remembered) const {
  const absl::Time now = absl::Now();
  accounts::v1::BatchGetUsersRequest request;
  for (const std::string& name : user_names) {
    const bool asked =
        std::find(request.names().begin(), request.names().end(), name) != request.names().end();
    if (!asked && (!remembered || active_.Find(name, now) == nullptr)) request.add_names(name);
  }
  if (request.names().empty()) return std::nullopt;
  accounts::v1::BatchGetUsersResponse response;
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts)->BatchGetUsers(&context, request,
                                                                              &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return request.names_size() == 1
               ? request.names(0)
               : absl::StrCat("one of ", absl::StrJoin(request.names(), ", "));
  }
  if (!status.ok()) return FromCall(status, context);
  for (const accounts::v1::User& user : response.users()) {
    if (user.state() != accounts::v1::USER_STATE_ACTIVE) return user.name();
    if (remembered) {
      active_.Insert(user.name(), std::make_shared<const bool>(true), now + lifetime_, now);
    }
  }
  return std::nullopt;
}

}  // namespace bitcontent::kit
