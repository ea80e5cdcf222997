// Restoring the old service's members, as an operator and the members do it: the real
// `bitcontent-admin import` streams a JSON Lines file through the gateway's public gRPC
// API to accounts; bad lines are reported by number and skipped; a re-run changes
// nothing; each member claims their account with the one-time token, by CLI.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/bitcoin/segwit_address.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/local_files.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;

using testing::CheapAccounts;
using testing::CliResult;
using testing::Device;

constexpr char kOperator[] = "ops@example.com";

const char kLegacyFile[] =
    "{\"email\":\"ada@example.com\",\"legacy_id\":\"L-1\",\"created\":\"2014-05-01T12:00:00Z\"}\n"
    "{\"email\":\"bob@example.com\",\"legacy_id\":2,\"created\":\"2015-02-03\"}\n"
    "{\"email\":\"broken@example.com\",\"legacy_id\":\n"
    "\n"
    "{\"email\":\"not an email\",\"legacy_id\":\"L-5\"}\n"
    "{\"email\":\"cy@example.com\",\"legacy_id\":\"L-6\"}\n";

std::string ReadFile(const fs::path& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

// The value of "key":"..." in a JSON line the admin CLI wrote.
std::string JsonField(absl::string_view line, absl::string_view key) {
  const std::string marker = absl::StrCat("\"", key, "\":\"");
  const size_t start = line.find(marker);
  if (start == absl::string_view::npos) return "";
  absl::string_view rest = line.substr(start + marker.size());
  return std::string(rest.substr(0, rest.find('"')));
}

// The claim token line of `email` in the claim token file.
std::string ClaimLine(const fs::path& tokens, absl::string_view email) {
  for (absl::string_view line : absl::StrSplit(ReadFile(tokens), '\n')) {
    if (JsonField(line, "email") == email) return std::string(line);
  }
  return "";
}

TEST_CASE("an operator imports legacy members and they claim their accounts by CLI",
          "[integration]") {
  testing::TestSuite suite({"accounts", "gateway"},
                           CheapAccounts({std::string("--operator_emails=") + kOperator}));
  Device ops(suite, "ops");
  REQUIRE(ops.Run({"signup", kOperator}, "operator secret\n").exit_code == 0);
  const fs::path legacy = ops.dir() / "legacy.jsonl";
  std::ofstream(legacy) << kLegacyFile;
  const fs::path tokens = ops.dir() / "claim-tokens.jsonl";

  CliResult first = ops.RunAdmin({"import", legacy.string(), "--claim-tokens", tokens.string()});
  INFO(first.output);
  CHECK(first.exit_code == 3);
  CHECK_THAT(first.output, Catch::Contains("6 lines: 3 created, 0 already imported, 2 rejected"));
  CHECK_THAT(first.output, Catch::Contains("line 3: unparsable line: not valid JSON"));
  CHECK_THAT(first.output, Catch::Contains("line 5: email"));
  CHECK((fs::status(tokens).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  const std::string ada_line = ClaimLine(tokens, "ada@example.com");
  CHECK_THAT(ada_line, Catch::Contains("\"line\":1,"));
  const std::string ada_token = JsonField(ada_line, "claim_token");
  REQUIRE(absl::StartsWith(ada_token, "bcc_"));
  const std::string bob_user = JsonField(ClaimLine(tokens, "bob@example.com"), "user");
  REQUIRE(absl::StartsWith(bob_user, "users/"));
  CHECK_FALSE(ClaimLine(tokens, "cy@example.com").empty());

  // Running the same file again creates nothing, and never overwrites claim tokens.
  CliResult again = ops.RunAdmin({"import", legacy.string()});
  INFO(again.output);
  CHECK(again.exit_code == 3);
  CHECK_THAT(again.output, Catch::Contains("6 lines: 0 created, 3 already imported, 2 rejected"));
  CliResult overwrite =
      ops.RunAdmin({"import", legacy.string(), "--claim-tokens", tokens.string()});
  CHECK(overwrite.exit_code == 1);
  CHECK_THAT(overwrite.output, Catch::Contains("never overwritten"));
  CHECK(ClaimLine(tokens, "ada@example.com") == ada_line);

  // Ada claims her account with the token and a password of her own; the token works once.
  Device ada(suite, "ada");
  CliResult claim = ada.Run({"claim", "ada@example.com", ada_token}, "ada's secret\n");
  INFO(claim.output);
  REQUIRE(claim.exit_code == 0);
  CHECK_THAT(claim.output, Catch::Contains("claimed and logged in as ada@example.com"));
  CHECK(ada.Run({"whoami"}).exit_code == 0);
  Device thief(suite, "thief");
  CliResult replay = thief.Run({"claim", "ada@example.com", ada_token}, "stolen\n");
  CHECK(replay.exit_code == 1);
  Device other(suite, "other");
  CHECK(other.Run({"login", "ada@example.com"}, "ada's secret\n").exit_code == 0);

  // The operator's token goes only to the host they logged in on.
  Device elsewhere(suite, "ops");
  elsewhere.set_grpc_server("localhost:1");
  const CliResult misdirected = elsewhere.RunAdmin({"quota", "set", bob_user, "1"});
  CHECK(misdirected.exit_code == 1);
  CHECK_THAT(misdirected.output, Catch::Contains("is not on the host of --server") &&
                                     Catch::Contains("the operator's token is sent only there"));

  // Only operators may use the admin API.
  CliResult not_operator = ada.RunAdmin({"import", legacy.string()});
  CHECK(not_operator.exit_code == 1);
  CHECK_THAT(not_operator.output, Catch::Contains("operator"));

  // A fresh claim token for Bob replaces the first; quotas and account state.
  CliResult reissued = ops.RunAdmin({"claim-token", bob_user});
  INFO(reissued.output);
  CHECK(reissued.exit_code == 0);
  CHECK_THAT(reissued.output, Catch::Contains("bcc_"));
  const std::string old_bob_token = JsonField(ClaimLine(tokens, "bob@example.com"), "claim_token");
  Device bob(suite, "bob");
  CHECK(bob.Run({"claim", "bob@example.com", old_bob_token}, "bob's secret\n").exit_code == 1);
  CliResult quota = ops.RunAdmin({"quota", "set", bob_user, "5000000000"});
  CHECK(quota.exit_code == 0);
  CHECK_THAT(quota.output, Catch::Contains("limit 5000000000 bytes"));
  CliResult disable = ops.RunAdmin({"user", "disable", "users/me", "--reason", "test"});
  CHECK(disable.exit_code == 1);
  CHECK_THAT(disable.output, Catch::Contains("not \"me\""));
  // Nor by their own id: the last operator would lock everyone out for good.
  const std::string ops_user =
      testing::Json(testing::ReadAll(ops.credentials())).fields().at("user").string_value();
  CliResult self = ops.RunAdmin({"user", "disable", ops_user, "--reason", "test"});
  CHECK(self.exit_code == 1);
  CHECK_THAT(self.output, Catch::Contains("you cannot disable your own account"));
  CHECK(ops.RunAdmin({"quota", "set", bob_user, "1"}).exit_code == 0);  // Still an operator.
  // A negative limit is no limit of 18 EB but a usage error; giving access back needs no
  // reason.
  CliResult negative = ops.RunAdmin({"quota", "set", bob_user, "-5"});
  CHECK(negative.exit_code == 2);
  CHECK_THAT(negative.output, Catch::Contains("\"-5\" is not a whole number of bytes"));
  CHECK(ops.RunAdmin({"quota", "set", bob_user, "12abc"}).exit_code == 2);
  const std::string ada_user =
      testing::Json(testing::ReadAll(ada.credentials())).fields().at("user").string_value();
  // The reason goes to the audit log, read in a terminal: one line of plain text.
  const CliResult two_lines = ops.RunAdmin({"user", "disable", ada_user, "--reason", "a\nb"});
  CHECK(two_lines.exit_code == 1);
  CHECK_THAT(two_lines.output, Catch::Contains("reason"));
  CliResult disabled = ops.RunAdmin({"user", "disable", ada_user, "--reason", "test"});
  INFO(disabled.output);
  CHECK(disabled.exit_code == 0);
  CHECK_THAT(disabled.output, Catch::EndsWith("(ada@example.com) is now disabled\n"));
  // An operator who knows a member by email finds them, whatever their state, and acts
  // on them by it.
  const CliResult shown = ops.RunAdmin({"user", "show", " Ada@Example.com "});
  INFO(shown.output);
  CHECK(shown.exit_code == 0);
  CHECK_THAT(shown.output, Catch::StartsWith(ada_user + "\nemail: ada@example.com\n"
                                                        "state: disabled\ncreated: ") &&
                               Catch::Contains("legacy id: "));
  CliResult enabled = ops.RunAdmin({"user", "enable", "ada@example.com"});
  INFO(enabled.output);
  CHECK(enabled.exit_code == 0);
  CHECK(enabled.output == ada_user + " (ada@example.com) is now active\n");
  CHECK_THAT(ops.RunAdmin({"user", "show", "ada@example.com"}).output,
             Catch::Contains("state: active\n"));
  CHECK_THAT(ops.RunAdmin({"quota", "set", "bob@example.com", "7"}).output,
             Catch::StartsWith(bob_user + "/quota: limit 7 bytes"));
  const CliResult nobody = ops.RunAdmin({"user", "show", "nobody@example.com"});
  CHECK(nobody.exit_code == 1);
  CHECK_THAT(nobody.output, Catch::Contains("no account has the email nobody@example.com"));
  const CliResult not_email = ops.RunAdmin({"user", "show", ada_user});
  CHECK(not_email.exit_code == 2);
  CHECK_THAT(not_email.output, Catch::Contains("is not an email"));
  CHECK(ada.RunAdmin({"user", "show", "bob@example.com"}).exit_code == 1);  // Operators only.
  // A command line in error exits 2, as the member CLI's does, naming what is wrong.
  CHECK(ops.RunAdmin({}).exit_code == 2);
  CliResult unknown = ops.RunAdmin({"frob"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("no command called \"frob\""));
  CHECK(ops.RunAdmin({"payouts", "list", "--limit", "0"}).exit_code == 2);
}

// The payout id a `bitcontent wallet withdraw` printed.
std::string PayoutIdOf(const CliResult& withdrawn) {
  return withdrawn.output.substr(withdrawn.output.find("payout ") + 7, 32);
}

TEST_CASE("an operator lists, approves and rejects payouts with bitcontent-admin",
          "[integration][wallet]") {
  launch::SuiteOptions options = CheapAccounts({std::string("--operator_emails=") + kOperator});
  options.extra_args["wallet"] = {"--payout_min_msat=1000", "--welcome_credit_msat=100000"};
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, options);
  Device ops(suite, "ops");
  REQUIRE(ops.Run({"signup", kOperator}, "operator secret\n").exit_code == 0);
  Device ada(suite, "ada");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "ada's secret\n").exit_code == 0);
  const std::string address =
      *bitcoin::EncodeSegwitAddress("bcrt", {.version = 0, .program = std::string(20, '\x07')});
  const CliResult first = ada.Run({"wallet", "withdraw", address, "10sat"});
  REQUIRE(first.exit_code == 0);
  const CliResult second = ada.Run({"wallet", "withdraw", address, "20sat"});
  REQUIRE(second.exit_code == 0);
  const std::string approved = PayoutIdOf(first);
  const std::string rejected = PayoutIdOf(second);

  // The waiting ones, oldest first, with whose they are.
  CliResult pending = ops.RunAdmin({"payouts", "list"});
  INFO(pending.output);
  REQUIRE(pending.exit_code == 0);
  CHECK(pending.output.find(approved) < pending.output.find(rejected));
  CHECK_THAT(pending.output,
             Catch::Contains("10,000 msat (10.000 sat)  " + address + "  pending_approval") &&
                 Catch::Contains("users/"));

  const std::string txid(64, 'b');
  CliResult approve = ops.RunAdmin({"payouts", "approve", approved, "--txid", txid});
  INFO(approve.output);
  CHECK(approve.exit_code == 0);
  CHECK_THAT(approve.output,
             Catch::Contains("approved: " + approved) && Catch::Contains("txid " + txid));
  CliResult reject = ops.RunAdmin({"payouts", "reject", rejected, "--reason", "not today"});
  CHECK(reject.exit_code == 0);
  CHECK_THAT(reject.output,
             Catch::Contains("rejected: " + rejected) && Catch::Contains("reason \"not today\""));
  // Decisions are final; the member sees the reason.
  CliResult late = ops.RunAdmin({"payouts", "reject", approved, "--reason", "oops"});
  CHECK(late.exit_code == 1);
  CHECK_THAT(late.output, Catch::Contains("already decided"));
  CHECK_THAT(ops.RunAdmin({"payouts", "list"}).output, Catch::Contains("no pending payouts"));
  CliResult all = ops.RunAdmin({"payouts", "list", "--state", "all"});
  CHECK_THAT(all.output, Catch::Contains(approved) && Catch::Contains(rejected));
  CHECK_THAT(ada.Run({"wallet", "payouts"}).output,
             Catch::Contains(rejected + "  20,000 msat (20.000 sat)  " + address +
                             "  REJECTED reason \"not today\""));

  // A command `payouts` does not have: its own help, not the tool's.
  CliResult unknown = ops.RunAdmin({"payouts", "frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.output, Catch::Contains("unknown command \"frobnicate\"") &&
                                 Catch::Contains("approve") && Catch::Contains("reject") &&
                                 !Catch::Contains("import"));
  CliResult none = ops.RunAdmin({"payouts"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.output, Catch::Contains("list") && !Catch::Contains("claim-token"));
  CHECK(ops.RunAdmin({"payouts", "list", "--state", "lost"}).exit_code == 2);

  // A disabled member's payout waits: the operator rejects it, or enables them first.
  const std::string held = PayoutIdOf(ada.Run({"wallet", "withdraw", address, "5sat"}));
  const std::string ada_user =
      testing::Json(testing::ReadAll(ada.credentials())).fields().at("user").string_value();
  REQUIRE(ops.RunAdmin({"user", "disable", ada_user, "--reason", "chargeback"}).exit_code == 0);
  const CliResult refused =
      ops.RunAdmin({"payouts", "approve", held, "--txid", std::string(64, 'C')});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.output, Catch::Contains("is not an active member (disabled)"));
  CHECK_THAT(ops.RunAdmin({"payouts", "list"}).output, Catch::Contains(held));
  REQUIRE(ops.RunAdmin({"user", "enable", ada_user}).exit_code == 0);
  // An upper-case txid is the same transaction.
  const CliResult approved_now =
      ops.RunAdmin({"payouts", "approve", held, "--txid", std::string(64, 'C')});
  CHECK(approved_now.exit_code == 0);
  CHECK_THAT(approved_now.output, Catch::Contains("txid " + std::string(64, 'c')));

  // Only operators.
  CliResult member = ada.RunAdmin({"payouts", "list"});
  CHECK(member.exit_code == 1);
  CHECK_THAT(member.output, Catch::Contains("operator"));
}

TEST_CASE("bitcontent-admin says what to do when nobody is logged in", "[integration]") {
  testing::TestSuite suite({"accounts", "gateway"}, CheapAccounts());
  Device nobody(suite, "nobody");
  std::ofstream(nobody.dir() / "empty.jsonl") << "";
  CliResult result = nobody.RunAdmin({"import", (nobody.dir() / "empty.jsonl").string()});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("nobody is logged in"));
}

}  // namespace
}  // namespace bitcontent
