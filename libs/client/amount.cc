#include "libs/client/amount.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace bitcontent::client {
namespace {

// "1234567" -> "1,234,567".
std::string Grouped(uint64_t number) {
  std::string digits = absl::StrCat(number);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

// `digits` without the thousands separators amounts are shown with ("20,000" ->
// "20000"), so that a figure copied from the output reads back; nullopt where the commas
// are not between groups of three digits ("1,50", ",500", "1,,000").
std::optional<std::string> Ungrouped(absl::string_view digits) {
  std::vector<absl::string_view> groups = absl::StrSplit(digits, ',');
  if (groups.size() == 1) return std::string(digits);
  if (groups[0].empty() || groups[0].size() > 3) return std::nullopt;
  for (size_t i = 1; i < groups.size(); ++i) {
    if (groups[i].size() != 3) return std::nullopt;
  }
  return absl::StrJoin(groups, "");
}

}  // namespace

bool IsDigits(absl::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == absl::string_view::npos;
}

absl::StatusOr<uint64_t> ParseAmount(absl::string_view text) {
  absl::string_view whole = text;
  bool sat = false;
  if (!absl::ConsumeSuffix(&whole, "msat")) sat = absl::ConsumeSuffix(&whole, "sat");
  // Sat may have up to three decimals (what FormatAmount shows): "1.5sat" is 1,500 msat,
  // read as two integers. A msat has no fraction.
  absl::string_view fraction;
  const size_t dot = whole.find('.');
  if (sat && dot != absl::string_view::npos) {
    fraction = whole.substr(dot + 1);
    whole = whole.substr(0, dot);
  }
  const absl::Status refused = absl::InvalidArgumentError(absl::StrCat(
      "amount \"", text,
      "\" is not a whole number of msat (\"1500\", \"1,500msat\") or a number of sat with up "
      "to three decimals (\"2sat\", \"1.5sat\")"));
  const uint64_t scale = sat ? 1000 : 1;
  uint64_t amount = 0;
  const std::optional<std::string> ungrouped = Ungrouped(whole);
  // SimpleAtoi takes a sign and surrounding spaces; an amount takes digits only.
  const absl::Status too_large = absl::OutOfRangeError(
      absl::StrCat("amount \"", text, "\" is more than any wallet can hold (at most ",
                   FormatAmount(UINT64_MAX), ")"));
  if (!ungrouped.has_value() || !IsDigits(*ungrouped)) return refused;
  if (!absl::SimpleAtoi(*ungrouped, &amount) || amount > UINT64_MAX / scale) return too_large;
  amount *= scale;
  if (dot == absl::string_view::npos || !sat) return amount;
  if (!IsDigits(fraction) || fraction.size() > 3) {
    return fraction.size() > 3 && IsDigits(fraction)
               ? absl::InvalidArgumentError(
                     absl::StrCat("amount \"", text,
                                  "\" is finer than a msat: a sat has three decimals at most"))
               : refused;
  }
  uint64_t thousandths = 0;
  (void)absl::SimpleAtoi(fraction, &thousandths);
  for (size_t i = fraction.size(); i < 3; ++i) thousandths *= 10;
  if (amount > UINT64_MAX - thousandths) return too_large;
  return amount + thousandths;
}

std::string FormatAmount(uint64_t msat) {
  return absl::StrCat(Grouped(msat), " msat (", Grouped(msat / 1000), ".",
                      absl::StrFormat("%03d", msat % 1000), " sat)");
}

}  // namespace bitcontent::client
