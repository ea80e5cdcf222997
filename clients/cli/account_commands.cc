#include "clients/cli/account_commands.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "clients/cli/password_prompt.h"
#include "clients/cli/progress_bar.h"
#include "clients/cli/run.h"
#include "libs/auth/scopes.h"
#include "libs/client/amount.h"
#include "libs/client/node_envelope.h"
#include "libs/client/unfinished_uploads.h"

namespace bitcontent::cli {
namespace {

// `text` as the name of one of the member's `collection` ("sessions", "apiKeys"):
// users/{user}/{collection}/{id} as listed, or a bare id, which is the member's own. A
// command line naming anything else is in error (exit 2), before any request is made.
std::string OwnResourceName(const std::string& text, absl::string_view collection,
                            const std::string& argument) {
  const auto is_id = [](absl::string_view id) {
    return !id.empty() && id.size() <= 64 &&
           std::all_of(id.begin(), id.end(), [](char c) { return absl::ascii_isalnum(c); });
  };
  if (is_id(text)) return absl::StrCat("users/me/", collection, "/", text);
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  if (parts.size() == 4 && parts[0] == "users" && is_id(parts[1]) && parts[2] == collection &&
      is_id(parts[3])) {
    return text;
  }
  throw CLI::ValidationError(argument, absl::StrCat("\"", client::PrintableName(text),
                                                    "\" is neither an id nor users/{user}/",
                                                    collection, "/{id} as the list shows it"));
}

using client::AccountClient;

void AddSessionCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* sessions = app.add_subcommand("sessions", "List or end this account's sessions");
  sessions->require_subcommand(1);
  sessions->add_subcommand("list", "Every device logged in to this account")
      ->callback(Run(options, exit_code, [](AccountClient& engine) {
        absl::StatusOr<std::vector<accounts::v1::Session>> list = engine.ListSessions();
        if (!list.ok()) return list.status();
        for (const accounts::v1::Session& session : *list) {
          std::printf("%s%s  %s  %s  last active %s\n", session.current() ? "* " : "  ",
                      session.name().c_str(),
                      client::PrintableName(session.device().display_name()).c_str(),
                      client::PrintableName(session.device().platform()).c_str(),
                      ShownTime(session.last_active_time()).c_str());
        }
        return absl::OkStatus();
      }));
  static std::string session_name;
  CLI::App* revoke = sessions->add_subcommand("revoke", "End a session (log that device out)");
  revoke
      ->add_option("session", session_name,
                   "users/{user}/sessions/{session} as `sessions list` shows it, or its id")
      ->required();
  revoke->callback(Run(options, exit_code, [](AccountClient& engine) {
    session_name = OwnResourceName(session_name, "sessions", "SESSION");
    absl::Status status = engine.RevokeSession(session_name);
    if (status.ok()) std::printf("revoked %s\n", session_name.c_str());
    return status;
  }));
}

// "for the key's life", "per day", "per month".
std::string PeriodText(accounts::v1::SpendLimitPeriod period) {
  switch (period) {
    case accounts::v1::SPEND_LIMIT_PERIOD_DAY:
      return "per day (UTC)";
    case accounts::v1::SPEND_LIMIT_PERIOD_MONTH:
      return "per month (UTC)";
    default:
      return "for the key's life";
  }
}

// The spend limit `apikey create` sends: required with wallet:pay (a key that pays with
// no limit could empty the wallet), refused without it, in the CLI's own words.
absl::StatusOr<std::optional<accounts::v1::SpendLimit>> SpendLimitOf(
    bool pays, const std::string& amount_text, const std::string& period_text) {
  if (!pays) {
    if (!amount_text.empty() || !period_text.empty()) {
      return absl::InvalidArgumentError(
          "--spend-limit-msat and --spend-limit-period go with --scope wallet:pay only");
    }
    return std::nullopt;
  }
  if (amount_text.empty()) {
    return absl::InvalidArgumentError(
        "--scope wallet:pay needs --spend-limit-msat AMOUNT: the most the key may spend "
        "(for its whole life, or per --spend-limit-period day or month)");
  }
  absl::StatusOr<uint64_t> amount = client::ParseAmount(amount_text);
  if (!amount.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--spend-limit-msat: ", amount.status().message()));
  }
  if (*amount == 0) {
    return absl::InvalidArgumentError("--spend-limit-msat must be above 0");
  }
  accounts::v1::SpendLimit limit;
  limit.set_limit_msat(*amount);
  limit.set_period(period_text == "day"     ? accounts::v1::SPEND_LIMIT_PERIOD_DAY
                   : period_text == "month" ? accounts::v1::SPEND_LIMIT_PERIOD_MONTH
                                            : accounts::v1::SPEND_LIMIT_PERIOD_LIFETIME);
  return limit;
}

void AddApiKeyCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  CLI::App* apikey = app.add_subcommand("apikey", "API keys for apps and scripts");
  apikey->require_subcommand(1);

  static std::string name;
  static std::vector<std::string> scopes;
  static std::string spend_limit_text;
  static std::string spend_limit_period;
  CLI::App* create = apikey->add_subcommand("create", "Create a key; its secret is shown once");
  create->add_option("name", name, "A name to recognise the key by")->required();
  create
      ->add_option("--scope", scopes,
                   "files:read, files:write, wallet:read, wallet:pay, paywall:manage, "
                   "earnings:read (repeatable)")
      ->required();
  create->add_option("--spend-limit-msat", spend_limit_text,
                     "With wallet:pay (required then): the most this key may spend per "
                     "--spend-limit-period, in msat (\"300000\") or sat (\"300sat\")");
  create
      ->add_option("--spend-limit-period", spend_limit_period,
                   "With --spend-limit-msat: lifetime (the key's whole life, the default), "
                   "day or month (the limit starts again each UTC day or month)")
      ->check(CLI::IsMember({"lifetime", "day", "month"}));
  create->callback(Run(options, exit_code, [](AccountClient& engine) {
    accounts::v1::CreateApiKeyRequest request;
    request.set_display_name(name);
    bool pays = false;
    for (const std::string& text : scopes) {
      absl::StatusOr<common::v1::Scope> scope = auth::ParseScope(text);
      if (!scope.ok()) return scope.status();
      pays = pays || *scope == common::v1::SCOPE_WALLET_PAY;
      request.add_scopes(*scope);
    }
    absl::StatusOr<std::optional<accounts::v1::SpendLimit>> limit =
        SpendLimitOf(pays, spend_limit_text, spend_limit_period);
    if (!limit.ok()) return limit.status();
    if (limit->has_value()) *request.mutable_spend_limit() = **limit;
    absl::StatusOr<accounts::v1::CreateApiKeyResponse> created = engine.CreateApiKey(request);
    if (!created.ok()) return created.status();
    std::printf("%s\n", created->api_key().name().c_str());
    if (limit->has_value()) {
      std::printf("spend limit: %s %s\n", client::FormatAmount((*limit)->limit_msat()).c_str(),
                  PeriodText((*limit)->period()).c_str());
    }
    std::printf("secret (shown only now): %s\n", created->secret().c_str());
    return absl::OkStatus();
  }));

  static bool show_inactive = false;
  CLI::App* list = apikey->add_subcommand("list", "This account's API keys (never their secrets)");
  list->add_flag("--all", show_inactive, "Include revoked and expired keys");
  list->callback(Run(options, exit_code, [](AccountClient& engine) {
    absl::StatusOr<std::vector<accounts::v1::ApiKey>> keys = engine.ListApiKeys(show_inactive);
    if (!keys.ok()) return keys.status();
    for (const accounts::v1::ApiKey& key : *keys) {
      std::vector<std::string> names;
      for (int scope : key.scopes()) {
        names.emplace_back(auth::ScopeName(static_cast<common::v1::Scope>(scope)));
      }
      std::string limit;
      if (key.has_spend_limit() && key.spend_limit().limit_msat() > 0) {
        limit = absl::StrCat("  spent ", client::FormatAmount(key.spend_limit().spent_msat()),
                             " of ", client::FormatAmount(key.spend_limit().limit_msat()), " ",
                             PeriodText(key.spend_limit().period()));
      }
      // Which keys no longer work, and the start of each secret, to tell them apart.
      std::string state;
      if (key.state() == accounts::v1::API_KEY_STATE_REVOKED) {
        state = absl::StrCat("  REVOKED ", ShownTime(key.revoke_time()));
      } else if (key.state() == accounts::v1::API_KEY_STATE_EXPIRED) {
        state = "  EXPIRED";
      }
      std::printf("%s  %s  %s...  [%s]%s%s\n", key.name().c_str(),
                  client::PrintableName(key.display_name()).c_str(),
                  client::PrintableName(key.key_prefix()).c_str(),
                  absl::StrJoin(names, ", ").c_str(), limit.c_str(), state.c_str());
    }
    if (keys->empty()) SayEmpty(show_inactive ? "(no API keys)" : "(no active API keys)");
    return absl::OkStatus();
  }));

  static std::string key_name;
  CLI::App* revoke = apikey->add_subcommand("revoke", "Revoke a key at once");
  revoke
      ->add_option("key", key_name,
                   "users/{user}/apiKeys/{key} as `apikey list` shows it, or its id")
      ->required();
  revoke->callback(Run(options, exit_code, [](AccountClient& engine) {
    key_name = OwnResourceName(key_name, "apiKeys", "KEY");
    absl::Status status = engine.RevokeApiKey(key_name);
    if (status.ok()) std::printf("revoked %s\n", key_name.c_str());
    return status;
  }));
}

}  // namespace

void AddAccountCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static std::string email;

  CLI::App* signup = app.add_subcommand(
      "signup",
      "Create an account (the password is asked for on a terminal, or read as a line "
      "from standard input)");
  signup->add_option("email", email)->required();
  signup->callback(Run(options, exit_code, [](AccountClient& engine) {
    absl::StatusOr<std::string> password = ReadPassword("Choose a password: ", true);
    if (!password.ok()) return password.status();
    absl::StatusOr<client::v1::Credentials> credentials = engine.SignUp(email, *password);
    if (!credentials.ok()) return credentials.status();
    std::printf("signed up and logged in as %s (%s)\n", credentials->email().c_str(),
                credentials->user().c_str());
    std::printf("Keep your recovery key somewhere safe: `bitcontent recovery export` shows it.\n");
    return absl::OkStatus();
  }));

  static std::string claim_token;
  CLI::App* claim =
      app.add_subcommand("claim", "Activate an account imported from the old service");
  claim->add_option("email", email, "The email the account was imported with")->required();
  claim->add_option("claim_token", claim_token, "The one-time token the operator sent (bcc_...)")
      ->required();
  claim->callback(Run(options, exit_code, [](AccountClient& engine) {
    absl::StatusOr<std::string> password = ReadPassword("Choose a password: ", true);
    if (!password.ok()) return password.status();
    absl::StatusOr<client::v1::Credentials> credentials =
        engine.Claim(email, claim_token, *password);
    if (!credentials.ok()) return credentials.status();
    std::printf("claimed and logged in as %s (%s)\n", credentials->email().c_str(),
                credentials->user().c_str());
    std::printf("Keep your recovery key somewhere safe: `bitcontent recovery export` shows it.\n");
    return absl::OkStatus();
  }));

  CLI::App* login = app.add_subcommand(
      "login",
      "Log in on this device (the password from the terminal, or a line of standard "
      "input)");
  login->add_option("email", email)->required();
  login->callback(Run(options, exit_code, [](AccountClient& engine) {
    absl::StatusOr<std::string> password = ReadPassword("Password: ", false);
    if (!password.ok()) return password.status();
    absl::StatusOr<client::v1::Credentials> credentials = engine.Login(email, *password);
    if (!credentials.ok()) return credentials.status();
    std::printf("logged in as %s\n", credentials->email().c_str());
    return absl::OkStatus();
  }));

  app.add_subcommand("logout", "Log out on this device and forget its keys")
      ->callback(Run(options, exit_code, [](AccountClient& engine) {
        // What this device saved to resume its puts holds their files' keys: it goes
        // with the session, and the uploads are aborted while the session can still say so.
        const size_t aborted = client::UnfinishedUploads(&engine).AbortAllSaved();
        absl::Status status = engine.Logout();
        if (status.ok()) std::printf("logged out\n");
        if (aborted > 0) {
          std::printf(
              "aborted %zu unfinished upload%s this device began (put again once "
              "logged in)\n",
              aborted, aborted == 1 ? "" : "s");
        }
        return status;
      }));

  app.add_subcommand("whoami", "Show the logged-in account and how much of its storage is used")
      ->callback(Run(options, exit_code, [](AccountClient& engine) {
        absl::StatusOr<accounts::v1::User> user = engine.WhoAmI();
        if (!user.ok()) return user.status();
        std::printf("%s (%s)\n", user->email().c_str(), user->name().c_str());
        accounts::v1::Quota quota;
        if (absl::Status s = engine.CallAsMember("GET", "/v1/users/me/quota", nullptr, &quota);
            !s.ok()) {
          return s;
        }
        // Every kept version counts, and what unfinished uploads hold until they end.
        // The limit as it was promised, in decimal gigabytes ("100 GB"), and as the other
        // figures are shown.
        const std::string limit = quota.limit_bytes() % 1'000'000'000 == 0
                                      ? absl::StrCat(quota.limit_bytes() / 1'000'000'000, " GB (",
                                                     HumanBytes(quota.limit_bytes()), ")")
                                      : HumanBytes(quota.limit_bytes());
        std::printf("storage: %s used of %s, %s free", HumanBytes(quota.used_bytes()).c_str(),
                    limit.c_str(), HumanBytes(quota.available_bytes()).c_str());
        if (quota.reserved_bytes() > 0) {
          std::printf(" (%s held by unfinished uploads: `bitcontent uploads`)",
                      HumanBytes(quota.reserved_bytes()).c_str());
        }
        std::printf("\n");
        return absl::OkStatus();
      }));

  app.add_subcommand("passwd",
                     "Change the password; other devices are logged out (without a terminal: "
                     "the current and the new password, a line each, on standard input)")
      ->callback(Run(options, exit_code, [](AccountClient& engine) {
        absl::StatusOr<std::string> current = ReadPassword("Current password: ", false);
        if (!current.ok()) return current.status();
        absl::StatusOr<std::string> next = ReadPassword("New password: ", true);
        if (!next.ok()) return next.status();
        absl::Status status = engine.ChangePassword(*current, *next);
        if (status.ok()) std::printf("password changed; other sessions were logged out\n");
        return status;
      }));

  CLI::App* recovery = app.add_subcommand("recovery", "Export or use the recovery key");
  recovery->require_subcommand(1);
  recovery->add_subcommand("export", "Print the recovery key of the logged-in account")
      ->callback(Run(options, exit_code, [](AccountClient& engine) {
        absl::StatusOr<std::string> key = engine.RecoveryKey();
        if (!key.ok()) return key.status();
        std::printf("%s\n", key->c_str());
        return absl::OkStatus();
      }));
  CLI::App* restore =
      recovery->add_subcommand("restore", "Set a new password with the recovery key");
  restore->add_option("email", email)->required();
  restore->callback(Run(options, exit_code, [](AccountClient& engine) {
    absl::StatusOr<std::string> key = ReadPassword("Recovery key: ", false);
    if (!key.ok()) return key.status();
    absl::StatusOr<std::string> password = ReadPassword("New password: ", true);
    if (!password.ok()) return password.status();
    absl::StatusOr<client::v1::Credentials> credentials = engine.Recover(email, *key, *password);
    if (!credentials.ok()) return credentials.status();
    std::printf("password reset; logged in as %s\n", credentials->email().c_str());
    return absl::OkStatus();
  }));

  AddSessionCommands(app, options, exit_code);
  AddApiKeyCommands(app, options, exit_code);
}

}  // namespace bitcontent::cli
