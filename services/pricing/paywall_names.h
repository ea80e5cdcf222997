// Resource names of the paywall (AIP-122) and their parsing: one parser, so an id in a
// name is checked (libs/ids) before it reaches a key.
//   users/{user}/paywallResources/{resource}
//   users/{user}/webhookEndpoints/{endpoint}
//   users/{user}/webhookEndpoints/{endpoint}/deliveries/{delivery}
// {user} is "me" or a user id; the caller check turns it into the caller's id.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace bitcontent::pricing {

inline constexpr char kResources[] = "paywallResources";
inline constexpr char kEndpoints[] = "webhookEndpoints";
inline constexpr char kDeliveries[] = "deliveries";

// The ids in `name` = "users/{user}/<collections[0]>/{id}/<collections[1]>/{id}...", the
// user first ("me" or an id); INVALID_ARGUMENT naming `field` otherwise. With no
// collections it parses a parent "users/{user}".
absl::StatusOr<std::vector<std::string>> IdsInName(std::string_view name,
                                                   const std::vector<std::string_view>& collections,
                                                   std::string_view field);

std::string ResourceName(std::string_view user_id, std::string_view resource_id);
std::string EndpointName(std::string_view user_id, std::string_view endpoint_id);
std::string DeliveryName(std::string_view user_id, std::string_view endpoint_id,
                         std::string_view delivery_id);

}  // namespace bitcontent::pricing
