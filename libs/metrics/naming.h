// The rules a family's name, label names and help text must follow, checked once when
// the family is added to a Registry (which aborts on a broken rule: see
// programmer_error.h). Exposed as Status-returning functions so the rules can be tested
// one by one.
//
// The rules are Prometheus's own, made stricter where promtool's linter would otherwise
// complain about a page, so that every page this library renders passes
// `promtool check metrics`:
//   - names and label names are lowercase snake_case, [a-z_][a-z0-9_]*, and do not start
//     with "__" (reserved by Prometheus); names hold no ':' (reserved for recording rules);
//   - a counter's name ends in "_total" and no other type's name does; only a histogram's
//     name may end in "_bucket", "_count" or "_sum", which its own samples use;
//   - "le" and "quantile" are not label names (histograms and summaries own them);
//   - help text is present and is UTF-8.
// Unit style (seconds rather than milliseconds, no "_ms") is left to the promtool check.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "libs/metrics/metric_type.h"

namespace bitcontent::metrics {

inline constexpr std::size_t kNameBytesMax = 200;
inline constexpr std::size_t kHelpBytesMax = 1024;
inline constexpr std::size_t kLabelNamesMax = 16;

// OK if `name` may name a family of `type`; InvalidArgument saying which rule fails.
absl::Status CheckMetricName(std::string_view name, MetricType type);

// OK if every label name is valid, none repeats and there are at most kLabelNamesMax.
absl::Status CheckLabelNames(absl::Span<const std::string> label_names);

// OK if `help` is non-empty UTF-8 of at most kHelpBytesMax bytes.
absl::Status CheckHelp(std::string_view help);

}  // namespace bitcontent::metrics
