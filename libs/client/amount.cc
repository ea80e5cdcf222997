#include "libs/client/amount.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace bitcontent::client {
namespace {

// "1234567" -> "1,234,567".
std::string Grouped(uint64_t number) {
  std::string digits = absl::StrCat(number);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

}  // namespace

absl::StatusOr<uint64_t> ParseAmount(absl::string_view text) {
  absl::string_view digits = text;
  uint64_t scale = 1;
  if (absl::ConsumeSuffix(&digits, "msat")) {
  } else if (absl::ConsumeSuffix(&digits, "sat")) {
    scale = 1000;
  }
  uint64_t amount = 0;
  // SimpleAtoi takes a sign and surrounding spaces; an amount takes digits only.
  const bool only_digits =
      !digits.empty() && digits.find_first_not_of("0123456789") == absl::string_view::npos;
  if (!only_digits || !absl::SimpleAtoi(digits, &amount) || amount > UINT64_MAX / scale) {
    return absl::InvalidArgumentError(
        absl::StrCat("amount \"", text,
                     "\" is not a whole number of msat (\"1500\", \"1500msat\") or sat "
                     "(\"2sat\")"));
  }
  return amount * scale;
}

std::string FormatAmount(uint64_t msat) {
  return absl::StrCat(Grouped(msat), " msat (", msat / 1000, ".",
                      absl::StrFormat("%03d", msat % 1000), " sat)");
}

}  // namespace bitcontent::client
