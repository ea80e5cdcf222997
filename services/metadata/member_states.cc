#include "services/metadata/member_states.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/kit/channel.h"

namespace bitcontent::metadata {

absl::Status MemberStates::RequireActive(absl::string_view user_name) const {
  if (accounts_ == nullptr) return absl::OkStatus();
  std::unique_ptr<grpc::ClientContext> context = kit::NewCallContext(kCallTimeout);
  absl::StatusOr<std::optional<std::string>> inactive =
      active_.FirstInactive(accounts_, *context, {std::string(user_name)});
  if (!inactive.ok()) {
    return absl::UnavailableError(
        absl::StrCat("whether the member who owns it is active cannot be checked now (",
                     inactive.status().message(), "); try again in a moment"));
  }
  if (inactive->has_value()) return absl::NotFoundError(absl::StrCat(user_name, " is not active"));
  return absl::OkStatus();
}

}  // namespace bitcontent::metadata
