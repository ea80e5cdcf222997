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

inline constexpr int32_t kPageSizeMax = 100;
inline constexpr int32_t kPageSizeDefault = 50;

// 0 -> kPageSizeDefault; above kPageSizeMax -> kPageSizeMax (AIP-158 coerces);
// negative -> INVALID_ARGUMENT naming page_size.
absl::StatusOr<size_t> PageSizeOf(int32_t page_size);

// OK for an empty token or a 26-character id; INVALID_ARGUMENT naming page_token.
absl::Status ValidatePageToken(absl::string_view page_token);

}  // namespace bitcontent::kit
