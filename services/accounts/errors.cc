#include "services/accounts/errors.h"

namespace bitcontent::accounts {

absl::Status WrongCredentialsError() {
  return absl::UnauthenticatedError("email or password is incorrect");
}

}  // namespace bitcontent::accounts
