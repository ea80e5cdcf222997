#include "services/pricing/split_members.h"

#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::pricing {

absl::Status CheckSplitMembers(std::string_view field, const v1::SplitRule& split,
                               Members* members) {
  for (int i = 0; i < split.recipients_size(); ++i) {
    const std::string& user = split.recipients(i).user();
    if (user.empty()) continue;
    const absl::string_view user_id = kit::IdOfName(user);
    absl::StatusOr<std::string> key =
        members->PublicKey(std::string_view(user_id.data(), user_id.size()));
    const std::string recipient_field =
        absl::StrCat(absl::string_view(field.data(), field.size()), ".recipients[", i, "].user");
    if (absl::IsNotFound(key.status())) {
      return kit::FieldError(recipient_field, absl::StrCat("names no member: ", user));
    }
    if (!key.ok()) return key.status();
    // A purchase that would pay a disabled member is refused; say so now, not to buyers.
    const absl::Status payable = members->CheckPayableNow({std::string(user)});
    if (absl::IsFailedPrecondition(payable)) {
      return kit::FieldError(recipient_field,
                             absl::StrCat("names a member who is not active (disabled, or an "
                                          "imported account not claimed yet) and cannot be paid: ",
                                          user));
    }
    if (!payable.ok()) return payable;
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::pricing
