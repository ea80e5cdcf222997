// The records that matter only while their quote lives: the answer kept for a CreateQuote
// retry (quote_requests) and a failed purchase's error kept for its retries
// (purchase_failures). Once the quote has been expired for a while, a retry can only be
// answered QUOTE_EXPIRED anyway, so SweepExpiredRecords deletes them and neither family
// grows without end. Pricing runs it every --expired_records_sweep_interval.
#pragma once

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/pricing/pricing_db.h"

namespace bitcontent::pricing {

// How long after its quote expired a record is kept (a retry in flight at the expiry
// still finds it).
inline constexpr absl::Duration kExpiredRecordKeep = absl::Hours(1);
// Most records deleted in one batch (one synced write each).
inline constexpr size_t kSweepBatchMax = 1'000;

// Deletes the quote-request and purchase-failure records whose quote expired before
// `now` - kExpiredRecordKeep; how many were deleted.
absl::StatusOr<size_t> SweepExpiredRecords(const PricingDb& db, absl::Time now);

}  // namespace bitcontent::pricing
