#include "services/accounts/email.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts {

absl::StatusOr<std::string> NormalizeEmail(absl::string_view email, absl::string_view field) {
  const std::string normal = absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
  if (normal.empty()) return kit::FieldError(field, "is required");
  if (normal.size() > kEmailLengthMax) {
    return kit::FieldError(field, absl::StrCat("is longer than ", kEmailLengthMax, " characters"));
  }
  const bool has_blank = std::any_of(normal.begin(), normal.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f;
  });
  if (has_blank) return kit::FieldError(field, "must not contain spaces or control characters");
  const size_t at = normal.find('@');
  if (at == std::string::npos || normal.find('@', at + 1) != std::string::npos) {
    return kit::FieldError(field, "must contain exactly one '@'");
  }
  if (at == 0 || at + 1 == normal.size()) {
    return kit::FieldError(field, "needs a name before and a domain after the '@'");
  }
  return normal;
}

absl::StatusOr<std::string> NormalizeNewEmail(absl::string_view email, absl::string_view field) {
  absl::StatusOr<std::string> normal = NormalizeEmail(email, field);
  if (!normal.ok()) return normal;
  const bool ascii = std::all_of(normal->begin(), normal->end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) {
    return kit::FieldError(field,
                           "must be plain ASCII (letters a-z, digits and punctuation): addresses "
                           "with other characters can look like another member's, and are not "
                           "taken yet");
  }
  return normal;
}

}  // namespace bitcontent::accounts
