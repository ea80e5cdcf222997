#include "libs/metrics/text_format.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace bitcontent::metrics {
namespace {

TEST_CASE("metrics text_format: FormatValue spells special values as Prometheus does") {
  CHECK(FormatValue(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  CHECK(FormatValue(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(FormatValue(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(FormatValue(0.0) == "0");
  CHECK(FormatValue(-0.0) == "0");
}

TEST_CASE("metrics text_format: FormatValue prints whole numbers without exponent") {
  CHECK(FormatValue(1) == "1");
  CHECK(FormatValue(-7) == "-7");
  CHECK(FormatValue(1e6) == "1000000");
  CHECK(FormatValue(123456789012345.0) == "123456789012345");
  CHECK(FormatValue(4294967296.0) == "4294967296");
}

TEST_CASE("metrics text_format: FormatValue prints the shortest round-trip form") {
  CHECK(FormatValue(0.5) == "0.5");
  CHECK(FormatValue(0.1) == "0.1");
  CHECK(FormatValue(0.0005) == "0.0005");
  CHECK(FormatValue(2.5) == "2.5");
  CHECK(FormatValue(-0.25) == "-0.25");
  CHECK(FormatValue(1.5e-7) == "1.5e-07");
  CHECK(FormatValue(1e15) == "1e+15");
  CHECK(FormatValue(1.25e20) == "1.25e+20");
  for (const double value : {0.1 + 0.2, 1.0 / 3, 6.02214076e23, 1e-300, 123.456}) {
    CHECK(std::stod(FormatValue(value)) == value);
  }
}

TEST_CASE("metrics text_format: label values escape backslash quote and newline") {
  CHECK(EscapeLabelValue("plain /a.B/C") == "plain /a.B/C");
  CHECK(EscapeLabelValue("a\\b") == R"(a\\b)");
  CHECK(EscapeLabelValue("say \"hi\"") == R"(say \"hi\")");
  CHECK(EscapeLabelValue("two\nlines") == R"(two\nlines)");
  CHECK(EscapeLabelValue("tab\tstays") == "tab\tstays");
}

TEST_CASE("metrics text_format: help escapes backslash and newline but not quotes") {
  CHECK(EscapeHelp("C:\\dir \"quoted\"\nnext") == R"(C:\\dir "quoted"\nnext)");
}

TEST_CASE("metrics text_format: IsValidUtf8 accepts UTF-8 and rejects malformed bytes") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("ascii"));
  CHECK(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
  CHECK_FALSE(IsValidUtf8("\x80"));                                 // Lone continuation byte.
  CHECK_FALSE(IsValidUtf8("\xC3"));                                 // Truncated sequence.
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));                             // Overlong '/'.
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));                         // Surrogate half.
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));                     // Above U+10FFFF.
  CHECK_FALSE(IsValidUtf8("\xFF"));
}

TEST_CASE("metrics text_format: sample lines with and without labels") {
  const std::vector<std::string> names = {"method", "code"};
  const std::vector<std::string> values = {"/a\"b", "OK"};
  const std::string pairs = FormatLabelPairs(names, values);
  CHECK(pairs == R"(method="/a\"b",code="OK")");
  std::string out;
  AppendFamilyHeader(out, "x_total", "Help\\me.", MetricType::kCounter);
  AppendSample(out, "x_total", "", pairs, "3");
  AppendSample(out, "x_total", "", "", "4");
  AppendSample(out, "h", "_bucket", R"(le="+Inf")", "1");
  CHECK(out ==
        "# HELP x_total Help\\\\me.\n"
        "# TYPE x_total counter\n"
        "x_total{method=\"/a\\\"b\",code=\"OK\"} 3\n"
        "x_total 4\n"
        "h_bucket{le=\"+Inf\"} 1\n");
}

}  // namespace
}  // namespace bitcontent::metrics
