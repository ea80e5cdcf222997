// Entitlements: a member's right to download (and stream) a subject again without paying,
// granted by their first purchase of it, in the same batch as the purchase. Plain domain
// logic over PricingDb.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "libs/store/write_batch.h"
#include "services/pricing/pricing_db.h"

namespace bitcontent::pricing {

class Entitlements {
 public:
  // `db` must outlive this.
  explicit Entitlements(const PricingDb& db) : db_(db) {}

  // The member's entitlement to `subject`; nullopt when they hold none.
  absl::StatusOr<std::optional<v1::Entitlement>> Find(std::string_view user_id,
                                                      std::string_view subject) const;
  // Stages a new entitlement of `user_id` to `subject`, granted by `purchase`, in `batch`.
  v1::Entitlement Stage(std::string_view user_id, std::string_view subject,
                        std::string_view purchase, absl::Time now, store::WriteBatch* batch) const;
  // The member's entitlements, newest first (or the one for request.subject).
  absl::StatusOr<v1::ListEntitlementsResponse> List(
      std::string_view user_id, const v1::ListEntitlementsRequest& request) const;

 private:
  const PricingDb& db_;
};

}  // namespace bitcontent::pricing
