#include "clients/cli/earnings_commands.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/cli/run.h"
#include "libs/auth/proto_time.h"
#include "libs/client/amount.h"
#include "libs/client/pricing_client.h"
#include "libs/client/tree_client.h"

namespace bitcontent::cli {
namespace {

namespace pv1 = pricing::v1;
using client::AccountClient;
using client::FormatAmount;

// Days of DAY granularity pricing answers at most (pricing_service.proto).
constexpr int kDayWindowDaysMax = 400;
constexpr int kWindowDaysMax = 3650;

// "2026-12-05", "2026-12" or "2026-11-06..2026-12-06" for a period of the granularity.
std::string PeriodOf(const pv1::EarningsEntry& entry, pv1::EarningsGranularity granularity) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time start = auth::TimeFromProto(entry.period().start_time());
  switch (granularity) {
    case pv1::EARNINGS_GRANULARITY_DAY:
      return absl::FormatTime("%Y-%m-%d", start, utc);
    case pv1::EARNINGS_GRANULARITY_MONTH:
      return absl::FormatTime("%Y-%m", start, utc);
    default:
      return absl::StrCat(
          absl::FormatTime("%Y-%m-%d", start, utc), "..",
          absl::FormatTime("%Y-%m-%d", auth::TimeFromProto(entry.period().end_time()), utc));
  }
}

// "A short film", "The ledger [ledger-explained]", or "-" when the subject has no title
// the member may read.
std::string TitleOf(const client::SubjectLabel& label) {
  std::string title = label.title;
  if (!label.external_id.empty()) {
    absl::StrAppend(&title, title.empty() ? "" : " ", "[", label.external_id, "]");
  }
  return title.empty() ? "-" : title;
}

// One row of the earnings table, as printed.
struct EarningsRow {
  std::string subject, title, period, purchases, streams, earned;
};

// Prints `rows` under `header` in columns as wide as their widest cell, counts aligned
// right, so that long paywall subjects and titles keep the table straight.
void PrintTable(const EarningsRow& header, const std::vector<EarningsRow>& rows) {
  // Characters, not bytes: a title in UTF-8 takes one column per character.
  const auto columns = [](const std::string& cell) {
    return static_cast<size_t>(
        std::count_if(cell.begin(), cell.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  const auto left = [&](const std::string& cell, size_t width) {
    return cell + std::string(width - columns(cell), ' ');
  };
  const auto right = [&](const std::string& cell, size_t width) {
    return std::string(width - columns(cell), ' ') + cell;
  };
  std::vector<const EarningsRow*> all = {&header};
  for (const EarningsRow& row : rows) all.push_back(&row);
  size_t subject = 0, title = 0, period = 0, purchases = 0, streams = 0;
  for (const EarningsRow* row : all) {
    subject = std::max(subject, columns(row->subject));
    title = std::max(title, columns(row->title));
    period = std::max(period, columns(row->period));
    purchases = std::max(purchases, columns(row->purchases));
    streams = std::max(streams, columns(row->streams));
  }
  for (const EarningsRow* row : all) {
    std::printf("%s  %s  %s  %s  %s  %s\n", left(row->subject, subject).c_str(),
                left(row->title, title).c_str(), left(row->period, period).c_str(),
                right(row->purchases, purchases).c_str(), right(row->streams, streams).c_str(),
                row->earned.c_str());
  }
}

absl::Status PrintEarnings(AccountClient& account, int days, const std::string& by) {
  absl::StatusOr<pv1::EarningsGranularity> granularity = GranularityOf(by);
  if (!granularity.ok()) return granularity.status();
  if (*granularity == pv1::EARNINGS_GRANULARITY_DAY && days > kDayWindowDaysMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("--by day covers at most ", kDayWindowDaysMax, " days; use --by month"));
  }
  const EarningsWindow window = WindowOf(days, absl::Now());
  client::PricingClient pricing(&account);
  absl::StatusOr<pv1::ListEarningsResponse> earnings =
      pricing.Earnings(window.start, window.end, *granularity);
  if (!earnings.ok()) return earnings.status();
  if (earnings->entries().empty()) {
    SayEmpty(absl::StrCat("(no earnings in the last ", days, " days)"));
    std::printf("total: %s\n", FormatAmount(earnings->total_msat()).c_str());
    return absl::OkStatus();
  }
  // One lookup per subject, however many periods it earned in. A file of the member's
  // own tree shows as its path; one they earn from as publisher or uploader of another's
  // tree, or one since purged, by its node name.
  struct Label {
    std::string shown, title;
  };
  std::map<std::string, Label> labels;
  client::TreeClient tree(&account);
  std::vector<EarningsRow> rows;
  for (const pv1::EarningsEntry& entry : earnings->entries()) {
    auto [label, added] = labels.try_emplace(entry.subject());
    if (added) {
      label->second.title = TitleOf(pricing.LabelOf(entry.subject()));
      absl::StatusOr<std::string> path = absl::StartsWith(entry.subject(), "nodes/")
                                             ? tree.PathOf(entry.subject())
                                             : absl::NotFoundError("not a file");
      label->second.shown = path.ok() ? *path : entry.subject();
    }
    rows.push_back({.subject = label->second.shown,
                    .title = label->second.title,
                    .period = PeriodOf(entry, *granularity),
                    .purchases = absl::StrCat(entry.purchase_count()),
                    .streams = absl::StrCat(entry.stream_session_count()),
                    .earned = FormatAmount(entry.total_msat())});
  }
  PrintTable({"subject", "title", "period", "purchases", "streams", "earned"}, rows);
  std::printf("total: %s\n", FormatAmount(earnings->total_msat()).c_str());
  return absl::OkStatus();
}

absl::Status PrintPurchases(AccountClient& account, int limit) {
  absl::StatusOr<std::vector<pv1::Purchase>> purchases =
      client::PricingClient(&account).Purchases(limit);
  if (!purchases.ok()) return purchases.status();
  // What was bought by its title where it has one (a file's public title, a paywall
  // resource's title and external id), looked up once per subject.
  client::PricingClient pricing(&account);
  std::map<std::string, std::string> titles;
  for (const pv1::Purchase& purchase : *purchases) {
    auto [title, added] = titles.try_emplace(purchase.subject());
    if (added) title->second = TitleOf(pricing.LabelOf(purchase.subject()));
    std::string line = absl::StrCat(purchase.name(), "  ", ShownTime(purchase.create_time()), "  ",
                                    FormatAmount(purchase.amount_msat()), "  ", purchase.subject());
    if (title->second != "-") absl::StrAppend(&line, "  ", title->second);
    std::printf("%s\n", line.c_str());
  }
  if (purchases->empty()) SayEmpty("(no purchases yet)");
  return absl::OkStatus();
}

}  // namespace

EarningsWindow WindowOf(int days, absl::Time now) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay today = absl::ToCivilDay(now, utc);
  return {.start = absl::FromCivil(today - (days - 1), utc),
          .end = absl::FromCivil(today + 1, utc)};
}

absl::StatusOr<pv1::EarningsGranularity> GranularityOf(const std::string& by) {
  if (by == "day") return pv1::EARNINGS_GRANULARITY_DAY;
  if (by == "month") return pv1::EARNINGS_GRANULARITY_MONTH;
  if (by == "total") return pv1::EARNINGS_GRANULARITY_TOTAL;
  return absl::InvalidArgumentError(absl::StrCat("--by \"", by, "\": say day, month or total"));
}

void AddEarningsCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static int days = 30;
  static std::string by = "total";
  static int limit = 50;
  CLI::App* earnings = app.add_subcommand(
      "earnings", "What your files and paywall resources earned you, per file and period");
  earnings->add_option("--since", days, "The last DAYS days, today included")
      ->check(CLI::Range(1, kWindowDaysMax))
      ->capture_default_str();
  earnings->add_option("--by", by, "One line per file per day, month, or for the whole window")
      ->check(CLI::IsMember({"day", "month", "total"}))
      ->capture_default_str();
  earnings->callback(Run(options, exit_code,
                         [](AccountClient& account) { return PrintEarnings(account, days, by); }));

  CLI::App* purchases = app.add_subcommand("purchases", "What you bought, newest first");
  purchases->add_option("--limit", limit, "How many (1 to 1000)")->check(CLI::Range(1, 1000));
  purchases->callback(Run(options, exit_code,
                          [](AccountClient& account) { return PrintPurchases(account, limit); }));
}

}  // namespace bitcontent::cli
