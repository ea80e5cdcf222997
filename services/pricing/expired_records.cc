#include "services/pricing/expired_records.h"

#include <functional>
#include <string>
#include <vector>

#include "libs/auth/proto_time.h"
#include "libs/store/record_io.h"
#include "services/pricing/pricing_records.pb.h"

namespace bitcontent::pricing {
namespace {

// Deletes every record of `family` for which `expired(value)` holds, kSweepBatchMax keys
// a batch.
absl::StatusOr<size_t> Sweep(const PricingDb& db, const store::ColumnFamily& family,
                             const std::function<absl::StatusOr<bool>(std::string_view)>& expired) {
  size_t deleted = 0;
  std::vector<std::string> doomed;
  const auto flush = [&]() -> absl::Status {
    if (doomed.empty()) return absl::OkStatus();
    store::WriteBatch batch;
    for (const std::string& key : doomed) batch.Delete(family, key);
    if (absl::Status s = db.store().Write(&batch, {.sync = true}); !s.ok()) return s;
    deleted += doomed.size();
    doomed.clear();
    return absl::OkStatus();
  };
  store::PrefixIterator it = db.store().Scan(family, {});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<bool> gone = expired(it.value());
    if (!gone.ok()) return gone.status();
    if (!*gone) continue;
    doomed.emplace_back(it.key());
    if (doomed.size() == kSweepBatchMax) {
      if (absl::Status s = flush(); !s.ok()) return s;
    }
  }
  if (!it.status().ok()) return it.status();
  if (absl::Status s = flush(); !s.ok()) return s;
  return deleted;
}

}  // namespace

absl::StatusOr<size_t> SweepExpiredRecords(const PricingDb& db, absl::Time now) {
  const absl::Time before = now - kExpiredRecordKeep;
  absl::StatusOr<size_t> quotes =
      Sweep(db, db.quote_requests, [&](std::string_view value) -> absl::StatusOr<bool> {
        absl::StatusOr<storage::QuoteRequestRecord> record =
            store::ParseRecord<storage::QuoteRequestRecord>(db.quote_requests, value);
        if (!record.ok()) return record.status();
        return auth::TimeFromProto(record->quote().expire_time()) < before;
      });
  if (!quotes.ok()) return quotes.status();
  absl::StatusOr<size_t> failures =
      Sweep(db, db.purchase_failures, [&](std::string_view value) -> absl::StatusOr<bool> {
        absl::StatusOr<storage::PurchaseFailure> record =
            store::ParseRecord<storage::PurchaseFailure>(db.purchase_failures, value);
        if (!record.ok()) return record.status();
        return absl::FromUnixMicros(record->quote_expire_time_us()) < before;
      });
  if (!failures.ok()) return failures.status();
  return *quotes + *failures;
}

}  // namespace bitcontent::pricing
