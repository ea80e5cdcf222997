#include "services/gateway/byte_range.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"

namespace bitcontent::gateway {

RangeAnswer ResolveRange(std::optional<absl::string_view> range, uint64_t size) {
  const RangeAnswer whole = {.kind = RangeAnswer::Kind::kWhole, .span = {0, size}};
  if (!range.has_value()) return whole;
  absl::string_view spec = absl::StripAsciiWhitespace(*range);
  if (!absl::ConsumePrefix(&spec, "bytes=") || absl::StrContains(spec, ',')) return whole;
  const size_t dash = spec.find('-');
  if (dash == absl::string_view::npos) return whole;
  const absl::string_view from = absl::StripAsciiWhitespace(spec.substr(0, dash));
  const absl::string_view to = absl::StripAsciiWhitespace(spec.substr(dash + 1));
  uint64_t first = 0;
  uint64_t last = 0;
  if (from.empty()) {  // The last `to` bytes.
    if (!absl::SimpleAtoi(to, &last) || last == 0) {
      return {.kind = RangeAnswer::Kind::kUnsatisfiable};
    }
    const uint64_t length = std::min(last, size);
    return {.kind = RangeAnswer::Kind::kPartial, .span = {size - length, length}};
  }
  if (!absl::SimpleAtoi(from, &first)) return whole;
  if (!to.empty() && (!absl::SimpleAtoi(to, &last) || last < first)) return whole;
  if (first >= size) return {.kind = RangeAnswer::Kind::kUnsatisfiable};
  const uint64_t end = to.empty() ? size : std::min(last + 1, size);
  return {.kind = RangeAnswer::Kind::kPartial, .span = {first, end - first}};
}

}  // namespace bitcontent::gateway
