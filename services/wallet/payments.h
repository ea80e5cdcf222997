// Payments: a member pays another member's wallet (`bitcontent wallet pay`).
//
// The transfer id is derived from the payer and the request's idempotency key, and the
// memo is kept in a note written before the transfer, so a retried Pay — after a
// timeout, a crash of either side — finds the same transfer (the ledger answers EXISTS)
// and returns the same Payment, never paying twice. The payer's account carries
// debits_must_not_exceed_credits, so a payment that the available balance cannot cover
// moves nothing and says INSUFFICIENT_FUNDS. Thread-safe.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "bitcontent/wallet/v1/wallet.pb.h"
#include "libs/ledger/ledger.h"
#include "services/wallet/member_wallets.h"
#include "services/wallet/transfer_notes.h"

namespace bitcontent::wallet {

// Limits of a payment request.
inline constexpr size_t kMemoCharactersMax = 280;
inline constexpr size_t kRequestIdBytesMax = 128;

struct PaymentOrder {
  std::string_view payer_user_id;
  std::string_view payee_user_id;
  uint64_t amount_msat = 0;
  std::string_view memo;
  std::string_view request_id;
};

class Payments {
 public:
  // Every argument must outlive this.
  Payments(ledger::Ledger* ledger, MemberWallets* wallets, TransferNotes* notes)
      : ledger_(ledger), wallets_(wallets), notes_(notes) {}

  // INVALID_ARGUMENT for a bad field. The payee's wallet must exist (the caller makes
  // sure, creating it when the member exists). Idempotent per (payer, request_id).
  absl::StatusOr<v1::Payment> Pay(const PaymentOrder& order);

  // Whether `payer_user_id` has made a payment under `request_id`: a Pay that failed may
  // still be the retry of one that went through (another memo or payee, a lost reply).
  absl::StatusOr<bool> Made(std::string_view payer_user_id, std::string_view request_id) const;

  // The payment `payment_id` (the transfer id in hex) made by `payer_user_id`.
  absl::StatusOr<v1::Payment> Get(std::string_view payer_user_id,
                                  std::string_view payment_id) const;

 private:
  absl::StatusOr<v1::Payment> Describe(const ledger::Transfer& transfer,
                                       const storage::TransferNote& note) const;

  ledger::Ledger* const ledger_;
  MemberWallets* const wallets_;
  TransferNotes* const notes_;
};

// What an idempotency key may hold, as the error says it.
inline constexpr char kRequestIdCharacters[] =
    "must be visible ASCII characters only: letters, digits and the punctuation ! to ~ "
    "(no spaces or control characters)";

// OK when `request_id` is a usable idempotency key (1..kRequestIdBytesMax visible ASCII
// characters, 0x21 to 0x7E); INVALID_ARGUMENT naming `field` otherwise.
absl::Status CheckRequestId(std::string_view request_id, std::string_view field = "request_id");

// The checks of a payment's own fields, before anyone is asked about the payee:
// request_id, amount_msat > 0, and memo (CheckShownText: at most kMemoCharactersMax
// characters of one-line plain text).
absl::Status CheckPaymentFields(const PaymentOrder& order);

}  // namespace bitcontent::wallet
