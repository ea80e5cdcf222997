#include "services/wallet/transfer_outcome.h"

#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"

namespace bitcontent::wallet {

using ledger::CreateTransferResult;

absl::Status StatusOfResult(CreateTransferResult result) {
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
    case CreateTransferResult::kExistsWithDifferentFlags:
    case CreateTransferResult::kExistsWithDifferentDebitAccountId:
    case CreateTransferResult::kExistsWithDifferentCreditAccountId:
    case CreateTransferResult::kExistsWithDifferentAmount:
    case CreateTransferResult::kExistsWithDifferentPendingId:
    case CreateTransferResult::kExistsWithDifferentUserData128:
    case CreateTransferResult::kExistsWithDifferentUserData64:
    case CreateTransferResult::kExistsWithDifferentUserData32:
    case CreateTransferResult::kExistsWithDifferentTimeout:
    case CreateTransferResult::kExistsWithDifferentLedger:
    case CreateTransferResult::kExistsWithDifferentCode:
      return kit::WithReason(
          absl::FailedPreconditionError(absl::StrCat(
              "this request_id (Idempotency-Key) was already used for a different request (",
              std::string(ledger::ResultName(result)), "); use a new one for a new request")),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
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
    case CreateTransferResult::kOverflowsCreditsPosted:
    case CreateTransferResult::kOverflowsCreditsPending:
    case CreateTransferResult::kOverflowsCredits:
    case CreateTransferResult::kOverflowsDebitsPosted:
    case CreateTransferResult::kOverflowsDebitsPending:
    case CreateTransferResult::kOverflowsDebits:
      return absl::OutOfRangeError(absl::StrCat("the amount would overflow a balance (",
                                                std::string(ledger::ResultName(result)), ")"));
    default:
      return absl::InternalError(absl::StrCat("wallet: the ledger refused a wallet transfer: ",
                                              std::string(ledger::ResultName(result))));
  }
}

absl::Status Submit(ledger::Ledger* ledger, absl::Span<const ledger::Transfer> transfers) {
  absl::StatusOr<std::vector<CreateTransferResult>> results = ledger->CreateTransfers(transfers);
  if (!results.ok()) return results.status();
  // In a linked chain the failing transfer says why; the others only LINKED_EVENT_FAILED.
  absl::Status first = absl::OkStatus();
  for (const CreateTransferResult result : *results) {
    if (ledger::Succeeded(result)) continue;
    if (result == CreateTransferResult::kLinkedEventFailed) {
      if (first.ok()) first = StatusOfResult(result);
      continue;
    }
    return StatusOfResult(result);
  }
  return first;
}

}  // namespace bitcontent::wallet
