// Exact parsing of Bitcoin Core's JSON amounts ("0.00000001", "20999999.97690000").
//
// Core writes amounts as decimal numbers of BTC with up to 8 fractional digits. Going
// through a double would round values such as 20999999.9769 BTC, so the JSON number's
// text is parsed digit by digit into whole satoshi instead. Money never touches floating
// point here.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"

namespace bitcontent::wallet {

inline constexpr int64_t kSatoshiPerBtc = 100'000'000;
// Bitcoin's consensus limit on any amount (MAX_MONEY): 21 million BTC.
inline constexpr int64_t kMoneySatoshiMax = 21'000'000 * kSatoshiPerBtc;
inline constexpr uint64_t kMsatPerSatoshi = 1'000;

// The amount `text` (a JSON number, optionally negative) in satoshi. InvalidArgument for
// anything but [-]digits[.digits] with at most 8 fractional digits and a magnitude of at
// most kMoneySatoshiMax; exponents are refused since Core never writes them.
absl::StatusOr<int64_t> ParseBtcAmount(std::string_view text);

}  // namespace bitcontent::wallet
