// Errors of the accounts domain that are not plain error details (see
// libs/kit/error_details.h for those).
#pragma once

#include "absl/status/status.h"

namespace bitcontent::accounts {

// The one answer for a failed login, whether the email is unknown or the password wrong.
absl::Status WrongCredentialsError();

}  // namespace bitcontent::accounts
