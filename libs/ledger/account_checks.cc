// Account validation, in CreateAccountResult's order.
#include "libs/ledger/checks.h"

namespace bitcontent::ledger {
namespace {

using R = CreateAccountResult;

R CompareWithExistingAccount(const Account& a, const Account& e) {
  if (a.flags != e.flags) return R::kExistsWithDifferentFlags;
  if (a.user_data_128 != e.user_data_128) return R::kExistsWithDifferentUserData128;
  if (a.user_data_64 != e.user_data_64) return R::kExistsWithDifferentUserData64;
  if (a.user_data_32 != e.user_data_32) return R::kExistsWithDifferentUserData32;
  if (a.ledger != e.ledger) return R::kExistsWithDifferentLedger;
  if (a.code != e.code) return R::kExistsWithDifferentCode;
  return R::kExists;
}

}  // namespace

CreateAccountResult CheckAccount(const WorkingSet& working, const Account& a) {
  if (a.timestamp_ns != 0) return R::kTimestampMustBeZero;
  if (a.id.IsZero()) return R::kIdMustNotBeZero;
  if (a.id.IsMax()) return R::kIdMustNotBeIntMax;
  if ((a.flags & kDebitsMustNotExceedCredits) && (a.flags & kCreditsMustNotExceedDebits)) {
    return R::kFlagsAreMutuallyExclusive;
  }
  if (a.debits_pending_msat != 0) return R::kDebitsPendingMustBeZero;
  if (a.debits_posted_msat != 0) return R::kDebitsPostedMustBeZero;
  if (a.credits_pending_msat != 0) return R::kCreditsPendingMustBeZero;
  if (a.credits_posted_msat != 0) return R::kCreditsPostedMustBeZero;
  if (a.ledger == 0) return R::kLedgerMustNotBeZero;
  if (a.code == 0) return R::kCodeMustNotBeZero;
  if (const Account* existing = working.FindAccount(a.id)) {
    return CompareWithExistingAccount(a, *existing);
  }
  return R::kOk;
}

}  // namespace bitcontent::ledger
