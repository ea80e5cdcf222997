// Amounts of money as people type and read them in the CLI. Every amount is an integer
// count of millisatoshi (common/v1/money.proto): "1500" or "1500msat" is 1,500 msat,
// "2sat" is 2,000 msat, "1.5sat" is 1,500 msat. No floating point anywhere near money.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::client {

// Whether `text` is one or more ASCII digits and nothing else: what a whole number
// typed on a command line must be (signs, spaces and exponents are not taken).
bool IsDigits(absl::string_view text);

// "1500", "1500msat", "2sat" or "1.5sat" -> millisatoshi. INVALID_ARGUMENT saying what is
// accepted for anything else (fractions of a msat, signs, units of other names, amounts
// past 2^64 - 1 msat).
absl::StatusOr<uint64_t> ParseAmount(absl::string_view text);

// 1234567 -> "1,234,567 msat (1,234.567 sat)".
std::string FormatAmount(uint64_t msat);

}  // namespace bitcontent::client
