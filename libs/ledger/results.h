// CreateAccountResult and CreateTransferResult: the outcome of one event of a batch.
//
// The numeric values equal those of the enums of the same names in
// proto/bitcontent/wallet/v1/ledger.proto (a test asserts it), so the wallet service
// converts with a static_cast. The proto documents each code and the order in which the
// checks run.
#pragma once

#include <cstdint>
#include <string_view>

namespace bitcontent::ledger {

enum class CreateAccountResult : uint32_t {
  kUnspecified = 0,
  kOk = 1,
  kLinkedEventFailed = 2,
  kLinkedEventChainOpen = 3,
  kTimestampMustBeZero = 4,
  kIdMustNotBeZero = 5,
  kIdMustNotBeIntMax = 6,
  kFlagsAreMutuallyExclusive = 7,
  kDebitsPendingMustBeZero = 8,
  kDebitsPostedMustBeZero = 9,
  kCreditsPendingMustBeZero = 10,
  kCreditsPostedMustBeZero = 11,
  kLedgerMustNotBeZero = 12,
  kCodeMustNotBeZero = 13,
  kExistsWithDifferentFlags = 14,
  kExistsWithDifferentUserData128 = 15,
  kExistsWithDifferentUserData64 = 16,
  kExistsWithDifferentUserData32 = 17,
  kExistsWithDifferentLedger = 18,
  kExistsWithDifferentCode = 19,
  kExists = 20,
};

enum class CreateTransferResult : uint32_t {
  kUnspecified = 0,
  kOk = 1,
  kLinkedEventFailed = 2,
  kLinkedEventChainOpen = 3,
  kTimestampMustBeZero = 4,
  kIdMustNotBeZero = 5,
  kIdMustNotBeIntMax = 6,
  kFlagsAreMutuallyExclusive = 7,
  kDebitAccountIdMustNotBeZero = 8,
  kDebitAccountIdMustNotBeIntMax = 9,
  kCreditAccountIdMustNotBeZero = 10,
  kCreditAccountIdMustNotBeIntMax = 11,
  kAccountsMustBeDifferent = 12,
  kPendingIdMustBeZero = 13,
  kPendingIdMustNotBeZero = 14,
  kPendingIdMustNotBeIntMax = 15,
  kPendingIdMustBeDifferent = 16,
  kTimeoutReservedForPendingTransfer = 17,
  kAmountMustNotBeZero = 18,
  kLedgerMustNotBeZero = 19,
  kCodeMustNotBeZero = 20,
  kDebitAccountNotFound = 21,
  kCreditAccountNotFound = 22,
  kAccountsMustHaveTheSameLedger = 23,
  kTransferMustHaveTheSameLedgerAsAccounts = 24,
  kPendingTransferNotFound = 25,
  kPendingTransferNotPending = 26,
  kPendingTransferHasDifferentDebitAccountId = 27,
  kPendingTransferHasDifferentCreditAccountId = 28,
  kPendingTransferHasDifferentLedger = 29,
  kPendingTransferHasDifferentCode = 30,
  kExceedsPendingTransferAmount = 31,
  kPendingTransferHasDifferentAmount = 32,
  kPendingTransferAlreadyPosted = 33,
  kPendingTransferAlreadyVoided = 34,
  kPendingTransferExpired = 35,
  kExistsWithDifferentFlags = 36,
  kExistsWithDifferentDebitAccountId = 37,
  kExistsWithDifferentCreditAccountId = 38,
  kExistsWithDifferentAmount = 39,
  kExistsWithDifferentPendingId = 40,
  kExistsWithDifferentUserData128 = 41,
  kExistsWithDifferentUserData64 = 42,
  kExistsWithDifferentUserData32 = 43,
  kExistsWithDifferentTimeout = 44,
  kExistsWithDifferentLedger = 45,
  kExistsWithDifferentCode = 46,
  kExists = 47,
  kIdAlreadyFailed = 48,
  kOverflowsDebitsPending = 49,
  kOverflowsCreditsPending = 50,
  kOverflowsDebitsPosted = 51,
  kOverflowsCreditsPosted = 52,
  kOverflowsDebits = 53,
  kOverflowsCredits = 54,
  kOverflowsTimeout = 55,
  kExceedsCredits = 56,
  kExceedsDebits = 57,
};

// The proto name without its prefix, e.g. "EXCEEDS_CREDITS"; for logs and test output.
std::string_view ResultName(CreateAccountResult result);
std::string_view ResultName(CreateTransferResult result);

// True for the results that count as success: OK and EXISTS.
inline bool Succeeded(CreateAccountResult r) {
  return r == CreateAccountResult::kOk || r == CreateAccountResult::kExists;
}
inline bool Succeeded(CreateTransferResult r) {
  return r == CreateTransferResult::kOk || r == CreateTransferResult::kExists;
}

}  // namespace bitcontent::ledger
