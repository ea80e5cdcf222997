#include "services/wallet/transfer_outcome.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"

namespace bitcontent::wallet {

using ledger::CreateTransferResult;

namespace {

// Whether `result` says a sum of an account would pass 2^64 - 1 msat.
bool IsOverflow(CreateTransferResult result) {
  switch (result) {
    case CreateTransferResult::kOverflowsCreditsPosted:
    case CreateTransferResult::kOverflowsCreditsPending:
    case CreateTransferResult::kOverflowsCredits:
    case CreateTransferResult::kOverflowsDebitsPosted:
    case CreateTransferResult::kOverflowsDebitsPending:
    case CreateTransferResult::kOverflowsDebits:
      return true;
    default:
      return false;
  }
}

// The member's words for an id already taken: what differed, never the ledger's result
// name (docs/wallet.md).
absl::Status IdempotencyKeyReused(absl::string_view what) {
  return kit::WithReason(absl::FailedPreconditionError(
                             absl::StrCat("this request_id (Idempotency-Key) was already used for ",
                                          what, "; use a new one for a new request")),
                         common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
}

}  // namespace

absl::Status StatusOfResult(CreateTransferResult result) {
  if (IsOverflow(result)) {
    return absl::OutOfRangeError(
        "the amount is more than a wallet can ever hold; nothing was moved");
  }
  switch (result) {
    case CreateTransferResult::kOk:
    case CreateTransferResult::kExists:
      return absl::OkStatus();
    case CreateTransferResult::kExceedsCredits:
      return kit::WithReason(
          absl::FailedPreconditionError(
              "insufficient funds: the wallet's available balance does not cover the amount "
              "(held amounts count as spent); nothing was moved"),
          common::v1::ERROR_REASON_INSUFFICIENT_FUNDS);
    case CreateTransferResult::kIdAlreadyFailed:
      return kit::WithReason(
          absl::FailedPreconditionError(
              "this request_id (Idempotency-Key) was used by an earlier attempt that failed; "
              "send a new one to try again"),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
    case CreateTransferResult::kExistsWithDifferentAmount:
      return IdempotencyKeyReused("a different amount");
    case CreateTransferResult::kExistsWithDifferentCreditAccountId:
      return IdempotencyKeyReused("another recipient");
    case CreateTransferResult::kExistsWithDifferentFlags:
    case CreateTransferResult::kExistsWithDifferentDebitAccountId:
    case CreateTransferResult::kExistsWithDifferentPendingId:
    case CreateTransferResult::kExistsWithDifferentUserData128:
    case CreateTransferResult::kExistsWithDifferentUserData64:
    case CreateTransferResult::kExistsWithDifferentUserData32:
    case CreateTransferResult::kExistsWithDifferentTimeout:
    case CreateTransferResult::kExistsWithDifferentLedger:
    case CreateTransferResult::kExistsWithDifferentCode:
      return IdempotencyKeyReused("a different request");
    case CreateTransferResult::kDebitAccountNotFound:
      return absl::NotFoundError("the paying wallet does not exist");
    case CreateTransferResult::kCreditAccountNotFound:
      return absl::NotFoundError("the receiving wallet does not exist");
    case CreateTransferResult::kPendingTransferAlreadyPosted:
      return absl::FailedPreconditionError("the hold was already settled");
    case CreateTransferResult::kPendingTransferAlreadyVoided:
      return absl::FailedPreconditionError("the hold was already released");
    case CreateTransferResult::kPendingTransferExpired:
      return absl::FailedPreconditionError("the hold expired and was released");
    default:
      return absl::InternalError(absl::StrCat("wallet: the ledger refused a wallet transfer: ",
                                              std::string(ledger::ResultName(result))));
  }
}

namespace {

// What the wallet `account_id` may spend (held amounts count as spent): none when the
// ledger does not say, or the account may go below zero (the platform's).
std::optional<uint64_t> AvailableOf(const ledger::Ledger& ledger, const ledger::Id& account_id) {
  absl::StatusOr<std::vector<std::optional<ledger::Account>>> found =
      ledger.LookupAccounts({&account_id, 1});
  if (!found.ok() || !(*found)[0].has_value()) return std::nullopt;
  const ledger::Account& account = *(*found)[0];
  if ((account.flags & ledger::kDebitsMustNotExceedCredits) == 0) return std::nullopt;
  return account.credits_posted_msat - account.debits_posted_msat - account.debits_pending_msat;
}

// INSUFFICIENT_FUNDS for `amount_msat` against what the wallet has `available`, in the
// message and as facts, as a purchase's says.
absl::Status InsufficientFunds(uint64_t amount_msat, uint64_t available) {
  return kit::WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "insufficient funds: this needs ", amount_msat, " msat and the wallet has ", available,
          " msat available (held amounts count as spent); nothing was moved")),
      common::v1::ERROR_REASON_INSUFFICIENT_FUNDS,
      {{"required_msat", absl::StrCat(amount_msat)}, {"available_msat", absl::StrCat(available)}});
}

// The status of `transfer`, which failed with `result`. The ledger checks overflows
// before balance constraints (as TigerBeetle does), so an amount no wallet could cover,
// such as 2^64 - 1 msat, fails as an overflow of some account's sums; when the payer's
// wallet cannot cover it, that is insufficient funds like any other amount it cannot
// cover, and the ledger's internals stay out of the member's message.
absl::Status StatusOfFailed(const ledger::Ledger& ledger, const ledger::Transfer& transfer,
                            CreateTransferResult result) {
  if (result != CreateTransferResult::kExceedsCredits && !IsOverflow(result)) {
    return StatusOfResult(result);
  }
  const std::optional<uint64_t> available = AvailableOf(ledger, transfer.debit_account_id);
  if (available.has_value() && transfer.amount_msat > *available) {
    return InsufficientFunds(transfer.amount_msat, *available);
  }
  return StatusOfResult(result);
}

}  // namespace

absl::Status Submit(ledger::Ledger* ledger, absl::Span<const ledger::Transfer> transfers) {
  absl::StatusOr<std::vector<CreateTransferResult>> results = ledger->CreateTransfers(transfers);
  if (!results.ok()) return results.status();
  // In a linked chain the failing transfer says why; the others only LINKED_EVENT_FAILED.
  absl::Status first = absl::OkStatus();
  for (size_t i = 0; i < results->size(); ++i) {
    const CreateTransferResult result = (*results)[i];
    if (ledger::Succeeded(result)) continue;
    if (result == CreateTransferResult::kLinkedEventFailed) {
      if (first.ok()) first = StatusOfResult(result);
      continue;
    }
    return StatusOfFailed(*ledger, transfers[i], result);
  }
  return first;
}

}  // namespace bitcontent::wallet
