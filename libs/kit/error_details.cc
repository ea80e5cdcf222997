#include "libs/kit/error_details.h"

#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace bitcontent::kit {
namespace {

absl::Status WithDetails(absl::Status status, const common::v1::ErrorDetails& details) {
  status.SetPayload(kErrorDetailsPayloadUrl, absl::Cord(details.SerializeAsString()));
  return status;
}

}  // namespace

absl::Status FieldError(absl::string_view field, absl::string_view description) {
  common::v1::ErrorDetails details;
  common::v1::FieldViolation* violation = details.add_field_violations();
  violation->set_field(std::string(field));
  violation->set_description(std::string(description));
  return WithDetails(absl::InvalidArgumentError(absl::StrCat(field, ": ", description)), details);
}

absl::Status WithReason(
    absl::Status status, common::v1::ErrorReason reason,
    std::initializer_list<std::pair<absl::string_view, absl::string_view>> metadata) {
  common::v1::ErrorDetails details = DetailsOf(status);
  details.set_reason(reason);
  for (const auto& [key, value] : metadata) {
    (*details.mutable_metadata())[std::string(key)] = std::string(value);
  }
  return WithDetails(std::move(status), details);
}

common::v1::ErrorDetails DetailsOf(const absl::Status& status) {
  common::v1::ErrorDetails details;
  if (absl::optional<absl::Cord> payload = status.GetPayload(kErrorDetailsPayloadUrl)) {
    details.ParseFromString(std::string(*payload));
  }
  return details;
}

}  // namespace bitcontent::kit
