#include "services/pricing/earnings.h"

#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/pricing/pricing_records.pb.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

struct Window {
  absl::Time start;
  absl::Time end;
};

absl::StatusOr<Window> WindowOf(const v1::ListEarningsRequest& request) {
  if (!request.time_range().has_start_time() || !request.time_range().has_end_time()) {
    return kit::FieldError("time_range", "needs start_time and end_time");
  }
  const Window window = {auth::TimeFromProto(request.time_range().start_time()),
                         auth::TimeFromProto(request.time_range().end_time())};
  if (window.end <= window.start) {
    return kit::FieldError("time_range.end_time", "must be after start_time");
  }
  if (!v1::EarningsGranularity_IsValid(request.granularity())) {
    return kit::FieldError("granularity", "must be DAY, MONTH or TOTAL (the default)");
  }
  if (request.granularity() == v1::EARNINGS_GRANULARITY_DAY &&
      window.end - window.start > kEarningsDayWindowMax) {
    return kit::FieldError("time_range", "spans at most 400 days with DAY granularity");
  }
  return window;
}

// The period holding `time`: its UTC day, its UTC month, or the whole window.
Window PeriodOf(absl::Time time, v1::EarningsGranularity granularity, const Window& window) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  if (granularity == v1::EARNINGS_GRANULARITY_DAY) {
    const absl::CivilDay day = absl::ToCivilDay(time, utc);
    return {absl::FromCivil(day, utc), absl::FromCivil(day + 1, utc)};
  }
  if (granularity == v1::EARNINGS_GRANULARITY_MONTH) {
    const absl::CivilMonth month = absl::ToCivilMonth(time, utc);
    return {absl::FromCivil(month, utc), absl::FromCivil(month + 1, utc)};
  }
  return window;
}

using Buckets = std::map<std::pair<int64_t, std::string>, v1::EarningsEntry>;

void Add(Buckets* buckets, const storage::EarningsRecord& row, const Window& period) {
  v1::EarningsEntry& entry = (*buckets)[{absl::ToUnixMicros(period.start), row.subject()}];
  if (entry.subject().empty()) {
    entry.set_subject(row.subject());
    *entry.mutable_period()->mutable_start_time() = auth::ProtoFromTime(period.start);
    *entry.mutable_period()->mutable_end_time() = auth::ProtoFromTime(period.end);
  }
  entry.set_purchase_msat(entry.purchase_msat() + row.purchase_msat());
  entry.set_stream_msat(entry.stream_msat() + row.stream_msat());
  entry.set_total_msat(entry.purchase_msat() + entry.stream_msat());
  if (row.purchase_msat() > 0) entry.set_purchase_count(entry.purchase_count() + 1);
  if (row.stream_msat() > 0) entry.set_stream_session_count(entry.stream_session_count() + 1);
}

}  // namespace

void Earnings::StagePurchase(const v1::Purchase& purchase, std::string_view purchase_id,
                             std::string_view buyer, absl::Time now,
                             store::WriteBatch* batch) const {
  std::map<std::string, uint64_t> earned;
  for (const v1::SplitLine& line : purchase.lines()) {
    if (line.platform_fee() || line.user().empty() || line.user() == buyer) continue;
    earned[line.user()] += line.amount_msat();
  }
  for (const auto& [user, amount_msat] : earned) {
    if (amount_msat == 0) continue;
    storage::EarningsRecord row;
    row.set_subject(purchase.subject());
    row.set_purchase_msat(amount_msat);
    store::PutRecord(batch, db_.earnings,
                     absl::StrCat(kit::IdOfName(user), store::EncodeTime(now), Absl(purchase_id)),
                     row);
  }
}

absl::StatusOr<v1::ListEarningsResponse> Earnings::List(
    std::string_view user_id, const v1::ListEarningsRequest& given) const {
  // No granularity is the whole window, as the CLI's default.
  v1::ListEarningsRequest request = given;
  if (request.granularity() == v1::EARNINGS_GRANULARITY_UNSPECIFIED) {
    request.set_granularity(v1::EARNINGS_GRANULARITY_TOTAL);
  }
  absl::StatusOr<Window> window = WindowOf(request);
  if (!window.ok()) return window.status();
  absl::StatusOr<size_t> page_size =
      kit::PageSizeOf(request.page_size(), {.default_size = 100, .max = 1000});
  if (!page_size.ok()) return page_size.status();
  size_t offset = 0;
  if (!request.page_token().empty() && !absl::SimpleAtoi(request.page_token(), &offset)) {
    return kit::FieldError("page_token", "is not a token this listing returned");
  }
  const std::string prefix(user_id);
  // Rows at exactly start_time are in: start after anything earlier.
  const int64_t start_us = absl::ToUnixMicros(window->start);
  const std::string after = absl::StrCat(
      prefix, store::EncodeUint64(static_cast<uint64_t>(start_us > 0 ? start_us - 1 : 0)), "\xff");
  const std::string end_key = absl::StrCat(prefix, store::EncodeTime(window->end));
  store::ScanOptions scan = {.prefix = prefix};
  if (start_us > 0) scan.start_after = after;
  Buckets buckets;
  size_t scanned = 0;
  store::PrefixIterator it = db_.store().Scan(db_.earnings, scan);
  for (; it.Valid() && it.key() < end_key; it.Next()) {
    if (++scanned > kEarningsRowsScannedMax) {
      return absl::FailedPreconditionError(
          "more than a million earnings rows in this window; ask for a shorter time_range");
    }
    absl::StatusOr<storage::EarningsRecord> row =
        store::ParseRecord<storage::EarningsRecord>(db_.earnings, it.value());
    if (!row.ok()) return row.status();
    if (!request.subject().empty() && row->subject() != request.subject()) continue;
    const std::optional<uint64_t> micros = store::DecodeUint64(it.key().substr(prefix.size()));
    const absl::Time time = absl::FromUnixMicros(static_cast<int64_t>(micros.value_or(0)));
    Add(&buckets, *row, PeriodOf(time, request.granularity(), *window));
  }
  if (!it.status().ok()) return it.status();
  v1::ListEarningsResponse response;
  size_t index = 0;
  for (const auto& [key, entry] : buckets) {
    response.set_total_msat(response.total_msat() + entry.total_msat());
    if (index >= offset && index < offset + *page_size) *response.add_entries() = entry;
    ++index;
  }
  if (offset + *page_size < buckets.size()) {
    response.set_next_page_token(absl::StrCat(offset + *page_size));
  }
  return response;
}

}  // namespace bitcontent::pricing
