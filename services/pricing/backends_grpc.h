// The gRPC implementations of backends.h, each made per request and bound to the call it
// serves (deadline, cancellation and request id flow on; null for background work such
// as recovery at start): metadata's MetadataInternalService, the wallet's
// WalletInternalService and accounts' AccountsInternalService. A missing target
// (no --metadata_target, ...) makes every call UNAVAILABLE saying which flag is missing.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/server_context.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/prices.pb.h"
#include "services/pricing/backends.h"
#include "services/pricing/transfer_batcher.h"

namespace bitcontent::pricing {

inline constexpr absl::Duration kBackendCallTimeout = absl::Seconds(5);
// A purchase chain waits for the ledger's durable group commit.
inline constexpr absl::Duration kLedgerCallTimeout = absl::Seconds(10);

// Channels to the services pricing calls; null when not configured.
struct BackendChannels {
  std::shared_ptr<grpc::Channel> metadata;
  std::shared_ptr<grpc::Channel> wallet;
  std::shared_ptr<grpc::Channel> accounts;
};

// What pricing learned from the wallet and keeps: member accounts known to exist (their
// ids never change) and the platform fee account. Bounded; thread-safe.
class WalletAccounts {
 public:
  static constexpr size_t kMembersMax = 100'000;

  std::optional<std::string> Member(const std::string& user_id) const;
  void RememberMember(const std::string& user_id, const std::string& account_id);
  std::optional<std::string> PlatformFees() const;
  void RememberPlatformFees(const std::string& account_id);

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::string> members_ ABSL_GUARDED_BY(mu_);
  std::string platform_fees_ ABSL_GUARDED_BY(mu_);
};

class MetadataNodes final : public NodeDirectory {
 public:
  MetadataNodes(std::shared_ptr<grpc::Channel> metadata, const grpc::ServerContext* parent)
      : metadata_(std::move(metadata)), parent_(parent) {}

  absl::StatusOr<NodeFacts> Lookup(std::string_view node) override;
  absl::Status SetPriced(std::string_view node, bool priced) override;
  absl::StatusOr<bool> SharedWith(std::string_view node, std::string_view user_id) override;

 private:
  std::shared_ptr<grpc::Channel> metadata_;
  const grpc::ServerContext* const parent_;
};

class WalletLedger final : public PurchaseLedger {
 public:
  // `accounts` and `transfers` (which sends the chains, null without a wallet) must
  // outlive this.
  WalletLedger(std::shared_ptr<grpc::Channel> wallet, const grpc::ServerContext* parent,
               WalletAccounts* accounts, TransferBatcher* transfers)
      : wallet_(std::move(wallet)), parent_(parent), accounts_(accounts), transfers_(transfers) {}

  absl::StatusOr<std::string> MemberAccount(std::string_view user_id) override;
  absl::StatusOr<std::string> PlatformFeesAccount() override;
  absl::StatusOr<std::vector<wallet::v1::CreateTransferResult>> CreateTransfers(
      const std::vector<wallet::v1::Transfer>& transfers) override;
  absl::StatusOr<size_t> CountTransfers(const std::vector<std::string>& ids) override;
  absl::StatusOr<uint64_t> AvailableMsat(std::string_view account_id) override;

 private:
  std::shared_ptr<grpc::Channel> wallet_;
  const grpc::ServerContext* const parent_;
  WalletAccounts* const accounts_;
  TransferBatcher* const transfers_;
};

class AccountsMembers final : public Members {
 public:
  AccountsMembers(std::shared_ptr<grpc::Channel> accounts, const grpc::ServerContext* parent)
      : accounts_(std::move(accounts)), parent_(parent) {}

  absl::StatusOr<std::string> PublicKey(std::string_view user_id) override;
  // What accounts says of a member holds for kPayableLifetime (one cache per process),
  // so a purchase asks only about recipients it has not asked about lately. OK when
  // pricing has no accounts to ask.
  absl::Status CheckPayable(const std::vector<std::string>& user_names) override;
  absl::Status CheckPayableNow(const std::vector<std::string>& user_names) override;
  absl::Status ChargeApiKey(std::string_view api_key, uint64_t amount_msat,
                            std::string_view request_id) override;
  absl::Status RefundApiKey(std::string_view api_key, uint64_t amount_msat,
                            std::string_view request_id) override;

  // Sets not_payable on each recipient of `split` that names a member who cannot be paid
  // now, asked of accounts one by one (a batch with one unknown name fails whole), for
  // the seller's eyes alone; none when pricing has no accounts.
  absl::Status MarkNotPayable(pricing::v1::SplitRule* split);

  // How long an active member is taken as payable without asking again: a member
  // disabled meanwhile may take shares that long, as with the wallet's payments.
  static constexpr absl::Duration kPayableLifetime = absl::Seconds(10);

 private:
  // `now`: ask about each of them, remember nothing (CheckPayableNow).
  absl::Status Check(const std::vector<std::string>& user_names, bool now);

  std::shared_ptr<grpc::Channel> accounts_;
  const grpc::ServerContext* const parent_;
};

}  // namespace bitcontent::pricing
