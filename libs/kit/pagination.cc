#include "libs/kit/pagination.h"

#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"

namespace bitcontent::kit {

absl::StatusOr<size_t> PageSizeOf(int32_t page_size, PageSizes sizes) {
  if (page_size < 0) return FieldError("page_size", "must not be negative");
  if (page_size == 0) return static_cast<size_t>(sizes.default_size);
  if (page_size > sizes.max) return static_cast<size_t>(sizes.max);
  return static_cast<size_t>(page_size);
}

absl::Status ValidatePageToken(absl::string_view page_token) {
  if (page_token.empty() || ids::IsValidId(page_token)) return absl::OkStatus();
  return FieldError("page_token", "is not a token this listing returned");
}

}  // namespace bitcontent::kit
