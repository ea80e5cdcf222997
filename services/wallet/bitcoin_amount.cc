#include "services/wallet/bitcoin_amount.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace bitcontent::wallet {
namespace {

constexpr int kFractionDigitsMax = 8;
// More integer digits than "21000000" cannot be a valid amount; stopping there also
// keeps the accumulator far from overflow.
constexpr int kIntegerDigitsMax = 8;

absl::Status Malformed(std::string_view text, const char* why) {
  return absl::InvalidArgumentError(
      absl::StrCat("amount \"", std::string(text.substr(0, 40)), "\" is not a BTC amount: ", why));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

absl::StatusOr<int64_t> ParseBtcAmount(std::string_view text) {
  std::string_view rest = text;
  const bool negative = !rest.empty() && rest.front() == '-';
  if (negative) rest.remove_prefix(1);
  int64_t whole = 0;
  int integer_digits = 0;
  while (!rest.empty() && IsDigit(rest.front())) {
    if (++integer_digits > kIntegerDigitsMax) return Malformed(text, "more than 21 million BTC");
    whole = whole * 10 + (rest.front() - '0');
    rest.remove_prefix(1);
  }
  if (integer_digits == 0) return Malformed(text, "no integer digits");
  int64_t fraction = 0;
  int fraction_digits = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && IsDigit(rest.front())) {
      if (++fraction_digits > kFractionDigitsMax) {
        return Malformed(text, "more than 8 decimal places (finer than a satoshi)");
      }
      fraction = fraction * 10 + (rest.front() - '0');
      rest.remove_prefix(1);
    }
    if (fraction_digits == 0) return Malformed(text, "no digits after the decimal point");
  }
  if (!rest.empty()) return Malformed(text, "unexpected characters (exponents are refused)");
  for (int i = fraction_digits; i < kFractionDigitsMax; ++i) fraction *= 10;
  const int64_t satoshi = whole * kSatoshiPerBtc + fraction;
  if (satoshi > kMoneySatoshiMax) return Malformed(text, "more than 21 million BTC");
  return negative ? -satoshi : satoshi;
}

}  // namespace bitcontent::wallet
