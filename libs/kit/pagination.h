// Page sizes and page tokens of listings (AIP-158), the same for every service. Listings
// are keyed by time-ordered ids (libs/ids), so a page token is the last id of the
// previous page.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::kit {

// A listing's page sizes; the defaults suit listings of small records (sessions, keys).
struct PageSizes {
  int32_t default_size = 50;
  int32_t max = 100;
};

// 0 -> sizes.default_size; above sizes.max -> sizes.max (AIP-158 coerces); negative ->
// INVALID_ARGUMENT naming page_size.
absl::StatusOr<size_t> PageSizeOf(int32_t page_size, PageSizes sizes = {});

// OK for an empty token or a 26-character id; INVALID_ARGUMENT naming page_token.
absl::Status ValidatePageToken(absl::string_view page_token);

}  // namespace bitcontent::kit
