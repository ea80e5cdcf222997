// Bitcache wallets through the gateway's REST API, as members and an operator use them:
// a wallet is there from the first call, funds arrive (an operator adjustment through
// the internal ledger API, as a service makes it), a payment moves exactly its amount
// once however often it is retried, insufficient funds moves nothing, a reused
// Idempotency-Key is refused, history names both sides, nobody reads another's wallet,
// and a withdrawal is held, then cancelled or approved by an operator with its txid.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "libs/bitcoin/segwit_address.h"
#include "libs/kit/channel.h"
#include "services/wallet/wallet_ids.h"
#include "tests/integration/bitcache.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"
#include "tests/integration/member.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

using testing::AvailableMsat;
using testing::CheckError;
using testing::Fund;
using testing::Json;
using testing::ReasonOf;
using testing::Rest;
using testing::Text;
using testing::Unsigned;
using testing::UserIdOf;
using testing::WalletOf;

constexpr char kOperator[] = "ops@example.com";

// A regtest address to withdraw to.
std::string PayoutAddress() {
  return *bitcoin::EncodeSegwitAddress("bcrt", {.version = 0, .program = std::string(20, '\x07')});
}

// The lines of a `wallet history` output (each shows an amount).
long HistoryLines(const std::string& output) {
  const std::vector<absl::string_view> lines = absl::StrSplit(output, '\n');
  return std::count_if(lines.begin(), lines.end(),
                       [](absl::string_view line) { return absl::StrContains(line, " msat ("); });
}

// The payout id a `wallet withdraw` printed.
std::string PayoutIdOf(const testing::CliResult& withdrawn) {
  return withdrawn.output.substr(withdrawn.output.find("payout ") + 7, 32);
}

// The one line of the member's wallet history.
google::protobuf::Struct OnlyHistoryLine(Rest& rest, const std::string& token) {
  const http::ClientResponse listed = rest.Get("/v1/users/me/wallet/transactions", token);
  REQUIRE(listed.status == 200);
  const google::protobuf::Struct history = Json(listed.body);
  const auto& lines = history.fields().at("transactions").list_value().values();
  REQUIRE(lines.size() == 1);
  return lines[0].struct_value();
}

TEST_CASE("members pay each other exactly once and withdraw through an operator",
          "[integration][wallet]") {
  launch::SuiteOptions options =
      testing::CheapAccounts({absl::StrCat("--operator_emails=", kOperator)});
  options.extra_args["wallet"] = {"--payout_min_msat=1000"};
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, options);
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  const testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  const std::string ada_id = UserIdOf(rest, ada.token);
  const std::string bob_id = UserIdOf(rest, bob.token);

  // A wallet from the first call, empty.
  const google::protobuf::Struct fresh = WalletOf(rest, ada.token);
  CHECK(Text(fresh, "name") == absl::StrCat("users/", ada_id, "/wallet"));
  CHECK(Unsigned(fresh, "availableMsat") == 0);
  Fund(suite, ada_id, 1'000'000);
  CHECK(AvailableMsat(rest, ada.token) == 1'000'000);

  const std::string pay = "/v1/users/me/wallet:pay";
  const std::string to_bob =
      absl::StrCat(R"({"payeeWallet":"users/)", bob_id,
                   R"(/wallet","amountMsat":"250000","memo":"for the film"})");
  const http::ClientResponse paid = rest.PostKeyed(pay, to_bob, ada.token, "pay-1");
  REQUIRE(paid.status == 200);
  const google::protobuf::Struct payment = Json(paid.body);
  CHECK(Text(payment, "payee") == absl::StrCat("users/", bob_id, "/wallet"));
  CHECK(Unsigned(payment, "amountMsat") == 250'000);

  SECTION("a retry with the same key is the same payment, moving nothing more") {
    for (int retry = 0; retry < 3; ++retry) {
      const http::ClientResponse again = rest.PostKeyed(pay, to_bob, ada.token, "pay-1");
      REQUIRE(again.status == 200);
      CHECK(Text(Json(again.body), "name") == Text(payment, "name"));
    }
    CHECK(AvailableMsat(rest, ada.token) == 750'000);
    CHECK(AvailableMsat(rest, bob.token) == 250'000);
  }

  SECTION("a reused key with another amount is refused and moves nothing") {
    const std::string more = absl::StrCat(R"({"payeeWallet":"users/)", bob_id,
                                          R"(/wallet","amountMsat":"999","memo":"for the film"})");
    const http::ClientResponse reused = rest.PostKeyed(pay, more, ada.token, "pay-1");
    CHECK(ReasonOf(CheckError(reused, 400, 9)) == "ERROR_REASON_IDEMPOTENCY_KEY_REUSED");
    CHECK(AvailableMsat(rest, ada.token) == 750'000);
  }

  SECTION("insufficient funds is a clear error and moves nothing") {
    const std::string too_much =
        absl::StrCat(R"({"payeeWallet":"users/)", bob_id, R"(/wallet","amountMsat":"750001"})");
    const http::ClientResponse refused = rest.PostKeyed(pay, too_much, ada.token, "pay-2");
    const google::protobuf::Struct error = CheckError(refused, 400, 9);
    CHECK(ReasonOf(error) == "ERROR_REASON_INSUFFICIENT_FUNDS");
    CHECK(AvailableMsat(rest, ada.token) == 750'000);
    CHECK(AvailableMsat(rest, bob.token) == 250'000);
  }

  SECTION("a payment without an idempotency key is refused") {
    CheckError(rest.Post(pay, to_bob, ada.token), 400, 3);
  }

  SECTION("history names the other side and the memo") {
    const google::protobuf::Struct line = OnlyHistoryLine(rest, bob.token);
    CHECK(Text(line, "direction") == "DIRECTION_CREDIT");
    CHECK(Text(line, "counterparty") == absl::StrCat("users/", ada_id, "/wallet"));
    CHECK(Text(line, "memo") == "for the film");
    CHECK(Text(line, "state") == "TRANSACTION_STATE_POSTED");
  }

  SECTION("nobody reads or spends another member's wallet") {
    CheckError(rest.Get(absl::StrCat("/v1/users/", ada_id, "/wallet"), bob.token), 403, 7);
    const http::ClientResponse theft = rest.PostKeyed(
        absl::StrCat("/v1/users/", ada_id, "/wallet:pay"),
        absl::StrCat(R"({"payeeWallet":"users/)", bob_id, R"(/wallet","amountMsat":"1"})"),
        bob.token, "steal-1");
    CheckError(theft, 403, 7);
    CHECK(AvailableMsat(rest, ada.token) == 750'000);
  }

  SECTION("a withdrawal is held, then cancelled or approved by an operator") {
    const std::string address =
        *bitcoin::EncodeSegwitAddress("bcrt", {.version = 0, .program = std::string(20, '\x07')});
    const std::string request =
        absl::StrCat(R"({"address":")", address, R"(","amountMsat":"100000"})");
    const http::ClientResponse held =
        rest.PostKeyed("/v1/users/me/wallet/payouts", request, ada.token, "payout-1");
    REQUIRE(held.status == 200);
    const std::string payout = Text(Json(held.body), "name");
    CHECK(Text(Json(held.body), "state") == "PAYOUT_STATE_PENDING_APPROVAL");
    google::protobuf::Struct wallet = WalletOf(rest, ada.token);
    CHECK(Unsigned(wallet, "availableMsat") == 650'000);
    CHECK(Unsigned(wallet, "heldMsat") == 100'000);

    // A bad address or fractional satoshi are refused before anything is held.
    CheckError(rest.PostKeyed("/v1/users/me/wallet/payouts",
                              R"({"address":"bc1qnotanaddress","amountMsat":"100000"})", ada.token,
                              "payout-2"),
               400, 3);
    CheckError(
        rest.PostKeyed("/v1/users/me/wallet/payouts",
                       absl::StrCat(R"({"address":")", address, R"(","amountMsat":"100001"})"),
                       ada.token, "payout-3"),
        400, 3);

    const testing::Member ops = testing::SignUpMember(suite, kOperator);
    const std::string txid(64, 'c');
    // Members cannot approve their own payouts.
    CheckError(rest.Post(absl::StrCat("/v1/", payout, ":approve"),
                         absl::StrCat(R"({"txid":")", txid, R"("})"), ada.token),
               403, 7);
    const http::ClientResponse approved =
        rest.Post(absl::StrCat("/v1/", payout, ":approve"),
                  absl::StrCat(R"({"txid":")", txid, R"("})"), ops.token);
    REQUIRE(approved.status == 200);
    CHECK(Text(Json(approved.body), "state") == "PAYOUT_STATE_APPROVED");
    CHECK(Text(Json(approved.body), "txid") == txid);
    wallet = WalletOf(rest, ada.token);
    CHECK(Unsigned(wallet, "availableMsat") == 650'000);
    CHECK(Unsigned(wallet, "heldMsat") == 0);
    CHECK(Unsigned(wallet, "balanceMsat") == 650'000);
    // Decided once: a rejection now is refused and changes nothing.
    CheckError(
        rest.Post(absl::StrCat("/v1/", payout, ":reject"), R"({"reason":"late"})", ops.token), 400,
        9);

    // A second request, cancelled by the member, gives the funds back.
    const http::ClientResponse second =
        rest.PostKeyed("/v1/users/me/wallet/payouts",
                       absl::StrCat(R"({"address":")", address, R"(","amountMsat":"50000"})"),
                       ada.token, "payout-4");
    REQUIRE(second.status == 200);
    const http::ClientResponse cancelled = rest.Post(
        absl::StrCat("/v1/", Text(Json(second.body), "name"), ":cancel"), "{}", ada.token);
    REQUIRE(cancelled.status == 200);
    CHECK(Text(Json(cancelled.body), "state") == "PAYOUT_STATE_CANCELLED");
    CHECK(AvailableMsat(rest, ada.token) == 650'000);

    // The ledger still balances.
    const http::ClientResponse totals = rest.Get("/v1/ledger/totals", ops.token);
    REQUIRE(totals.status == 200);
    CHECK(Json(totals.body).fields().at("balanced").bool_value());
  }
}

TEST_CASE("the CLI shows the balance and pays a member by email, once per request id",
          "[integration][wallet][cli]") {
  launch::SuiteOptions options = testing::CheapAccounts();
  options.extra_args["wallet"] = {"--payout_min_msat=1000"};
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, options);
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Device ada(suite, "ada");
  testing::Device bob(suite, "bob");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "ada's secret\n").exit_code == 0);
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  const auto token_of = [](const testing::Device& device) {
    return Text(Json(testing::ReadAll(device.credentials())), "accessToken");
  };
  const std::string ada_id = UserIdOf(rest, token_of(ada));
  const std::string bob_id = UserIdOf(rest, token_of(bob));

  testing::CliResult empty = ada.Run({"wallet", "balance"});
  REQUIRE(empty.exit_code == 0);
  CHECK_THAT(empty.output, Catch::Contains("available   0 msat (0.000 sat)"));
  // Short of funds: what it needs and what is there, as amounts are shown everywhere.
  const testing::CliResult short_of = ada.Run({"wallet", "pay", "bob@example.com", "1500sat"});
  CHECK(short_of.exit_code == 1);
  CHECK_THAT(short_of.output, Catch::Contains("insufficient funds: this needs 1,500,000 msat "
                                              "(1,500.000 sat) and your wallet has 0 msat (0.000 "
                                              "sat) available"));
  Fund(suite, ada_id, 5'000'000);

  testing::CliResult paid = ada.Run(
      {"wallet", "pay", "bob@example.com", "1500sat", "--memo", "thanks", "--request-id", "r1"});
  REQUIRE(paid.exit_code == 0);
  // To whom as typed, with the wallet that history names.
  CHECK_THAT(paid.output, Catch::Contains(absl::StrCat("paid 1,500,000 msat (1,500.000 sat) to "
                                                       "bob@example.com (users/",
                                                       bob_id, "/wallet)")));
  // The same request id again: the same payment, not a second one.
  REQUIRE(ada.Run({"wallet", "pay", "bob@example.com", "1500sat", "--memo", "thanks",
                   "--request-id", "r1"})
              .exit_code == 0);
  CHECK_THAT(ada.Run({"wallet", "balance"}).output,
             Catch::Contains("available   3,500,000 msat (3,500.000 sat)"));
  // An empty or spaced request id is a usage error, never a fresh key: a script's
  // unset variable would pay again on every retry.
  for (const std::string& bad : {std::string(""), std::string("a b")}) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"wallet", "pay", "bob@example.com", "1sat", "--request-id", bad},
             {"wallet", "withdraw", PayoutAddress(), "10000sat", "--request-id", bad},
             {"buy", "http://127.0.0.1:1/l/01M98ZBJJ8MAJWEDKEJEVC8RVA", "--request-id", bad}}) {
      const testing::CliResult refused_key = ada.Run(args);
      INFO(args[1] << ": " << refused_key.output);
      CHECK(refused_key.exit_code == 2);
      CHECK_THAT(refused_key.output, Catch::Contains("a request id is 1 to 128 visible ASCII"));
    }
  }
  CHECK_THAT(ada.Run({"wallet", "balance"}).output,
             Catch::Contains("available   3,500,000 msat (3,500.000 sat)"));
  testing::CliResult history = bob.Run({"wallet", "history"});
  REQUIRE(history.exit_code == 0);
  // Each line says its kind, as --code takes it.
  CHECK_THAT(history.output,
             Catch::Contains("+1,500,000 msat") && Catch::Contains("\"thanks\"") &&
                 Catch::Contains(absl::StrCat("payment  from users/", ada_id, "/wallet")));
  // The sign on both figures: "+1,500,000 msat (+1,500.000 sat)", "-... (-...)".
  CHECK_THAT(history.output, Catch::Contains("+1,500,000 msat (+1,500.000 sat)"));
  CHECK_THAT(ada.Run({"wallet", "history"}).output,
             Catch::Contains("-1,500,000 msat (-1,500.000 sat)"));

  // Too much: a clear error, nothing moved.
  testing::CliResult refused = ada.Run({"wallet", "pay", "bob@example.com", "4000sat"});
  CHECK(refused.exit_code == 1);
  // With the reason a script can match, as every command gives it.
  CHECK_THAT(refused.output,
             Catch::Contains("insufficient funds") && Catch::Contains("(INSUFFICIENT_FUNDS)"));
  testing::CliResult bad_amount = ada.Run({"wallet", "pay", "bob@example.com", "1.5"});
  CHECK(bad_amount.exit_code == 1);
  CHECK_THAT(bad_amount.output, Catch::Contains("not a whole number"));
  CHECK_THAT(bob.Run({"wallet", "balance"}).output,
             Catch::Contains("available   1,500,000 msat (1,500.000 sat)"));
  // A withdrawal is held until cancelled (or decided by an operator).
  const std::string payout_address =
      *bitcoin::EncodeSegwitAddress("bcrt", {.version = 0, .program = std::string(20, '\x07')});
  testing::CliResult held = ada.Run({"wallet", "withdraw", payout_address, "500sat"});
  REQUIRE(held.exit_code == 0);
  CHECK_THAT(held.output, Catch::Contains("waiting for an operator"));
  const std::string payout = held.output.substr(held.output.find("payout ") + 7, 32);
  CHECK_THAT(ada.Run({"wallet", "payouts"}).output,
             Catch::Contains(payout) && Catch::Contains("PENDING_APPROVAL"));
  CHECK_THAT(
      ada.Run({"wallet", "balance"}).output,
      Catch::Contains("available   3,000,000 msat") && Catch::Contains("held        500,000 msat"));
  testing::CliResult fraction = ada.Run({"wallet", "withdraw", payout_address, "500001"});
  CHECK(fraction.exit_code == 1);
  CHECK_THAT(fraction.output, Catch::Contains("whole satoshi"));
  // Not a payout id: a usage error that says what to give, nothing sent.
  const testing::CliResult bogus = ada.Run({"wallet", "withdraw", "--cancel", "payout-1"});
  CHECK(bogus.exit_code == 2);
  CHECK_THAT(bogus.output, Catch::Contains("\"payout-1\" is not a payout id"));
  // The payout's whole name, as the API shows it, does as well as its id.
  REQUIRE(
      ada.Run({"wallet", "withdraw", "--cancel", "users/me/wallet/payouts/" + payout}).exit_code ==
      0);
  CHECK_THAT(ada.Run({"wallet", "balance"}).output, Catch::Contains("available   3,500,000 msat"));

  // No xpub configured on this server: asking for an address says so.
  testing::CliResult address = ada.Run({"wallet", "address"});
  CHECK(address.exit_code == 1);
  CHECK_THAT(address.output, Catch::Contains("--deposit_account_xpub"));

  // With the wallet down, the advice is the command's own: the same request id again.
  REQUIRE(suite->StopService("wallet", absl::Seconds(10)).ok());
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"wallet", "pay", "bob@example.com", "1sat"},
        std::vector<std::string>{"wallet", "withdraw", payout_address, "500sat"}}) {
    std::vector<std::string> args = command;
    args.insert(args.end(), {"--request-id", "r2"});
    const testing::CliResult down = ada.Run(args);
    INFO(down.output);
    CHECK(down.exit_code == 1);
    CHECK_THAT(down.output, Catch::Contains("the wallet service could not be reached; run the same "
                                            "command again with --request-id r2, which cannot "
                                            "pay twice") &&
                                !Catch::Contains("Idempotency-Key"));
  }
}

TEST_CASE("a welcome credit arrives once with a new wallet, from operator adjustments",
          "[integration][wallet]") {
  launch::SuiteOptions options = testing::CheapAccounts({});
  options.extra_args["wallet"] = {"--welcome_credit_msat=7000"};
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, options);
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  CHECK(AvailableMsat(rest, ada.token) == 7000);
  CHECK(AvailableMsat(rest, ada.token) == 7000);  // the wallet exists now: no second credit
  const google::protobuf::Struct line = OnlyHistoryLine(rest, ada.token);
  CHECK(Text(line, "memo") == "welcome credit");
  CHECK(Text(line, "counterparty") == "system/operatorAdjustments");
  CHECK(Unsigned(line, "amountMsat") == 7000);
}

TEST_CASE(
    "payments refuse what they must: control characters, amounts no wallet holds, keys "
    "that disagree, disabled members, and API keys pay by email",
    "[integration][wallet]") {
  launch::SuiteOptions options =
      testing::CheapAccounts({absl::StrCat("--operator_emails=", kOperator)});
  options.extra_args["wallet"] = {"--payout_min_msat=1000"};
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, options);
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  const testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  const testing::Member cy = testing::SignUpMember(suite, "cy@example.com");
  const testing::Member ops = testing::SignUpMember(suite, kOperator);
  const std::string ada_id = UserIdOf(rest, ada.token);
  const std::string bob_id = UserIdOf(rest, bob.token);
  const std::string cy_id = UserIdOf(rest, cy.token);
  Fund(suite, ada_id, 1'000'000);
  const std::string pay = "/v1/users/me/wallet:pay";
  const std::string to_bob = absl::StrCat(R"({"payeeWallet":"users/)", bob_id, R"(/wallet",)");

  // An API key with only wallet:pay pays by email: the wallet resolves the payee itself.
  const std::string key = testing::ApiKey(ada, common::v1::SCOPE_WALLET_PAY, "shop", 100'000);
  const http::ClientResponse by_email = rest.PostKeyed(
      pay, R"({"payeeEmail":"bob@example.com","amountMsat":"1000"})", key, "key-email-1");
  INFO(by_email.body);
  REQUIRE(by_email.status == 200);
  CHECK(Text(Json(by_email.body), "payee") == absl::StrCat("users/", bob_id, "/wallet"));
  CHECK(AvailableMsat(rest, ada.token) == 999'000);

  // Memos are one line of plain text: control characters are refused, saying which.
  for (const char* memo : {R"(line1\nline2\u001b[31mRED)", R"(nul\u0000byte)"}) {
    const google::protobuf::Struct refused = CheckError(
        rest.PostKeyed(pay, absl::StrCat(to_bob, R"("amountMsat":"1","memo":")", memo, R"("})"),
                       ada.token, absl::StrCat("memo-", std::string(memo).size())),
        400, 3);
    const std::string message = Text(refused, "message");
    CHECK_THAT(message, Catch::StartsWith("memo: ") && Catch::Contains("control characters") &&
                            Catch::Contains("U+00"));
  }
  CHECK(AvailableMsat(rest, ada.token) == 999'000);

  // An amount no wallet can hold is insufficient funds, in the member's words.
  const google::protobuf::Struct huge = CheckError(
      rest.PostKeyed(pay, absl::StrCat(to_bob, R"("amountMsat":"18446744073709551615"})"),
                     ada.token, "huge-1"),
      400, 9);
  CHECK(ReasonOf(huge) == "ERROR_REASON_INSUFFICIENT_FUNDS");
  CHECK_THAT(Text(huge, "message"), !Catch::Contains("OVERFLOWS"));
  // It says what it needs and what the wallet has.
  CHECK_THAT(Text(huge, "message"),
             Catch::Contains("this needs 18446744073709551615 msat and the wallet has 999000 "
                             "msat available"));
  const google::protobuf::Struct short_by_one = CheckError(
      rest.PostKeyed(pay, absl::StrCat(to_bob, R"("amountMsat":"999001"})"), ada.token, "short-1"),
      400, 9);
  CHECK(ReasonOf(short_by_one) == "ERROR_REASON_INSUFFICIENT_FUNDS");
  CHECK_THAT(Text(short_by_one, "message"),
             Catch::Contains("this needs 999001 msat and the wallet has 999000 msat available"));
  const google::protobuf::Struct huge_payout =
      CheckError(rest.PostKeyed("/v1/users/me/wallet/payouts",
                                absl::StrCat(R"({"address":")", PayoutAddress(),
                                             R"(","amountMsat":"18446744073709551000"})"),
                                ada.token, "huge-2"),
                 400, 9);
  CHECK(ReasonOf(huge_payout) == "ERROR_REASON_INSUFFICIENT_FUNDS");
  CHECK_THAT(Text(huge_payout, "message"), !Catch::Contains("OVERFLOWS"));
  CHECK(AvailableMsat(rest, ada.token) == 999'000);

  // The Idempotency-Key header and the body's requestId must agree.
  const google::protobuf::Struct disagree = CheckError(
      rest.PostKeyed(pay, absl::StrCat(to_bob, R"("amountMsat":"5","requestId":"body-key"})"),
                     ada.token, "header-key"),
      400, 3);
  CHECK_THAT(Text(disagree, "message"), Catch::Contains("Idempotency-Key") &&
                                            Catch::Contains("header-key") &&
                                            Catch::Contains("body-key"));
  REQUIRE(rest.PostKeyed(pay, absl::StrCat(to_bob, R"("amountMsat":"5","requestId":"same"})"),
                         ada.token, "same")
              .status == 200);
  CHECK(AvailableMsat(rest, ada.token) == 998'995);

  // A key with a space: the message names the header and what it may hold.
  const google::protobuf::Struct spaced = CheckError(
      rest.PostKeyed(pay, absl::StrCat(to_bob, R"("amountMsat":"5"})"), ada.token, "has space"),
      400, 3);
  CHECK_THAT(Text(spaced, "message"), Catch::Contains("Idempotency-Key") &&
                                          Catch::Contains("visible ASCII") &&
                                          Catch::Contains("without spaces"));

  // A disabled member is paid neither by wallet name nor by email; a payment made before,
  // retried with its key, still answers that payment (a retry after a timeout must not
  // look failed).
  const std::string to_cy = R"({"payeeEmail":"cy@example.com","amountMsat":"7"})";
  const http::ClientResponse before_cy = rest.PostKeyed(pay, to_cy, ada.token, "before-cy");
  REQUIRE(before_cy.status == 200);
  CHECK(AvailableMsat(rest, ada.token) == 998'988);
  testing::SetUserState(suite, ops.token, cy_id, accounts::v1::USER_STATE_DISABLED);
  for (const std::string& retry :
       {to_cy, absl::StrCat(R"({"payeeWallet":"users/)", cy_id, R"(/wallet","amountMsat":"7"})")}) {
    const http::ClientResponse again = rest.PostKeyed(pay, retry, ada.token, "before-cy");
    INFO(again.body);
    CHECK(again.status == 200);
    CHECK(Text(Json(again.body), "name") == Text(Json(before_cy.body), "name"));
  }
  CheckError(
      rest.PostKeyed(
          pay, absl::StrCat(R"({"payeeWallet":"users/)", cy_id, R"(/wallet","amountMsat":"7"})"),
          ada.token, "to-cy-1"),
      404, 5);
  CheckError(rest.PostKeyed(pay, R"({"payeeEmail":"cy@example.com","amountMsat":"7"})", ada.token,
                            "to-cy-2"),
             404, 5);
  CHECK(AvailableMsat(rest, ada.token) == 998'988);

  // The key's payment above went through; a retry of its Idempotency-Key with another
  // memo, payee or amount is refused, in the member's words, and stays counted against
  // the key's limit: pay and refused retry, again and again, never spend past it.
  for (const char* retry : {R"({"payeeEmail":"bob@example.com","amountMsat":"1000","memo":"z"})",
                            R"({"payeeEmail":"ops@example.com","amountMsat":"1000"})",
                            R"({"payeeEmail":"bob@example.com","amountMsat":"2000"})"}) {
    const google::protobuf::Struct reused =
        CheckError(rest.PostKeyed(pay, retry, key, "key-email-1"), 400, 9);
    CHECK(ReasonOf(reused) == "ERROR_REASON_IDEMPOTENCY_KEY_REUSED");
    CHECK_THAT(Text(reused, "message"), !Catch::Contains("EXISTS"));
  }
  REQUIRE(rest.PostKeyed(pay, R"({"payeeEmail":"bob@example.com","amountMsat":"99000"})", key,
                         "key-email-2")
              .status == 200);
  const google::protobuf::Struct over =
      CheckError(rest.PostKeyed(pay, R"({"payeeEmail":"bob@example.com","amountMsat":"1"})", key,
                                "key-email-3"),
                 403, 7);
  CHECK(ReasonOf(over) == "ERROR_REASON_SPEND_LIMIT_EXCEEDED");
  CHECK(AvailableMsat(rest, ada.token) == 899'988);
}

TEST_CASE(
    "payout decisions are consistent, members touch only their own, and /metrics shows "
    "the ledger",
    "[integration][wallet]") {
  launch::SuiteOptions options =
      testing::CheapAccounts({absl::StrCat("--operator_emails=", kOperator)});
  options.extra_args["wallet"] = {"--payout_min_msat=1000"};
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, options);
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  const testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  const testing::Member ops = testing::SignUpMember(suite, kOperator);
  const std::string ada_id = UserIdOf(rest, ada.token);
  Fund(suite, ada_id, 1'000'000);
  const auto request_payout = [&](const std::string& key, int amount_msat) {
    const http::ClientResponse held =
        rest.PostKeyed("/v1/users/me/wallet/payouts",
                       absl::StrCat(R"({"address":")", PayoutAddress(), R"(","amountMsat":")",
                                    amount_msat, R"("})"),
                       ada.token, key);
    REQUIRE(held.status == 200);
    return Text(Json(held.body), "name");
  };

  // Rejecting again with the same reason answers the payout; another reason is refused,
  // as approving with another txid is.
  const std::string rejected = request_payout("p-1", 100'000);
  const std::string reject = absl::StrCat("/v1/", rejected, ":reject");
  REQUIRE(rest.Post(reject, R"({"reason":"address on a sanctions list"})", ops.token).status ==
          200);
  const http::ClientResponse again =
      rest.Post(reject, R"({"reason":"address on a sanctions list"})", ops.token);
  REQUIRE(again.status == 200);
  CHECK(Text(Json(again.body), "rejectReason") == "address on a sanctions list");
  const google::protobuf::Struct other =
      CheckError(rest.Post(reject, R"({"reason":"changed my mind"})", ops.token), 400, 9);
  CHECK_THAT(Text(other, "message"), Catch::Contains("already decided"));
  // A reason is shown to the member: one line of plain text.
  CheckError(rest.Post(absl::StrCat("/v1/", request_payout("p-2", 1000), ":reject"),
                       R"({"reason":"bad\u001b[2Jreason"})", ops.token),
             400, 3);

  // Another member's payout: 403, as listing another's payouts is.
  const std::string waiting = request_payout("p-3", 50'000);
  CheckError(rest.Post(absl::StrCat("/v1/", waiting, ":cancel"), "{}", bob.token), 403, 7);
  CheckError(rest.Get(absl::StrCat("/v1/users/", ada_id, "/wallet/payouts"), bob.token), 403, 7);

  // An operator may name a payout by its id alone, under any member.
  const std::string approved = request_payout("p-4", 20'000);
  const http::ClientResponse by_id =
      rest.Post(absl::StrCat("/v1/users/-/wallet/payouts/",
                             approved.substr(approved.rfind('/') + 1), ":approve"),
                absl::StrCat(R"({"txid":")", std::string(64, 'a'), R"("})"), ops.token);
  INFO(by_id.body);
  REQUIRE(by_id.status == 200);
  CHECK(Text(Json(by_id.body), "state") == "PAYOUT_STATE_APPROVED");

  // The wallet's /metrics: ledger figures, payouts waiting (p-2 and p-3), promtool-clean.
  absl::StatusOr<std::string> page =
      testing::HttpGet(suite->addresses("wallet").at("admin"), "/metrics");
  REQUIRE(page.ok());
  CHECK_THAT(*page, Catch::Contains("wallet_ledger_commits_total ") &&
                        Catch::Contains("wallet_ledger_commit_events_bucket") &&
                        Catch::Contains("wallet_ledger_transfers_committed_total ") &&
                        Catch::Contains("wallet_ledger_balanced 1") &&
                        Catch::Contains("wallet_payouts_pending 2") &&
                        Catch::Contains("wallet_payouts_pending_msat 51000") &&
                        Catch::Contains("wallet_chain_deposits_credited 0") &&
                        Catch::Contains("wallet_chain_deposits_removed_after_credit 0") &&
                        Catch::Contains("wallet_chain_poll_errors_total 0"));
  const absl::Status promtool = testing::PromtoolCheckMetrics(*page);
  INFO(promtool.message());
  CHECK(promtool.ok());
}

TEST_CASE(
    "a wallet that stops while answering is UNAVAILABLE with what to do, and a retry with "
    "the same key pays once",
    "[integration][wallet]") {
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, testing::CheapAccounts());
  const std::string gateway = suite->addresses("gateway").at("public_rest");
  Rest rest(gateway);
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  const testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  const std::string ada_id = UserIdOf(rest, ada.token);
  const std::string bob_id = UserIdOf(rest, bob.token);
  Fund(suite, ada_id, 1'000);
  const std::string pay = "/v1/users/me/wallet:pay";
  const std::string body =
      absl::StrCat(R"({"payeeWallet":"users/)", bob_id, R"(/wallet","amountMsat":"400"})");

  // The gateway's connection to the wallet is up (a first call); the wallet freezes with
  // the payment on its way, then dies: the connection is reset.
  REQUIRE(AvailableMsat(rest, ada.token) == 1'000);
  suite->process("wallet")->Signal(SIGSTOP);
  http::ClientResponse crashed;
  std::thread paying([&] { crashed = Rest(gateway).PostKeyed(pay, body, ada.token, "crash-1"); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  suite->process("wallet")->Signal(SIGKILL);
  paying.join();
  const google::protobuf::Struct stopped = CheckError(crashed, 503, 14);
  CHECK(Text(stopped, "message") ==
        "the wallet service stopped before it answered; retry with the same Idempotency-Key, "
        "which is safe");
  CHECK(crashed.Header("Retry-After") == "1");
  REQUIRE(suite->StopService("wallet", absl::Seconds(1)).ok());

  // While it is down: could not be reached.
  const google::protobuf::Struct down =
      CheckError(rest.PostKeyed(pay, body, ada.token, "crash-1"), 503, 14);
  CHECK_THAT(Text(down, "message"),
             Catch::StartsWith("the wallet service could not be reached; retry"));

  // Back again: the same key pays, once. (The gateway's channel reconnects after its
  // backoff; until then it answers 503 as above, and a client retries.)
  REQUIRE(suite->StartService("wallet").ok());
  http::ClientResponse paid = rest.PostKeyed(pay, body, ada.token, "crash-1");
  for (int retry = 0; paid.status == 503 && retry < 60; ++retry) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    paid = rest.PostKeyed(pay, body, ada.token, "crash-1");
  }
  INFO(paid.body);
  REQUIRE(paid.status == 200);
  REQUIRE(rest.PostKeyed(pay, body, ada.token, "crash-1").status == 200);
  CHECK(AvailableMsat(rest, ada.token) == 600);
}

TEST_CASE("a wallet refuses to start on another Bitcoin network than its data's",
          "[integration][wallet]") {
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, testing::CheapAccounts());
  REQUIRE(suite->StopService("wallet", absl::Seconds(10)).ok());
  const std::filesystem::path var = suite.var_dir();
  const std::string log = (var / "wallet-testnet.log").string();
  absl::StatusOr<std::unique_ptr<launch::Process>> testnet = launch::Process::Start(
      {.name = "wallet-testnet",
       .binary = absl::StrCat(testing::BinaryDir(), "/services/wallet/bitcontent-wallet"),
       .args = {"--grpc_address=127.0.0.1:0", "--admin_address=127.0.0.1:0",
                absl::StrCat("--data_dir=", (var / "data" / "wallet").string())},
       .env = {{"BITCONTENT_BITCOIN_NETWORK", "testnet"}},
       .log_path = log});
  REQUIRE(testnet.ok());
  absl::StatusOr<int> exit_code = (*testnet)->Wait(absl::Seconds(20));
  REQUIRE(exit_code.ok());
  CHECK(*exit_code == 1);
  CHECK_THAT(testing::ReadAll(log), Catch::Contains("belongs to the Bitcoin network regtest") &&
                                        Catch::Contains("configured for testnet") &&
                                        Catch::Contains("--bitcoin_network=regtest"));
  // On its own network it starts as before.
  CHECK(suite->StartService("wallet").ok());
}

TEST_CASE(
    "the CLI pages and filters history, escapes what others wrote, and shows payouts as "
    "they are",
    "[integration][wallet][cli]") {
  launch::SuiteOptions options =
      testing::CheapAccounts({absl::StrCat("--operator_emails=", kOperator)});
  options.extra_args["wallet"] = {"--payout_min_msat=1000"};
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, options);
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Device ada(suite, "ada");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "ada's secret\n").exit_code == 0);
  const testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  const testing::Member ops = testing::SignUpMember(suite, kOperator);
  const std::string ada_id =
      UserIdOf(rest, Text(Json(testing::ReadAll(ada.credentials())), "accessToken"));
  Fund(suite, ada_id, 100'000'000);

  // A control character in a memo is refused, naming the field.
  testing::CliResult escape =
      ada.Run({"wallet", "pay", "bob@example.com", "1sat", "--memo", "line1\nline2\x1b[31mRED"});
  CHECK(escape.exit_code == 1);
  CHECK_THAT(escape.output, Catch::Contains("memo: ") && Catch::Contains("control characters"));
  // A wallet name with no member's id in it says so, in the field the member gave.
  testing::CliResult nobody = ada.Run({"wallet", "pay", "users/xyz/wallet", "1sat"});
  CHECK(nobody.exit_code == 1);
  CHECK_THAT(nobody.output, Catch::Contains("payee_wallet: names no member"));
  // Bytes that are not UTF-8 are refused too, never sent with them dropped.
  testing::CliResult not_text = ada.Run({"wallet", "pay", "bob@example.com", "1sat", "--memo",
                                         "a\xff"
                                         "b"});
  CHECK(not_text.exit_code == 1);
  CHECK_THAT(not_text.output, Catch::Contains("--memo must be UTF-8 text") &&
                                  Catch::Contains("a\\xffb") && !Catch::Contains("paid"));

  // Five payouts, each cancelled (a hold and its void: two ledger entries, one line), and
  // five payments.
  for (int i = 0; i < 5; ++i) {
    testing::CliResult held = ada.Run({"wallet", "withdraw", PayoutAddress(), "2sat"});
    REQUIRE(held.exit_code == 0);
    REQUIRE(ada.Run({"wallet", "withdraw", "--cancel", PayoutIdOf(held)}).exit_code == 0);
    REQUIRE(ada.Run({"wallet", "pay", "bob@example.com", "1sat", "--memo", "tip"}).exit_code == 0);
  }
  testing::CliResult eight = ada.Run({"wallet", "history", "--limit", "8"});
  REQUIRE(eight.exit_code == 0);
  INFO(eight.output);
  CHECK(HistoryLines(eight.output) == 8);
  CHECK_THAT(eight.output, Catch::Contains("more may follow: repeat with --page-token "));
  // The sign is on both figures; payout lines name the payout and its address.
  CHECK_THAT(eight.output, Catch::Contains("-1,000 msat (-1.000 sat)  payment  to users/"));
  CHECK_THAT(eight.output, Catch::Contains(absl::StrCat(" to ", PayoutAddress(), "  [voided]")));
  testing::CliResult payouts_only = ada.Run({"wallet", "history", "--code", "payout"});
  REQUIRE(payouts_only.exit_code == 0);
  CHECK(HistoryLines(payouts_only.output) == 5);
  CHECK_THAT(payouts_only.output, !Catch::Contains("\"tip\""));
  testing::CliResult everything = ada.Run({"wallet", "history", "--limit", "1000"});
  CHECK(HistoryLines(everything.output) == 11);
  CHECK_THAT(everything.output, !Catch::Contains("more may follow"));
  testing::CliResult none =
      ada.Run({"wallet", "history", "--since", "2000-01-01", "--until", "2000-01-02"});
  // Nothing listed prints nothing, as ls does, when the output is not a terminal.
  CHECK(none.exit_code == 0);
  CHECK(none.output.empty());
  CHECK(ada.Run({"wallet", "history", "--code", "teleport"}).exit_code == 1);

  // A withdrawal repeated after it was decided says what became of it, and fails when
  // nothing is sent.
  testing::CliResult wd1 =
      ada.Run({"wallet", "withdraw", PayoutAddress(), "3sat", "--request-id", "wd-1"});
  REQUIRE(wd1.exit_code == 0);
  // --cancel takes the payout alone: a new withdrawal beside it would be silently dropped.
  const testing::CliResult mixed =
      ada.Run({"wallet", "withdraw", "--cancel", PayoutIdOf(wd1), PayoutAddress(), "5sat"});
  CHECK(mixed.exit_code == 2);
  CHECK_THAT(mixed.output, Catch::Contains("give it alone"));
  REQUIRE(ada.Run({"wallet", "withdraw", "--cancel", PayoutIdOf(wd1)}).exit_code == 0);
  testing::CliResult retried =
      ada.Run({"wallet", "withdraw", PayoutAddress(), "3sat", "--request-id", "wd-1"});
  CHECK(retried.exit_code == 1);
  CHECK_THAT(retried.output,
             Catch::Contains("was cancelled") && !Catch::Contains("waiting for an operator"));

  testing::CliResult held =
      ada.Run({"wallet", "withdraw", PayoutAddress(), "4sat", "--request-id", "wd-2"});
  REQUIRE(held.exit_code == 0);
  const std::string wd2 = PayoutIdOf(held);
  REQUIRE(rest.Post(absl::StrCat("/v1/users/", ada_id, "/wallet/payouts/", wd2, ":reject"),
                    R"({"reason":"this address is not yours"})", ops.token)
              .status == 200);
  const testing::CliResult rejected =
      ada.Run({"wallet", "withdraw", PayoutAddress(), "4sat", "--request-id", "wd-2"});
  CHECK(rejected.exit_code == 1);
  CHECK_THAT(rejected.output,
             Catch::Contains("was rejected by an operator: \"this address is not yours\"") &&
                 Catch::Contains("withdraw again without --request-id"));
  CHECK_THAT(ada.Run({"wallet", "payouts"}).output,
             Catch::Contains(absl::StrCat(wd2, "  4,000 msat (4.000 sat)  ", PayoutAddress(),
                                          "  REJECTED reason \"this address is not yours\"")));
  (void)bob;
}

}  // namespace
}  // namespace bitcontent
