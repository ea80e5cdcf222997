// What is sold (a subject) and what happens when it is bought, seen from the purchase path.
// Files ("nodes/{node}") are priced by the pricing core; paywall resources
// ("users/{user}/paywallResources/{resource}") by the paywall. A purchase asks the catalog
// for the terms, and lets listeners stage what must commit with the purchase record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/pricing/v1/prices.pb.h"
#include "bitcontent/pricing/v1/purchases.pb.h"
#include "libs/store/write_batch.h"

namespace bitcontent::pricing {

// The terms a subject sells on, as a quote prices it.
struct SubjectTerms {
  std::string subject;      // "nodes/{node}" or "users/{user}/paywallResources/{resource}"
  std::string seller;       // "users/{user}": the owner, whose webhooks and earnings these are
  uint64_t price_msat = 0;  // what one purchase costs; 0 = free
  v1::SplitRule
      split;  // recipients; an empty user of OWNER/PUBLISHER/UPLOADER is filled by the catalog
  uint64_t revision = 0;     // Price.revision or PaywallResource.revision
  std::string title;         // public title shown to buyers
  std::string external_id;   // the app's own id (paywall resources only)
  bool on_sale = false;      // false: no new purchases (withdrawn / archived)
  bool stream_only = false;  // on sale for streaming only: downloads are not sold
};

// INVALID_ARGUMENT: `subject` has the shape of no subject (the catalogs' answer to it).
absl::Status MalformedSubject();

class SubjectCatalog {
 public:
  virtual ~SubjectCatalog() = default;
  // NOT_FOUND when nothing is sold under `subject`; MalformedSubject when it names no
  // subject at all.
  virtual absl::StatusOr<SubjectTerms> Terms(absl::string_view subject) const = 0;
  // True when the member `buyer_id` already reads `subject` without buying it (a file in
  // a folder shared with them), so they are not asked to pay. None by default.
  virtual absl::StatusOr<bool> SharedWith(absl::string_view /*subject*/,
                                          std::string_view /*buyer_id*/) const {
    return false;
  }
};

class PurchaseListener {
 public:
  virtual ~PurchaseListener() = default;
  // Called once per new purchase, with the pricing store's WriteBatch that records it
  // (sync=true): stage what must be durable exactly when the purchase is (webhook events).
  virtual void StagePurchase(const v1::Purchase& purchase, const v1::Receipt& receipt,
                             const SubjectTerms& terms, store::WriteBatch* batch) = 0;
  // Called after that batch committed (wake the deliverer).
  virtual void PurchaseCommitted() = 0;
};

}  // namespace bitcontent::pricing
