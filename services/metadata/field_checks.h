// Checks of the sealed fields and ids requests carry, the same for every tree change:
// exact sizes for wrapped keys and name HMACs, at most 4 KiB of encrypted attributes,
// request ids of at most 128 bytes. Each failure names its field (kit::FieldError).
#pragma once

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bitcontent::metadata {

// INVALID_ARGUMENT unless `value` is `exact` bytes.
absl::Status RequireBytes(absl::string_view field, absl::string_view value, size_t exact);

// The sealed fields a request carries (null: not in this request): the wrapped key and
// the name HMAC at their exact sizes, the attributes at most 4 KiB (and present unless
// optional).
struct Sealed {
  const std::string* wrapped_key = nullptr;
  const std::string* name_hmac = nullptr;
  const std::string* attributes = nullptr;
  bool attributes_optional = false;
  // Where the fields sit in the request, for error messages: "new_file.".
  absl::string_view prefix = {};
};

absl::Status RequireSealed(const Sealed& sealed);

absl::Status RequireRequestId(absl::string_view request_id);

}  // namespace bitcontent::metadata
