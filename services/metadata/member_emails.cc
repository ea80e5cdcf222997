#include "services/metadata/member_emails.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "libs/kit/channel.h"

namespace bitcontent::metadata {
namespace {

// What one BatchGetUsers may name (accounts_internal_service.proto).
constexpr size_t kNamesPerCallMax = 100;

namespace accounts_v1 = accounts::v1;

// `names` in one call; NOT_FOUND when accounts knows one of them not.
grpc::StatusCode Ask(accounts_v1::AccountsInternalService::Stub& stub,
                     const std::vector<std::string>& names,
                     std::map<std::string, std::string>* emails) {
  accounts_v1::BatchGetUsersRequest request;
  for (const std::string& name : names) request.add_names(name);
  accounts_v1::BatchGetUsersResponse response;
  std::unique_ptr<grpc::ClientContext> context = kit::NewCallContext(MemberEmails::kCallTimeout);
  const grpc::Status status = stub.BatchGetUsers(context.get(), request, &response);
  for (const accounts_v1::User& user : response.users()) {
    (*emails)[std::string(absl::StripPrefix(user.name(), "users/"))] = user.email();
  }
  return status.error_code();
}

}  // namespace

std::map<std::string, std::string> MemberEmails::Of(
    const std::vector<std::string>& user_ids) const {
  std::map<std::string, std::string> emails;
  if (accounts_ == nullptr) return emails;
  std::vector<std::string> names;
  for (const std::string& id : user_ids) names.push_back(absl::StrCat("users/", id));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  const auto stub = accounts_v1::AccountsInternalService::NewStub(accounts_);
  for (size_t begin = 0; begin < names.size(); begin += kNamesPerCallMax) {
    const std::vector<std::string> some(
        names.begin() + begin, names.begin() + std::min(names.size(), begin + kNamesPerCallMax));
    // One member accounts no longer knows fails the batch: ask the rest one by one.
    if (Ask(*stub, some, &emails) != grpc::StatusCode::NOT_FOUND) continue;
    for (const std::string& name : some) Ask(*stub, {name}, &emails);
  }
  return emails;
}

}  // namespace bitcontent::metadata
