// The Range header of a download (RFC 9110, section 14): one range of bytes, as
// "bytes=FIRST-LAST", "bytes=FIRST-" or "bytes=-SUFFIX". Several ranges, or another
// unit, are answered with the whole body (a server may ignore Range); a range that
// starts past the end is unsatisfiable (416).
#pragma once

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace bitcontent::gateway {

struct ByteSpan {
  uint64_t first = 0;
  uint64_t length = 0;
};

struct RangeAnswer {
  enum class Kind { kWhole, kPartial, kUnsatisfiable };
  Kind kind = Kind::kWhole;
  ByteSpan span = {};  // What to send: everything for kWhole.
};

// What `range` (the header's value, absent when nullopt) asks of a body of `size` bytes.
RangeAnswer ResolveRange(std::optional<absl::string_view> range, uint64_t size);

}  // namespace bitcontent::gateway
