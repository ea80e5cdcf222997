#include "services/pricing/paywall_names.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "services/pricing/subjects.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

}  // namespace

absl::StatusOr<std::vector<std::string>> IdsInName(std::string_view name,
                                                   const std::vector<std::string_view>& collections,
                                                   std::string_view field) {
  std::vector<std::string> pattern = {"users/{user}"};
  for (std::string_view collection : collections) {
    pattern.push_back(absl::StrCat(Absl(collection), "/{id}"));
  }
  const auto malformed = [&] {
    return kit::FieldError(Absl(field), absl::StrCat("must be \"", absl::StrJoin(pattern, "/"),
                                                     "\", not \"", Absl(name), "\""));
  };
  const std::vector<absl::string_view> parts = absl::StrSplit(Absl(name), '/');
  if (parts.size() != 2 * (collections.size() + 1) || parts[0] != "users") return malformed();
  std::vector<std::string> ids;
  for (size_t i = 1; i < parts.size(); i += 2) {
    if (i > 1 && parts[i - 1] != Absl(collections[i / 2 - 1])) return malformed();
    const bool me = i == 1 && parts[i] == "me";
    if (!me && !ids::IsValidId(parts[i])) return malformed();
    ids.emplace_back(parts[i]);
  }
  return ids;
}

std::string ResourceName(std::string_view user_id, std::string_view resource_id) {
  return absl::StrCat("users/", Absl(user_id), "/", kResources, "/", Absl(resource_id));
}

std::string EndpointName(std::string_view user_id, std::string_view endpoint_id) {
  return absl::StrCat("users/", Absl(user_id), "/", kEndpoints, "/", Absl(endpoint_id));
}

std::string DeliveryName(std::string_view user_id, std::string_view endpoint_id,
                         std::string_view delivery_id) {
  return absl::StrCat(EndpointName(user_id, endpoint_id), "/", kDeliveries, "/", Absl(delivery_id));
}

absl::Status MalformedSubject() {
  return kit::FieldError("subject",
                         "must be nodes/{node} (a file) or users/{user}/paywallResources/"
                         "{resource} (an app's resource)");
}

}  // namespace bitcontent::pricing
