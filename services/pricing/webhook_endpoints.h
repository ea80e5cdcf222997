// WebhookEndpoints: where an owner's events go, and the secrets they are signed with.
// A secret is "whsec_" + 43 base64url characters (32 random bytes from libsodium), shown
// only in the answer that made it; listings show its first 12 characters. Rotating keeps
// the previous secret signing (a second v1=) for 24 hours, so a receiver can switch.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/paywall_service.pb.h"
#include "libs/kit/striped_locks.h"
#include "services/pricing/paywall_db.h"
#include "services/pricing/paywall_records.pb.h"
#include "services/pricing/webhook_deliveries.h"

namespace bitcontent::pricing {

inline constexpr absl::Duration kPreviousSecretLifetime = absl::Hours(24);

// Where and how one delivery is sent.
struct SigningTarget {
  std::string url;
  std::vector<std::string> secrets;  // current first, then the previous one while it lasts
};

class WebhookEndpoints {
 public:
  // `db` and `deliveries` must outlive this.
  WebhookEndpoints(const PaywallDb& db, WebhookDeliveries* deliveries)
      : db_(db), deliveries_(deliveries) {}

  // Registers an endpoint (at most kEndpointsPerOwnerMax per owner); the same request_id
  // again answers the same endpoint and its current secret.
  absl::StatusOr<v1::CreateWebhookEndpointResponse> Create(
      std::string_view user_id, const v1::CreateWebhookEndpointRequest& request, absl::Time now);
  absl::StatusOr<v1::ListWebhookEndpointsResponse> List(
      std::string_view user_id, const v1::ListWebhookEndpointsRequest& request) const;
  // Changes the fields named in the mask ("url", "event_types", "state", "description").
  absl::StatusOr<v1::WebhookEndpoint> Update(std::string_view user_id, std::string_view endpoint_id,
                                             const v1::UpdateWebhookEndpointRequest& request,
                                             absl::Time now);
  // Deletes it with its deliveries (pending ones are dropped).
  absl::Status Delete(std::string_view user_id, std::string_view endpoint_id);
  // A new secret; the previous one keeps signing for kPreviousSecretLifetime.
  absl::StatusOr<v1::CreateWebhookEndpointResponse> Rotate(
      std::string_view user_id, std::string_view endpoint_id,
      const v1::RotateWebhookSecretRequest& request, absl::Time now);

  // The endpoint; NOT_FOUND when the owner has no such one.
  absl::StatusOr<storage::EndpointRecord> Get(std::string_view user_id,
                                              std::string_view endpoint_id) const;
  // The owner's ENABLED endpoints subscribed to `type`.
  absl::StatusOr<std::vector<v1::WebhookEndpoint>> Subscribed(std::string_view user_id,
                                                              v1::WebhookEventType type) const;
  // The URL and the secrets that sign a delivery at `now`.
  absl::StatusOr<SigningTarget> Target(std::string_view user_id, std::string_view endpoint_id,
                                       absl::Time now) const;

 private:
  absl::StatusOr<std::vector<storage::EndpointRecord>> All(std::string_view user_id) const;

  const PaywallDb& db_;
  WebhookDeliveries* const deliveries_;
  kit::StripedLocks<> locks_;
};

// A new secret: "whsec_" + base64url of 32 random bytes.
std::string NewWebhookSecret();

}  // namespace bitcontent::pricing
