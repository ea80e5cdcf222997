// DepositAddresses: watch-only BIP84 addresses handed out to members for deposits
// (`bitcontent wallet address`), and who owns each, for the chain watcher.
//
// Each request derives the next unused index on the external chain of the operator's
// account xpub (--deposit_account_xpub), so no address is ever given twice; the counter
// and the address records commit in one synced batch. The operator's Bitcoin Core
// watches the same account (a wpkh(xpub/0/*) descriptor), which is how it reports
// payments to these addresses. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "libs/bitcoin/deposit_address.h"
#include "services/wallet/chain_watcher.h"
#include "services/wallet/wallet_db.h"

namespace bitcontent::wallet {

class DepositAddresses final : public DepositAddressDirectory {
 public:
  static constexpr int32_t kPageSizeDefault = 50, kPageSizeMax = 100;

  // `account` is nullopt when the operator configured no xpub: Create then answers
  // FAILED_PRECONDITION saying so. `db` must outlive this.
  DepositAddresses(const WalletDb& db, std::optional<bitcoin::AccountKey> account)
      : db_(db), account_(std::move(account)) {}

  // A fresh address for `user_id`.
  absl::StatusOr<v1::DepositAddress> Create(std::string_view user_id, absl::Time now);
  // `user_id`'s addresses, newest first; the page token is the last index shown.
  absl::StatusOr<v1::ListDepositAddressesResponse> List(std::string_view user_id, int32_t page_size,
                                                        std::string_view page_token) const;
  // The next index Create will use.
  absl::StatusOr<uint32_t> NextIndex() const;

  absl::StatusOr<std::optional<std::string>> OwnerOf(std::string_view address) const override;

 private:
  const WalletDb& db_;
  const std::optional<bitcoin::AccountKey> account_;
  // Serialises Create: one index per address.
  absl::Mutex mu_;
};

}  // namespace bitcontent::wallet
