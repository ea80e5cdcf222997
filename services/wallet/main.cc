// bitcontent-wallet: wiring only. The ledger and the wallet's records in one RocksDB
// under --data_dir; access tokens verified with the keys accounts (--accounts_target)
// publishes, which is also asked whether a payee exists and how much an API key may
// spend; deposit addresses derived from --deposit_account_xpub on --bitcoin_network, and
// deposits to them credited by the chain watcher (--bitcoin_rpc_url, chain_flags.h).
#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "libs/bitcoin/deposit_address.h"
#include "libs/kit/access_token_verifier.h"
#include "libs/kit/channel.h"
#include "libs/kit/flags.h"
#include "libs/kit/log.h"
#include "libs/kit/rpc_metrics.h"
#include "libs/kit/serve.h"
#include "services/wallet/chain_flags.h"
#include "services/wallet/deposit_crediter.h"
#include "services/wallet/network_record.h"
#include "services/wallet/wallet_metrics.h"
#include "services/wallet/wallet_service.h"

ABSL_FLAG(std::string, deposit_account_xpub, "",
          "Extended public key of the operator's BIP84 account (m/84'/coin'/account'): zpub "
          "or xpub on mainnet, vpub or tpub on testnet and regtest. Deposit addresses are "
          "derived from it; the server never holds a private key. Empty: no deposits.");
ABSL_FLAG(uint64_t, welcome_credit_msat, 0,
          "Credit every new member wallet once with this many millisatoshi, booked from the "
          "operator adjustments account (a sign-up credit; `./dev up` gives 100,000 sat so "
          "that buying can be tried on a dev suite). 0: none.");
ABSL_FLAG(uint64_t, payout_min_msat, bitcontent::wallet::PayoutSettings{}.min_msat,
          "The smallest withdrawal a member may request, in millisatoshi (whole satoshi).");

int main(int argc, char** argv) {
  using namespace bitcontent;
  kit::InitService(argc, argv, "wallet");
  const auto fail = [](absl::string_view what, const absl::Status& status) {
    kit::Log(spdlog::level::err, what, {{"error", status.message()}});
    return 1;
  };
  // --bitcoin_network and the chain watcher's flags (chain_flags.h).
  absl::StatusOr<wallet::ChainConfig> chain_config = wallet::ChainConfigFromFlags();
  if (!chain_config.ok()) return fail("bad flag", chain_config.status());
  const bitcoin::Network* network = &chain_config->watcher.network;
  std::optional<bitcoin::AccountKey> account_key;
  if (const std::string xpub = absl::GetFlag(FLAGS_deposit_account_xpub); !xpub.empty()) {
    absl::StatusOr<bitcoin::AccountKey> parsed = bitcoin::ParseAccountXpub(xpub, *network);
    if (!parsed.ok()) return fail("bad --deposit_account_xpub", parsed.status());
    account_key = *parsed;
  }
  const uint64_t payout_min = absl::GetFlag(FLAGS_payout_min_msat);
  if (payout_min == 0 || payout_min % 1000 != 0) {
    return fail("bad flag", absl::InvalidArgumentError(
                                "--payout_min_msat must be a positive multiple of 1000"));
  }

  absl::StatusOr<std::unique_ptr<store::Store>> store =
      wallet::WalletDb::OpenStore(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) return fail("cannot open the wallet store", store.status());
  const wallet::WalletDb db(store->get());
  // Data made on one Bitcoin network is never served on another.
  if (absl::Status same = wallet::CheckStoreNetwork(db, *network); !same.ok()) {
    return fail("the wallet's data is of another Bitcoin network", same);
  }
  absl::StatusOr<std::unique_ptr<store::Store>> index_store =
      wallet::WalletDb::OpenIndexStore(absl::GetFlag(FLAGS_data_dir));
  if (!index_store.ok()) return fail("cannot open the ledger's index store", index_store.status());
  wallet::WalletMetrics metrics(kit::Metrics());
  absl::StatusOr<std::unique_ptr<ledger::Ledger>> ledger = ledger::Ledger::Open(
      store->get(), index_store->get(),
      {.on_commit = [&metrics](const ledger::CommitStats& stats) { metrics.OnCommit(stats); }});
  if (!ledger.ok()) return fail("cannot open the ledger", ledger.status());
  metrics.SetLedgerTotals((*ledger)->totals());

  const std::string accounts_target = absl::GetFlag(FLAGS_accounts_target);
  const std::shared_ptr<grpc::Channel> accounts =
      accounts_target.empty() ? nullptr : kit::NewChannel(accounts_target);
  const kit::AccountsTokenVerifier tokens(accounts);
  const kit::AccessTokenVerifier& verifier = tokens.verifier();

  wallet::TransferNotes notes(db);
  wallet::MemberWallets wallets(
      db, ledger->get(), {.msat = absl::GetFlag(FLAGS_welcome_credit_msat), .notes = &notes});
  if (absl::Status created = wallets.CreateSystemAccounts(); !created.ok()) {
    return fail("cannot create the system accounts", created);
  }
  const wallet::MemberDirectory directory(accounts);
  wallet::Payments payments(ledger->get(), &wallets, &notes);
  const wallet::WalletHistory history(ledger->get(), &wallets, &notes);
  wallet::DepositAddresses deposit_addresses(db, account_key);
  wallet::Payouts payouts(db, ledger->get(), &notes,
                          {.network = *network,
                           .min_msat = payout_min,
                           .on_pending_change = [&metrics](int64_t count, int64_t msat) {
                             metrics.PendingPayoutsChanged(count, msat);
                           }});
  if (absl::Status reconciled = payouts.Reconcile(absl::Now()); !reconciled.ok()) {
    return fail("cannot reconcile payouts", reconciled);
  }
  absl::StatusOr<wallet::PendingPayouts> pending = payouts.Pending();
  if (!pending.ok()) return fail("cannot read the pending payouts", pending.status());
  metrics.SetPendingPayouts(pending->count, pending->msat);
  wallet::LedgerDepositCrediter crediter(ledger->get(), &wallets, &notes);
  const wallet::ChainWatcher* watched = nullptr;  // Set before the first poll.
  chain_config->watcher.on_poll = [&metrics, &watched](const absl::Status& poll) {
    metrics.OnChainPoll(&poll, *watched);
  };
  wallet::ChainWatcher chain(chain_config->watcher, std::move(chain_config->rpc), store->get(),
                             &deposit_addresses, &crediter);
  watched = &chain;
  if (absl::Status valid = chain.Validate(); !valid.ok()) return fail("bad chain watcher", valid);
  metrics.OnChainPoll(nullptr, chain);
  chain.Start();
  const wallet::CallerCheck callers(&verifier);
  const wallet::WalletParts parts = {.ledger = ledger->get(),
                                     .wallets = &wallets,
                                     .directory = &directory,
                                     .payments = &payments,
                                     .history = &history,
                                     .deposit_addresses = &deposit_addresses,
                                     .payouts = &payouts,
                                     .callers = &callers,
                                     .chain = &chain};
  wallet::WalletService wallet_service(parts);
  wallet::WalletInternalService wallet_internal_service(parts);
  wallet::WalletAdminService wallet_admin_service(parts);
  return kit::Serve(
      {.name = "wallet",
       .services = {&wallet_service, &wallet_internal_service, &wallet_admin_service}});
}
