// Building blocks of the Prometheus text exposition format, version 0.0.4: number
// formatting, escaping, and the `# HELP` / `# TYPE` / sample lines. The registry uses
// them to render a /metrics page; code that only records metrics never needs them.
//
// The content type of a page built from these lines is kContentType.
#pragma once

#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "libs/metrics/metric_type.h"

namespace bitcontent::metrics {

// What an HTTP handler serving a rendered page puts in its Content-Type header.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// Formats a sample value the way Prometheus parses it: "NaN", "+Inf", "-Inf"; whole
// numbers below 1e15 as plain integers ("1000000", never "1e+06"); other values in the
// shortest form that reads back to the same double, in exponent notation only when the
// magnitude is below 1e-4 or at least 1e15.
std::string FormatValue(double value);

// Escapes a label value for use between double quotes: backslash, double quote and
// newline become \\, \" and \n.
std::string EscapeLabelValue(std::string_view value);

// Escapes HELP text: backslash and newline become \\ and \n.
std::string EscapeHelp(std::string_view help);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points above
// U+10FFFF). Prometheus rejects a whole page when one label value is not.
bool IsValidUtf8(std::string_view text);

// Renders `name="value"` pairs joined by commas, values escaped, without braces.
// Requires names.size() == values.size().
std::string FormatLabelPairs(absl::Span<const std::string> names,
                             absl::Span<const std::string> values);

// Appends the `# HELP` and `# TYPE` lines that open a family.
void AppendFamilyHeader(std::string& out, std::string_view name, std::string_view help,
                        MetricType type);

// Appends one sample line, `<name><suffix>{<label_pairs>} <value>`, leaving the braces out
// when label_pairs is empty. `label_pairs` comes from FormatLabelPairs and `value` from
// FormatValue (or is a decimal integer).
void AppendSample(std::string& out, std::string_view name, std::string_view suffix,
                  std::string_view label_pairs, std::string_view value);

}  // namespace bitcontent::metrics
