#include "libs/metrics/text_format.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/metrics/programmer_error.h"

namespace bitcontent::metrics {
namespace {

// Below this magnitude and from kFixedMax up, fixed notation would print long runs of
// zeros, so exponent notation is used; in between, every value prints without exponent.
constexpr double kFixedMin = 1e-4;
constexpr double kFixedMax = 1e15;

// How a multi-byte UTF-8 sequence that starts with a given lead byte is laid out.
struct SequenceShape {
  std::size_t length;
  std::uint32_t lead_payload_mask;
  std::uint32_t code_point_min;  // Anything smaller is an overlong (forbidden) form.
};

std::optional<SequenceShape> ShapeOf(std::uint8_t lead) {
  if ((lead & 0xE0) == 0xC0) {
    return SequenceShape{2, 0x1F, 0x80};
  }
  if ((lead & 0xF0) == 0xE0) {
    return SequenceShape{3, 0x0F, 0x800};
  }
  if ((lead & 0xF8) == 0xF0) {
    return SequenceShape{4, 0x07, 0x10000};
  }
  return std::nullopt;  // A continuation byte, or a lead byte no code point uses.
}

}  // namespace

std::string FormatValue(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  // Also turns -0 into "0".
  if (value == 0) {
    return "0";
  }
  const double magnitude = std::fabs(value);
  const std::chars_format format = (magnitude >= kFixedMin && magnitude < kFixedMax)
                                       ? std::chars_format::fixed
                                       : std::chars_format::scientific;
  // Shortest round-trip output is at most 17 significant digits plus sign, point, the
  // four leading zeros allowed by kFixedMin, or an exponent: 64 bytes is ample.
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value, format);
  if (error != std::errc()) {
    internal::ProgrammerError("to_chars failed on a finite double");
  }
  return std::string(buffer, end);
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    const std::optional<SequenceShape> shape = ShapeOf(lead);
    if (!shape.has_value() || text.size() - i < shape->length) {
      return false;
    }
    std::uint32_t code_point = lead & shape->lead_payload_mask;
    for (std::size_t k = 1; k < shape->length; ++k) {
      const auto next = static_cast<std::uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      code_point = (code_point << 6) | (next & 0x3F);
    }
    if (code_point < shape->code_point_min) {
      return false;  // Overlong form.
    }
    if (code_point >= 0xD800 && code_point <= 0xDFFF) {
      return false;  // Surrogate half.
    }
    if (code_point > 0x10FFFF) {
      return false;
    }
    i += shape->length;
  }
  return true;
}

std::string FormatLabelPairs(absl::Span<const std::string> names,
                             absl::Span<const std::string> values) {
  if (names.size() != values.size()) {
    internal::ProgrammerError("FormatLabelPairs: label names and values differ in count");
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", names[i], "=\"", EscapeLabelValue(values[i]), "\"");
  }
  return out;
}

void AppendFamilyHeader(std::string& out, std::string_view name, std::string_view help,
                        MetricType type) {
  out.append("# HELP ").append(name).append(" ").append(EscapeHelp(help)).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(TypeName(type)).append("\n");
}

void AppendSample(std::string& out, std::string_view name, std::string_view suffix,
                  std::string_view label_pairs, std::string_view value) {
  out.append(name).append(suffix);
  if (!label_pairs.empty()) {
    out.append("{").append(label_pairs).append("}");
  }
  out.append(" ").append(value).append("\n");
}

}  // namespace bitcontent::metrics
