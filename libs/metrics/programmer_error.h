// How this library stops the process when its caller breaks a rule that only code can
// break (an invalid metric name, a negative counter increment, a label count that does
// not match the family). Such mistakes are found on the first run, so the library fails
// loudly instead of returning errors nobody would handle. Nothing a remote peer sends can
// reach this path: untrusted label values are handled by the cardinality limit.
#pragma once

#include <string_view>

namespace bitcontent::metrics::internal {

// Writes "metrics: <message>" to stderr and aborts the process.
[[noreturn]] void ProgrammerError(std::string_view message);

}  // namespace bitcontent::metrics::internal
