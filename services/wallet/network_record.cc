#include "services/wallet/network_record.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/wallet/chain_watcher.h"
#include "services/wallet/records.pb.h"

namespace bitcontent::wallet {
namespace {

constexpr char kNetworkKey[] = "bitcoin_network";

std::optional<bitcoin::Network> NetworkNamed(absl::string_view name) {
  for (const bitcoin::Network network :
       {bitcoin::Network::kMainnet, bitcoin::Network::kTestnet, bitcoin::Network::kRegtest}) {
    if (bitcoin::NetworkName(network) == name) return network;
  }
  return std::nullopt;
}

absl::Status Mismatch(absl::string_view recorded, bitcoin::Network network) {
  const std::string configured(bitcoin::NetworkName(network));
  return absl::FailedPreconditionError(absl::StrCat(
      "the wallet's data (--data_dir) belongs to the Bitcoin network ", recorded,
      ", but this server is configured for ", configured,
      " (--bitcoin_network, BITCONTENT_BITCOIN_NETWORK); its deposit and payout addresses "
      "are ",
      recorded, " addresses, which mean nothing on ", configured,
      ". Start it with --bitcoin_network=", recorded, ", or give ", configured,
      " a new --data_dir"));
}

// The network of the store's first deposit address, for a store from before the record;
// nullopt when it has none.
absl::StatusOr<std::optional<bitcoin::Network>> NetworkOfAddresses(const WalletDb& db) {
  store::PrefixIterator it = db.store().Scan(db.deposit_addresses, {.limit = 1});
  if (!it.Valid()) {
    if (absl::Status status = it.status(); !status.ok()) return status;
    return std::optional<bitcoin::Network>();
  }
  storage::DepositAddressRecord record;
  if (!record.ParseFromArray(it.value().data(), static_cast<int>(it.value().size()))) {
    return absl::DataLossError("wallet: a deposit address record does not parse");
  }
  for (const bitcoin::Network network :
       {bitcoin::Network::kMainnet, bitcoin::Network::kTestnet, bitcoin::Network::kRegtest}) {
    if (NetworkToProto(network) == record.address().network()) return network;
  }
  return std::optional<bitcoin::Network>();
}

}  // namespace

absl::Status CheckStoreNetwork(const WalletDb& db, bitcoin::Network network) {
  absl::StatusOr<std::string> recorded = db.store().Get(db.wallet_meta, kNetworkKey);
  if (recorded.ok()) {
    if (!NetworkNamed(*recorded).has_value()) {
      return absl::DataLossError(
          absl::StrCat("wallet: the recorded Bitcoin network \"", *recorded, "\" is not known"));
    }
    if (*recorded != bitcoin::NetworkName(network)) return Mismatch(*recorded, network);
    return absl::OkStatus();
  }
  if (!absl::IsNotFound(recorded.status())) return recorded.status();
  absl::StatusOr<std::optional<bitcoin::Network>> used = NetworkOfAddresses(db);
  if (!used.ok()) return used.status();
  if (used->has_value() && **used != network) {
    return Mismatch(bitcoin::NetworkName(**used), network);
  }
  return db.store().Put(db.wallet_meta, kNetworkKey, std::string(bitcoin::NetworkName(network)),
                        {.sync = true});
}

}  // namespace bitcontent::wallet
