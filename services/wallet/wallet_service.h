// The gRPC surface of the wallet service: WalletService for members (through the
// gateway), WalletInternalService for the other services, WalletAdminService for
// operators. Handlers check the caller and hand the work to the domain classes.
#pragma once

#include "bitcontent/wallet/v1/wallet_admin_service.grpc.pb.h"
#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "bitcontent/wallet/v1/wallet_service.grpc.pb.h"
#include "libs/ledger/ledger.h"
#include "services/wallet/caller.h"
#include "services/wallet/chain_watcher.h"
#include "services/wallet/deposit_addresses.h"
#include "services/wallet/member_directory.h"
#include "services/wallet/member_wallets.h"
#include "services/wallet/payments.h"
#include "services/wallet/payouts.h"
#include "services/wallet/wallet_history.h"

namespace bitcontent::wallet {

// What the handlers work with; each must outlive the services.
struct WalletParts {
  ledger::Ledger* ledger = nullptr;
  MemberWallets* wallets = nullptr;
  const MemberDirectory* directory = nullptr;
  Payments* payments = nullptr;
  const WalletHistory* history = nullptr;
  DepositAddresses* deposit_addresses = nullptr;
  Payouts* payouts = nullptr;
  const CallerCheck* callers = nullptr;
  const ChainWatcher* chain = nullptr;
};

class WalletService final : public v1::WalletService::Service {
 public:
  explicit WalletService(WalletParts parts) : parts_(parts) {}

  grpc::Status GetWallet(grpc::ServerContext* context, const v1::GetWalletRequest* request,
                         v1::Wallet* response) override;
  grpc::Status Pay(grpc::ServerContext* context, const v1::PayRequest* request,
                   v1::Payment* response) override;
  grpc::Status ListWalletTransactions(grpc::ServerContext* context,
                                      const v1::ListWalletTransactionsRequest* request,
                                      v1::ListWalletTransactionsResponse* response) override;
  grpc::Status CreateDepositAddress(grpc::ServerContext* context,
                                    const v1::CreateDepositAddressRequest* request,
                                    v1::DepositAddress* response) override;
  grpc::Status ListDepositAddresses(grpc::ServerContext* context,
                                    const v1::ListDepositAddressesRequest* request,
                                    v1::ListDepositAddressesResponse* response) override;
  grpc::Status ListDeposits(grpc::ServerContext* context, const v1::ListDepositsRequest* request,
                            v1::ListDepositsResponse* response) override;
  grpc::Status RequestPayout(grpc::ServerContext* context, const v1::RequestPayoutRequest* request,
                             v1::Payout* response) override;
  grpc::Status ListPayouts(grpc::ServerContext* context, const v1::ListPayoutsRequest* request,
                           v1::ListPayoutsResponse* response) override;
  grpc::Status CancelPayout(grpc::ServerContext* context, const v1::CancelPayoutRequest* request,
                            v1::Payout* response) override;

 private:
  // The payee's user id, their wallet created when they exist but never used it. Only an
  // active member, unless `retried` (a payment under this request id was made: its retry
  // answers it, though the payee was disabled since).
  absl::StatusOr<std::string> Payee(const grpc::ServerContext& context,
                                    const std::string& payer_user_id, const v1::PayRequest& request,
                                    bool retried);
  absl::StatusOr<v1::Payment> Pay(const grpc::ServerContext& context, const Caller& caller,
                                  const v1::PayRequest& request);

  const WalletParts parts_;
};

class WalletInternalService final : public v1::WalletInternalService::Service {
 public:
  explicit WalletInternalService(WalletParts parts) : parts_(parts) {}

  grpc::Status CreateAccounts(grpc::ServerContext* context,
                              const v1::CreateAccountsRequest* request,
                              v1::CreateAccountsResponse* response) override;
  grpc::Status CreateTransfers(grpc::ServerContext* context,
                               const v1::CreateTransfersRequest* request,
                               v1::CreateTransfersResponse* response) override;
  grpc::Status LookupAccounts(grpc::ServerContext* context,
                              const v1::LookupAccountsRequest* request,
                              v1::LookupAccountsResponse* response) override;
  grpc::Status LookupTransfers(grpc::ServerContext* context,
                               const v1::LookupTransfersRequest* request,
                               v1::LookupTransfersResponse* response) override;
  grpc::Status ListAccountTransfers(grpc::ServerContext* context,
                                    const v1::ListAccountTransfersRequest* request,
                                    v1::ListAccountTransfersResponse* response) override;
  grpc::Status ListTransfersByReference(grpc::ServerContext* context,
                                        const v1::ListTransfersByReferenceRequest* request,
                                        v1::ListTransfersByReferenceResponse* response) override;
  grpc::Status ListTransferEvents(grpc::ServerContext* context,
                                  const v1::ListTransferEventsRequest* request,
                                  v1::ListTransferEventsResponse* response) override;
  grpc::Status EnsureMemberWallet(grpc::ServerContext* context,
                                  const v1::EnsureMemberWalletRequest* request,
                                  v1::Wallet* response) override;
  grpc::Status GetSystemAccounts(grpc::ServerContext* context,
                                 const v1::GetSystemAccountsRequest* request,
                                 v1::GetSystemAccountsResponse* response) override;

 private:
  const WalletParts parts_;
};

class WalletAdminService final : public v1::WalletAdminService::Service {
 public:
  explicit WalletAdminService(WalletParts parts) : parts_(parts) {}

  grpc::Status SearchPayouts(grpc::ServerContext* context, const v1::SearchPayoutsRequest* request,
                             v1::SearchPayoutsResponse* response) override;
  grpc::Status ApprovePayout(grpc::ServerContext* context, const v1::ApprovePayoutRequest* request,
                             v1::Payout* response) override;
  grpc::Status RejectPayout(grpc::ServerContext* context, const v1::RejectPayoutRequest* request,
                            v1::Payout* response) override;
  grpc::Status GetLedgerTotals(grpc::ServerContext* context,
                               const v1::GetLedgerTotalsRequest* request,
                               v1::LedgerTotals* response) override;
  grpc::Status GetChainWatcherStatus(grpc::ServerContext* context,
                                     const v1::GetChainWatcherStatusRequest* request,
                                     v1::ChainWatcherStatus* response) override;

 private:
  const WalletParts parts_;
};

}  // namespace bitcontent::wallet
