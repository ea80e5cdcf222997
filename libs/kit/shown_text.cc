#include "libs/kit/shown_text.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/kit/error_details.h"

namespace bitcontent::kit {
namespace {

// The code points of `text`; nullopt when it is not valid UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF).
std::optional<std::vector<char32_t>> Decode(std::string_view text) {
  std::vector<char32_t> points;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const size_t length = byte < 0x80           ? 1
                          : (byte >> 5) == 0x6  ? 2
                          : (byte >> 4) == 0xE  ? 3
                          : (byte >> 3) == 0x1E ? 4
                                                : 0;
    if (length == 0 || i + length > text.size()) return std::nullopt;
    char32_t point = length == 1 ? byte : byte & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) return std::nullopt;
      point = (point << 6) | (next & 0x3F);
    }
    constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (point < kSmallest[length] || point > 0x10FFFF || (point >= 0xD800 && point <= 0xDFFF)) {
      return std::nullopt;
    }
    points.push_back(point);
    i += length;
  }
  return points;
}

// Control characters, and the separators that break a line as a newline does.
bool IsControl(char32_t point) {
  return point < 0x20 || (point >= 0x7F && point <= 0x9F) || point == 0x2028 || point == 0x2029;
}

bool IsBidiControl(char32_t point) {
  return (point >= 0x202A && point <= 0x202E) || (point >= 0x2066 && point <= 0x2069);
}

}  // namespace

bool IsUtf8(std::string_view text) { return Decode(text).has_value(); }

absl::Status CheckShownText(std::string_view text, std::string_view field, size_t characters_max) {
  const absl::string_view name(field.data(), field.size());
  const std::optional<std::vector<char32_t>> points = Decode(text);
  if (!points.has_value()) return FieldError(name, "must be UTF-8 text");
  if (points->size() > characters_max) {
    return FieldError(
        name, absl::StrCat("is at most ", characters_max, " characters, not ", points->size()));
  }
  for (size_t i = 0; i < points->size(); ++i) {
    const char32_t point = (*points)[i];
    if (!IsControl(point) && !IsBidiControl(point)) continue;
    return FieldError(
        name, absl::StrFormat(
                  "must be one line of plain text: character %d is U+%04X, and control "
                  "characters (U+0000 to U+001F, such as NUL, tab, newline and escape; "
                  "U+007F to U+009F; U+2028, U+2029) and bidirectional controls (U+202A to U+202E, "
                  "U+2066 to U+2069) are not allowed",
                  i + 1, static_cast<uint32_t>(point)));
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::kit
