#include "clients/admin/member_commands.h"

#include <google/protobuf/util/time_util.h>

#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/client/amount.h"
#include "libs/kit/status.h"

namespace bitcontent::admin {
namespace {

constexpr absl::Duration kCallTimeout = absl::Seconds(30);

// What names a member on these commands.
constexpr const char* kMemberHelp = "Their email, users/{id} or the id";

// The member `member` names: an email (looked up, whatever the member's state), an id or
// "users/{id}".
absl::StatusOr<accounts::v1::User> FindMember(OperatorConnection& connection,
                                              const std::string& member) {
  accounts::v1::User user;
  grpc::Status status;
  if (absl::StrContains(member, '@')) {
    accounts::v1::LookupUserRequest request;
    request.set_email(member);
    status =
        connection.accounts().LookupUser(connection.NewContext(kCallTimeout).get(), request, &user);
  } else {
    user.set_name(absl::StartsWith(member, "users/") ? member : absl::StrCat("users/", member));
  }
  if (!status.ok()) return kit::FromGrpc(status);
  return user;
}

// "users/{id} (email)", or the name alone when the email is not known here.
std::string Shown(const accounts::v1::User& user) {
  return user.email().empty() ? user.name() : absl::StrCat(user.name(), " (", user.email(), ")");
}

// "disabled", not USER_STATE_DISABLED: the words the commands use.
std::string StateWord(accounts::v1::UserState state) {
  return absl::AsciiStrToLower(
      absl::StripPrefix(accounts::v1::UserState_Name(state), "USER_STATE_"));
}

void AddUserStateCommand(CLI::App& users, const AdminOptions& options, int* exit_code,
                         const char* verb, accounts::v1::UserState state, const char* what) {
  // One command runs per invocation, so disable and enable can share their arguments.
  static std::string user_name;
  static std::string reason;
  CLI::App* command = users.add_subcommand(verb, what);
  command->add_option("member", user_name, kMemberHelp)->required();
  CLI::Option* why = command->add_option("--reason", reason, "Kept in the audit log");
  // Taking a member's access away is said why; giving it back needs no reason.
  if (state == accounts::v1::USER_STATE_DISABLED) why->required();
  command->callback(Run(options, exit_code, [state](OperatorConnection& connection) {
    absl::StatusOr<accounts::v1::User> member = FindMember(connection, user_name);
    if (!member.ok()) return member.status();
    accounts::v1::SetUserStateRequest request;
    request.set_user(member->name());
    request.set_state(state);
    request.set_reason(reason);
    accounts::v1::User user;
    const grpc::Status status = connection.accounts().SetUserState(
        connection.NewContext(kCallTimeout).get(), request, &user);
    if (status.ok()) {
      std::printf("%s is now %s\n", Shown(user).c_str(), StateWord(user.state()).c_str());
    }
    return kit::FromGrpc(status);
  }));
}

}  // namespace

void AddMemberCommands(CLI::App& app, const AdminOptions& options, int* exit_code) {
  static std::string claim_user;
  CLI::App* claim =
      app.add_subcommand("claim-token", "Issue a new one-time claim token for an imported member");
  claim->add_option("member", claim_user, kMemberHelp)->required();
  claim->callback(Run(options, exit_code, [](OperatorConnection& connection) {
    absl::StatusOr<accounts::v1::User> member = FindMember(connection, claim_user);
    if (!member.ok()) return member.status();
    accounts::v1::IssueClaimTokenRequest request;
    request.set_user(member->name());
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
  set->add_option("member", quota_user, kMemberHelp)->required();
  // CLI11 would read "-5" into an unsigned as 18 EB; a limit is digits only, and anything
  // else is a usage error before the server is asked.
  set->add_option("limit_bytes", limit_text, "The new limit in bytes (a whole number, 0 or more)")
      ->required()
      ->check(CLI::Validator(
          [](std::string& text) {
            uint64_t bytes = 0;
            if (client::IsDigits(text) && absl::SimpleAtoi(text, &bytes)) return std::string();
            return absl::StrCat("\"", text,
                                "\" is not a whole number of bytes (0 or more, e.g. "
                                "107374182400 for 100 GiB)");
          },
          "BYTES"));
  set->callback(Run(options, exit_code, [](OperatorConnection& connection) {
    absl::StatusOr<accounts::v1::User> member = FindMember(connection, quota_user);
    if (!member.ok()) return member.status();
    accounts::v1::SetQuotaLimitRequest request;
    request.set_user(member->name());
    uint64_t limit_bytes = 0;
    if (!absl::SimpleAtoi(limit_text, &limit_bytes)) {  // the option's check let it through
      return absl::InternalError(absl::StrCat("limit_bytes \"", limit_text, "\" unreadable"));
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

  CLI::App* users = app.add_subcommand("user", "Find a member; disable or re-enable one");
  ExplainSubcommands(users, exit_code);
  static std::string shown_email;
  CLI::App* show = users->add_subcommand("show", "A member by email: id, state, since when");
  show->add_option("email", shown_email, "Their email")
      ->required()
      ->check([](const std::string& email) -> std::string {
        if (absl::StrContains(email, '@')) return "";
        return absl::StrCat("\"", email, "\" is not an email: give the one they signed up with");
      });
  show->callback(Run(options, exit_code, [](OperatorConnection& connection) -> absl::Status {
    absl::StatusOr<accounts::v1::User> user = FindMember(connection, shown_email);
    if (!user.ok()) return user.status();
    std::printf("%s\nemail: %s\nstate: %s%s\ncreated: %s\n", user->name().c_str(),
                user->email().c_str(), StateWord(user->state()).c_str(),
                user->operator_() ? " (operator)" : "",
                google::protobuf::util::TimeUtil::ToString(user->create_time()).c_str());
    if (!user->legacy_id().empty()) std::printf("legacy id: %s\n", user->legacy_id().c_str());
    return absl::OkStatus();
  }));
  AddUserStateCommand(*users, options, exit_code, "disable", accounts::v1::USER_STATE_DISABLED,
                      "Disable a member: every session and API key is revoked");
  AddUserStateCommand(*users, options, exit_code, "enable", accounts::v1::USER_STATE_ACTIVE,
                      "Re-enable a disabled member");
}

}  // namespace bitcontent::admin
