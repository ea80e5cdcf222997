// A Bitcoin deposit end to end: a member asks the CLI for an address (derived from the
// operator's account key), a payment to it shows as confirming, is credited once at the
// required confirmations, and stays credited once across a wallet restart. Bitcoin Core
// is the tests' JSON-RPC replay server (tests/unit/wallet), not a real node.
#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/bitcoin/base58.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/unit/wallet/replay_rpc_server.h"

namespace bitcontent {
namespace {

// BIP84's test account key (its zpub), given as the tpub a regtest operator would use.
std::string RegtestAccountKey() {
  const std::string zpub =
      "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31m"
      "GD"
      "tKsAYz2oz2AGutZYs";
  absl::StatusOr<std::string> payload = bitcoin::Base58CheckDecode(zpub);
  REQUIRE(payload.ok());
  return bitcoin::Base58CheckEncode(absl::HexStringToBytes("043587cf") + payload->substr(4));
}

// The address line of `wallet address`'s output (its note goes to stderr, interleaved).
std::string AddressIn(const std::string& output) {
  const size_t start = output.find("bcrt1");
  REQUIRE(start != std::string::npos);
  return output.substr(start, output.find('\n', start) - start);
}

// Runs `command` until its output contains `expected` (the watcher polls every 100 ms).
testing::CliResult RunUntil(const testing::Device& device, const std::vector<std::string>& command,
                            const std::string& expected) {
  testing::CliResult result;
  for (int attempt = 0; attempt < 100; ++attempt) {
    result = device.Run(command);
    if (result.output.find(expected) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return result;
}

TEST_CASE("a deposit is confirming then credited exactly once and survives a restart",
          "[integration][wallet][deposits]") {
  wallet::testing::ReplayRpcServer core;
  launch::SuiteOptions options = testing::CheapAccounts();
  options.extra_args["wallet"] = {
      "--deposit_account_xpub=" + RegtestAccountKey(),
      "--bitcoin_network=regtest",
      "--bitcoin_rpc_url=" + core.url(),
      absl::StrCat("--bitcoin_rpc_user=", wallet::testing::kRpcUser),
      absl::StrCat("--bitcoin_rpc_password=", wallet::testing::kRpcPassword),
      "--deposit_confirmations=2",
      "--chain_poll_interval=100ms"};
  testing::TestSuite suite({"accounts", "wallet", "gateway"}, options);
  testing::Device ada(suite, "ada");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "ada's secret\n").exit_code == 0);

  testing::CliResult first = ada.Run({"wallet", "address"});
  REQUIRE(first.exit_code == 0);
  const std::string address = AddressIn(first.output);
  CHECK(address.substr(0, 6) == "bcrt1q");
  CHECK_THAT(first.output, Catch::Contains("m/84'/1'/0'/0/0"));
  // Every request is a fresh address.
  testing::CliResult second = ada.Run({"wallet", "address"});
  CHECK(AddressIn(second.output) != address);

  core.Edit([&](wallet::testing::ReplayChain& chain) {
    chain.Pay(address, "0.00012345");
    chain.Mine(1);
  });
  // One confirmation of two: shown as confirming, not spendable.
  testing::CliResult confirming =
      RunUntil(ada, {"wallet", "balance"}, "confirming  12,345,000 msat");
  CHECK_THAT(confirming.output, Catch::Contains("confirming  12,345,000 msat") &&
                                    Catch::Contains("available   0 msat"));

  core.Edit([](wallet::testing::ReplayChain& chain) { chain.Mine(1); });
  testing::CliResult credited = RunUntil(ada, {"wallet", "balance"}, "available   12,345,000 msat");
  CHECK_THAT(credited.output, Catch::Contains("available   12,345,000 msat (12,345.000 sat)"));

  // More blocks, more polls and a restart of the wallet: still credited once.
  core.Edit([](wallet::testing::ReplayChain& chain) { chain.Mine(3); });
  (void)suite->StopService("wallet", absl::Seconds(10));
  REQUIRE(suite->StartService("wallet").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK_THAT(ada.Run({"wallet", "balance"}).output,
             Catch::Contains("available   12,345,000 msat (12,345.000 sat)"));
  testing::CliResult history = ada.Run({"wallet", "history"});
  CHECK_THAT(history.output,
             Catch::Contains("+12,345,000 msat") && Catch::Contains("from system/chain"));
}

}  // namespace
}  // namespace bitcontent
