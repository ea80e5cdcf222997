// Errors of the accounts domain: absl::Status values with a precise code and a message a
// person can act on, optionally carrying a common.v1.ErrorDetails (an ErrorReason, field
// violations, facts such as the free quota) as the status payload. The gRPC surface
// turns that payload into the "bitcontent-error-details-bin" trailer (see reply.h).
#pragma once

#include <initializer_list>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bitcontent/common/v1/errors.pb.h"

namespace bitcontent::accounts {

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

// The one answer for a failed login, whether the email is unknown or the password wrong.
absl::Status WrongCredentialsError();

}  // namespace bitcontent::accounts
