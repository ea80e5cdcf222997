// Earnings: what each member earned from each subject, per UTC day, month or requested
// window (ListEarnings). Each purchase writes one row per credited member (their own
// shares only) in the same batch that records the purchase, and only after the ledger
// committed the purchase's chain, so the rows come from the same chain as the wallet
// credits and match them. Stream settlements will add stream rows (a later issue).
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "libs/store/write_batch.h"
#include "services/pricing/pricing_db.h"

namespace bitcontent::pricing {

// A listing reads at most this many rows; a busier window must be narrowed.
inline constexpr size_t kEarningsRowsScannedMax = 1'000'000;
inline constexpr absl::Duration kEarningsDayWindowMax = absl::Hours(24 * 400);

class Earnings {
 public:
  // `db` must outlive this.
  explicit Earnings(const PricingDb& db) : db_(db) {}

  // Stages one row per member credited by `purchase` (their lines summed; platform fee
  // and lines to the buyer themselves left out), dated `now`.
  void StagePurchase(const v1::Purchase& purchase, std::string_view purchase_id,
                     std::string_view buyer, absl::Time now, store::WriteBatch* batch) const;
  // The member's earnings in the request's window, per subject and period (TOTAL when the
  // request names no granularity), ordered by period then subject.
  absl::StatusOr<v1::ListEarningsResponse> List(std::string_view user_id,
                                                const v1::ListEarningsRequest& request) const;

 private:
  const PricingDb& db_;
};

}  // namespace bitcontent::pricing
