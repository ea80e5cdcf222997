// PaywallResources: the things a third-party app sells (an article, a report), each with
// the app's own external id (unique per owner), a title, a price and a split. Plain
// domain logic over PaywallDb; the gRPC surface (paywall_service.h) checks the caller
// and passes the caller's user id.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/paywall_service.pb.h"
#include "libs/kit/striped_locks.h"
#include "services/pricing/backends.h"
#include "services/pricing/paywall_db.h"
#include "services/pricing/subjects.h"

namespace bitcontent::pricing {

class PaywallResources {
 public:
  // `db` must outlive this.
  explicit PaywallResources(const PaywallDb& db) : db_(db) {}

  // Creates a resource of `user_id`; ALREADY_EXISTS (NAME_CONFLICT, naming the existing
  // resource) for an external id the owner already uses; the same request_id again
  // answers the resource it made. Every user its split names must be a member (asked of
  // `members`; INVALID_ARGUMENT naming the recipient otherwise).
  absl::StatusOr<v1::PaywallResource> Create(std::string_view user_id,
                                             const v1::CreatePaywallResourceRequest& request,
                                             Members* members, absl::Time now);
  // NOT_FOUND when the owner has no such resource.
  absl::StatusOr<v1::PaywallResource> Get(std::string_view user_id,
                                          std::string_view resource_id) const;
  absl::StatusOr<v1::PaywallResource> Lookup(std::string_view user_id,
                                             std::string_view external_id) const;
  // Oldest first; archived ones only with show_archived.
  absl::StatusOr<v1::ListPaywallResourcesResponse> List(
      std::string_view user_id, const v1::ListPaywallResourcesRequest& request) const;
  // Changes the fields named in the mask ("title", "url", "price_msat", "split"); a new
  // split's users must be members, as for Create.
  absl::StatusOr<v1::PaywallResource> Update(std::string_view user_id, std::string_view resource_id,
                                             const v1::UpdatePaywallResourceRequest& request,
                                             Members* members, absl::Time now);
  // Stops new purchases; archiving again changes nothing.
  absl::StatusOr<v1::PaywallResource> Archive(std::string_view user_id,
                                              std::string_view resource_id, absl::Time now);

  // The terms "users/{user}/paywallResources/{resource}" sells on; NOT_FOUND otherwise.
  absl::StatusOr<SubjectTerms> Terms(std::string_view subject) const;

 private:
  absl::Status Put(std::string_view user_id, const v1::PaywallResource& resource,
                   store::WriteBatch* batch);

  const PaywallDb& db_;
  kit::StripedLocks<> locks_;
};

}  // namespace bitcontent::pricing
