// Bitcache wallets through the gateway's REST API, as members and an operator use them:
// a wallet is there from the first call, funds arrive (an operator adjustment through
// the internal ledger API, as a service makes it), a payment moves exactly its amount
// once however often it is retried, insufficient funds moves nothing, a reused
// Idempotency-Key is refused, history names both sides, nobody reads another's wallet,
// and a withdrawal is held, then cancelled or approved by an operator with its txid.
#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/str_cat.h"
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

  testing::CliResult empty = ada.Run({"wallet", "balance"});
  REQUIRE(empty.exit_code == 0);
  CHECK_THAT(empty.output, Catch::Contains("available   0 msat (0.000 sat)"));
  Fund(suite, ada_id, 5'000'000);

  testing::CliResult paid = ada.Run(
      {"wallet", "pay", "bob@example.com", "1500sat", "--memo", "thanks", "--request-id", "r1"});
  REQUIRE(paid.exit_code == 0);
  CHECK_THAT(paid.output, Catch::Contains("paid 1,500,000 msat (1500.000 sat)"));
  // The same request id again: the same payment, not a second one.
  REQUIRE(ada.Run({"wallet", "pay", "bob@example.com", "1500sat", "--memo", "thanks",
                   "--request-id", "r1"})
              .exit_code == 0);
  CHECK_THAT(ada.Run({"wallet", "balance"}).output,
             Catch::Contains("available   3,500,000 msat (3500.000 sat)"));
  testing::CliResult history = bob.Run({"wallet", "history"});
  REQUIRE(history.exit_code == 0);
  CHECK_THAT(history.output, Catch::Contains("+1,500,000 msat") && Catch::Contains("\"thanks\"") &&
                                 Catch::Contains(absl::StrCat("from users/", ada_id, "/wallet")));
  // The sign on both figures: "+1,500,000 msat (+1500.000 sat)", "-... (-...)".
  CHECK_THAT(history.output, Catch::Contains("+1,500,000 msat (+1500.000 sat)"));
  CHECK_THAT(ada.Run({"wallet", "history"}).output,
             Catch::Contains("-1,500,000 msat (-1500.000 sat)"));

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
             Catch::Contains("available   1,500,000 msat (1500.000 sat)"));
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
  REQUIRE(ada.Run({"wallet", "withdraw", "--cancel", payout}).exit_code == 0);
  CHECK_THAT(ada.Run({"wallet", "balance"}).output, Catch::Contains("available   3,500,000 msat"));

  // No xpub configured on this server: asking for an address says so.
  testing::CliResult address = ada.Run({"wallet", "address"});
  CHECK(address.exit_code == 1);
  CHECK_THAT(address.output, Catch::Contains("--deposit_account_xpub"));
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

}  // namespace
}  // namespace bitcontent
