// BitcoinRpc against the replay server: auth, Core's errors, network checks, a server
// that is down; and the reply parser on Core's documented shapes.
#include "services/wallet/bitcoin_rpc.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/wallet/replay_rpc_server.h"

namespace bitcontent::wallet::testing {
namespace {

using Catch::Contains;

BitcoinRpcOptions OptionsFor(const ReplayRpcServer& server) {
  return {.url = server.url(),
          .user = kRpcUser,
          .password = kRpcPassword,
          .connect_timeout = absl::Seconds(2),
          .request_timeout = absl::Seconds(5)};
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST_CASE("BitcoinRpc reads getblockchaininfo and listsinceblock") {
  ReplayRpcServer server;
  server.Edit([](ReplayChain& chain) {
    chain.Mine(2);
    chain.Pay("bcrt1qalice", "0.00000001");
    chain.Mine(1);
  });
  BitcoinRpc rpc(OptionsFor(server));
  REQUIRE(rpc.Validate().ok());
  absl::StatusOr<BlockchainInfo> info = rpc.GetBlockchainInfo();
  INFO(info.status().ToString());
  REQUIRE(info.ok());
  CHECK(info->chain == "regtest");
  CHECK(info->blocks == 3);
  CHECK(RequireNetwork(info->chain, bitcoin::Network::kRegtest).ok());
  absl::StatusOr<SinceBlock> since = rpc.ListSinceBlock("", 3);
  INFO(since.status().ToString());
  REQUIRE(since.ok());
  REQUIRE(since->transactions.size() == 1);
  const WalletEntry& entry = since->transactions[0];
  CHECK(entry.address == "bcrt1qalice");
  CHECK(entry.category == "receive");
  CHECK(entry.amount_satoshi == 1);
  CHECK(entry.confirmations == 1);
  CHECK(entry.block_height == 3);
  CHECK(IsHash256Hex(entry.block_hash));
  CHECK(since->removed.empty());
  CHECK(IsHash256Hex(since->last_block));
}

TEST_CASE("BitcoinRpc says which credentials were refused") {
  ReplayRpcServer server;
  BitcoinRpcOptions options = OptionsFor(server);
  options.password = "wrong";
  absl::StatusOr<BlockchainInfo> info = BitcoinRpc(options).GetBlockchainInfo();
  CHECK(absl::IsUnauthenticated(info.status()));
  CHECK_THAT(Message(info.status()), Contains("--bitcoin_rpc_password"));
}

TEST_CASE("BitcoinRpc reads the credentials from Core's cookie file") {
  ReplayRpcServer server;
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cookie_" + std::to_string(::getpid()))).string();
  std::ofstream(path) << kRpcUser << ":" << kRpcPassword;
  BitcoinRpcOptions options = OptionsFor(server);
  options.user.clear();
  options.password.clear();
  options.cookie_file = path;
  CHECK(BitcoinRpc(options).GetBlockchainInfo().ok());
  std::ofstream(path) << "no colon here";
  CHECK(absl::IsFailedPrecondition(BitcoinRpc(options).GetBlockchainInfo().status()));
  std::filesystem::remove(path);
  absl::StatusOr<BlockchainInfo> missing = BitcoinRpc(options).GetBlockchainInfo();
  CHECK(absl::IsUnavailable(missing.status()));
  CHECK_THAT(Message(missing.status()), Contains("cookie file"));
}

TEST_CASE("BitcoinRpc turns Core's error objects into statuses") {
  ReplayRpcServer server;
  BitcoinRpc rpc(OptionsFor(server));
  server.FailNext(1, kCoreInWarmup, "Loading block index...");
  absl::StatusOr<BlockchainInfo> warming = rpc.GetBlockchainInfo();
  CHECK(absl::IsUnavailable(warming.status()));
  CHECK_THAT(Message(warming.status()), Contains("Loading block index"));
  server.FailNext(1, kCoreWalletNotSpecified, "Wallet file not specified");
  CHECK(absl::IsFailedPrecondition(rpc.ListSinceBlock("", 3).status()));
  absl::StatusOr<SinceBlock> unknown = rpc.ListSinceBlock(std::string(64, 'f'), 3);
  CHECK(absl::IsNotFound(unknown.status()));
  CHECK_THAT(Message(unknown.status()), Contains("Block not found"));
  CHECK(absl::IsUnimplemented(MapCoreError("x", kCoreMethodNotFound, "Method not found")));
  CHECK(absl::IsInvalidArgument(rpc.ListSinceBlock("not-a-hash", 3).status()));
}

TEST_CASE("BitcoinRpc reports a server that is down as Unavailable") {
  ReplayRpcServer server;
  BitcoinRpc rpc(OptionsFor(server));
  server.Stop();
  absl::StatusOr<BlockchainInfo> info = rpc.GetBlockchainInfo();
  CHECK(absl::IsUnavailable(info.status()));
  CHECK_THAT(Message(info.status()), Contains("cannot be reached"));
}

TEST_CASE("BitcoinRpc refuses replies larger than its limit") {
  ReplayRpcServer server;
  BitcoinRpcOptions options = OptionsFor(server);
  options.response_bytes_max = 64;
  CHECK(absl::IsResourceExhausted(BitcoinRpc(options).GetBlockchainInfo().status()));
}

TEST_CASE("BitcoinRpc options that cannot work are refused") {
  CHECK(absl::IsInvalidArgument(BitcoinRpc({.url = "ftp://x", .user = "u"}).Validate()));
  CHECK(absl::IsInvalidArgument(BitcoinRpc({.url = "http://u:p@host/"}).Validate()));
  CHECK(absl::IsInvalidArgument(BitcoinRpc({.url = "http://host/"}).Validate()));
}

TEST_CASE("Networks must match Core's chain") {
  CHECK(RequireNetwork("main", bitcoin::Network::kMainnet).ok());
  CHECK(RequireNetwork("test", bitcoin::Network::kTestnet).ok());
  CHECK(RequireNetwork("testnet4", bitcoin::Network::kTestnet).ok());
  const absl::Status wrong = RequireNetwork("main", bitcoin::Network::kRegtest);
  CHECK(absl::IsFailedPrecondition(wrong));
  CHECK_THAT(Message(wrong), Contains("main") && Contains("regtest"));
  CHECK(absl::IsFailedPrecondition(RequireNetwork("signet", bitcoin::Network::kTestnet)));
}

TEST_CASE("Replies parse amounts exactly and refuse malformed ones") {
  const std::string hash(64, 'a');
  auto reply = [&](const std::string& amount) {
    return R"({"result": {"transactions": [{"address": "bcrt1q", "category": "receive", )"
           R"("amount": )" +
           amount + R"( , "vout": 1, "confirmations": 2, "txid": ")" + hash +
           R"("}], "removed": [], "lastblock": ")" + hash + R"("}, "error": null, "id": 1})";
  };
  absl::StatusOr<SinceBlock> small = ParseSinceBlockReply(reply("0.00000001"));
  REQUIRE(small.ok());
  CHECK(small->transactions[0].amount_satoshi == 1);
  absl::StatusOr<SinceBlock> large = ParseSinceBlockReply(reply("20999999.9769"));
  REQUIRE(large.ok());
  CHECK(large->transactions[0].amount_satoshi == 2'099'999'997'690'000);
  CHECK(large->transactions[0].vout == 1);
  CHECK(!ParseSinceBlockReply(reply("1e-8")).ok());
  CHECK(!ParseSinceBlockReply(reply("\"0.1\"")).ok());
  CHECK(!ParseSinceBlockReply("not json").ok());
  CHECK(!ParseSinceBlockReply(R"({"result": null, "error": null})").ok());
  CHECK(!ParseSinceBlockReply(R"({"result": {"transactions": [{"txid": "zz"}]}})").ok());
  // JSON-RPC 2.0 errors come without a result.
  absl::StatusOr<SinceBlock> failed =
      ParseSinceBlockReply(R"({"jsonrpc": "2.0", "error": {"code": -28, "message": "w"}})");
  CHECK(absl::IsUnavailable(failed.status()));
}

}  // namespace
}  // namespace bitcontent::wallet::testing
