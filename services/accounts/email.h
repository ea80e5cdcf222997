// Email addresses as login names. Every email the service stores or looks up goes
// through NormalizeEmail first, so " Alice@Example.COM " and "alice@example.com" are
// the same member.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::accounts {

// Trims surrounding whitespace and lower-cases ASCII letters. INVALID_ARGUMENT naming
// `field` when the result is longer than kEmailLengthMax, does not hold exactly one '@'
// with something on both sides, or holds whitespace or control characters.
absl::StatusOr<std::string> NormalizeEmail(absl::string_view email,
                                           absl::string_view field = "email");

// NormalizeEmail, for an account to be made (sign-up, legacy import): also refuses
// anything but printable ASCII. Other members see a member's email (shares, payments by
// email), and Unicode makes look-alikes that the eye cannot tell apart ("аda" with a
// Cyrillic а, "däve" composed or not); until addresses are compared by a confusables
// skeleton, internationalised addresses are not taken. Existing ones still log in.
absl::StatusOr<std::string> NormalizeNewEmail(absl::string_view email,
                                              absl::string_view field = "email");

}  // namespace bitcontent::accounts
