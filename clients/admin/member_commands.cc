#include "clients/admin/member_commands.h"

#include <google/protobuf/util/time_util.h>

#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/kit/status.h"

namespace bitcontent::admin {
namespace {

constexpr absl::Duration kCallTimeout = absl::Seconds(30);

// "users/{id}" for an id or a resource name.
std::string UserName(const std::string& user) {
  return absl::StartsWith(user, "users/") ? user : absl::StrCat("users/", user);
}

void AddUserStateCommand(CLI::App& users, const AdminOptions& options, int* exit_code,
                         const char* verb, accounts::v1::UserState state, const char* what) {
  // One command runs per invocation, so disable and enable can share their arguments.
  static std::string user_name;
  static std::string reason;
  CLI::App* command = users.add_subcommand(verb, what);
  command->add_option("user", user_name, "users/{id} or the id")->required();
  CLI::Option* why = command->add_option("--reason", reason, "Kept in the audit log");
  // Taking a member's access away is said why; giving it back needs no reason.
  if (state == accounts::v1::USER_STATE_DISABLED) why->required();
  command->callback(Run(options, exit_code, [state](OperatorConnection& connection) {
    accounts::v1::SetUserStateRequest request;
    request.set_user(UserName(user_name));
    request.set_state(state);
    request.set_reason(reason);
    accounts::v1::User user;
    const grpc::Status status = connection.accounts().SetUserState(
        connection.NewContext(kCallTimeout).get(), request, &user);
    if (status.ok()) {
      // "disabled", not USER_STATE_DISABLED: the words the commands use.
      const std::string state_word = absl::AsciiStrToLower(
          absl::StripPrefix(accounts::v1::UserState_Name(user.state()), "USER_STATE_"));
      std::printf("%s (%s) is now %s\n", user.name().c_str(), user.email().c_str(),
                  state_word.c_str());
    }
    return kit::FromGrpc(status);
  }));
}

}  // namespace

void AddMemberCommands(CLI::App& app, const AdminOptions& options, int* exit_code) {
  static std::string claim_user;
  CLI::App* claim =
      app.add_subcommand("claim-token", "Issue a new one-time claim token for an imported member");
  claim->add_option("user", claim_user, "users/{id} or the id")->required();
  claim->callback(Run(options, exit_code, [](OperatorConnection& connection) {
    accounts::v1::IssueClaimTokenRequest request;
    request.set_user(UserName(claim_user));
    accounts::v1::IssueClaimTokenResponse response;
    const grpc::Status status = connection.accounts().IssueClaimToken(
        connection.NewContext(kCallTimeout).get(), request, &response);
    if (status.ok()) {
      std::printf("%s\nvalid until %s; earlier tokens of this member no longer work\n",
                  response.claim_token().c_str(),
                  google::protobuf::util::TimeUtil::ToString(response.expire_time()).c_str());
    }
    return kit::FromGrpc(status);
  }));

  static std::string quota_user;
  static std::string limit_text;
  CLI::App* quota = app.add_subcommand("quota", "Members' storage quotas");
  ExplainSubcommands(quota, exit_code);
  CLI::App* set = quota->add_subcommand("set", "Set a member's storage limit");
  set->add_option("user", quota_user, "users/{id} or the id")->required();
  set->add_option("limit_bytes", limit_text, "The new limit in bytes (a whole number, 0 or more)")
      ->required();
  set->callback(Run(options, exit_code, [](OperatorConnection& connection) {
    accounts::v1::SetQuotaLimitRequest request;
    request.set_user(UserName(quota_user));
    uint64_t limit_bytes = 0;
    // CLI11 would read "-5" into an unsigned as 18 EB; a limit is digits only.
    if (limit_text.empty() || limit_text.find_first_not_of("0123456789") != std::string::npos ||
        !absl::SimpleAtoi(limit_text, &limit_bytes)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "limit_bytes \"", limit_text, "\" is not a whole number of bytes (0 or more, e.g. ",
          "107374182400 for 100 GiB)"));
    }
    request.set_limit_bytes(limit_bytes);
    accounts::v1::Quota quota;
    const grpc::Status status = connection.accounts().SetQuotaLimit(
        connection.NewContext(kCallTimeout).get(), request, &quota);
    if (status.ok()) {
      std::printf("%s: limit %llu bytes, %llu used\n", quota.name().c_str(),
                  static_cast<unsigned long long>(quota.limit_bytes()),
                  static_cast<unsigned long long>(quota.used_bytes()));
    }
    return kit::FromGrpc(status);
  }));

  CLI::App* users = app.add_subcommand("user", "Disable or re-enable a member");
  ExplainSubcommands(users, exit_code);
  AddUserStateCommand(*users, options, exit_code, "disable", accounts::v1::USER_STATE_DISABLED,
                      "Disable a member: every session and API key is revoked");
  AddUserStateCommand(*users, options, exit_code, "enable", accounts::v1::USER_STATE_ACTIVE,
                      "Re-enable a disabled member");
}

}  // namespace bitcontent::admin
