// Errors with details: absl::Status values with a precise code and a message a person
// can act on, optionally carrying a common.v1.ErrorDetails (an ErrorReason, field
// violations, facts such as the free quota) as the status payload. A service's gRPC
// surface turns that payload into the "bitcontent-error-details-bin" trailer, which the
// gateway turns into the `details` of its one error shape.
#pragma once

#include <initializer_list>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bitcontent/common/v1/errors.pb.h"

namespace bitcontent::kit {

// The trailing metadata key under which a failed call carries its ErrorDetails.
inline constexpr char kErrorDetailsTrailer[] = "bitcontent-error-details-bin";

// The payload URL under which a status carries its serialized ErrorDetails.
inline constexpr absl::string_view kErrorDetailsPayloadUrl =
    "type.googleapis.com/bitcontent.common.v1.ErrorDetails";

// INVALID_ARGUMENT naming `field`, with a FieldViolation for it.
absl::Status FieldError(absl::string_view field, absl::string_view description);

// `status` with `reason` (and the given facts) attached.
absl::Status WithReason(
    absl::Status status, common::v1::ErrorReason reason,
    std::initializer_list<std::pair<absl::string_view, absl::string_view>> metadata = {});

// The ErrorDetails attached to `status`; empty when there are none.
common::v1::ErrorDetails DetailsOf(const absl::Status& status);

}  // namespace bitcontent::kit
