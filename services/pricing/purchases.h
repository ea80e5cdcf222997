// Purchases: paying a quote as one linked ledger chain (buyer -> each recipient, buyer ->
// platform fee), then recording the purchase, the entitlement, the earnings rows, the
// receipt and the listeners' staged events (webhooks) in one synced pricing batch.
//
// Idempotent per buyer and quote: the purchase id and every transfer id derive from
// them (purchase_ids.h), so a double click or a retry charges once. Crash safe: a
// pending record is written before the chain goes to the ledger and removed by the
// batch that records the outcome; a retry of the same quote, or Recover() at the next
// start, resubmits the same chain (the ledger answers EXISTS for what it committed) and
// finishes recording — even after the quote expired, if the ledger has the chain.
// A failed attempt is recorded too, so retrying the quote answers the same error.
// Thread-safe: attempts of one buyer run one at a time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "libs/kit/striped_locks.h"
#include "libs/ledger/id.h"
#include "services/pricing/backends.h"
#include "services/pricing/earnings.h"
#include "services/pricing/entitlements.h"
#include "services/pricing/pricing_db.h"
#include "services/pricing/pricing_keys.h"
#include "services/pricing/pricing_records.pb.h"
#include "services/pricing/quotes.h"
#include "services/pricing/subjects.h"

namespace bitcontent::pricing {

struct PurchaseOrder {
  std::string_view buyer_id = {};
  // "users/{user}/apiKeys/{key}" when an API key pays (its spend limit is charged).
  std::string_view api_key = {};
  // The quote to pay; or, with quote_token empty, `subject` bought at its terms now,
  // idempotent per buyer and request_id (CreatePurchaseRequest.subject).
  std::string_view quote_token = {};
  std::string_view subject = {};
  std::string_view request_id = {};
  // 0: no guard.
  uint64_t max_amount_msat = 0;
};

// What one request reaches other services through; each must outlive the call.
struct PurchaseBackends {
  const SubjectCatalog* catalog = nullptr;
  PurchaseLedger* ledger = nullptr;
  Members* members = nullptr;
};

struct PurchaseParts {
  const PricingDb* db = nullptr;
  const PricingKeys* keys = nullptr;
  const Quotes* quotes = nullptr;
  const Entitlements* entitlements = nullptr;
  const Earnings* earnings = nullptr;
  // Staged with each new paid purchase (the paywall's webhooks); may be empty.
  std::vector<PurchaseListener*> listeners;
};

class Purchases {
 public:
  // Every part must outlive this.
  explicit Purchases(PurchaseParts parts) : parts_(std::move(parts)) {}

  // Pays `order.quote_token` (or `order.subject`) for `order.buyer_id`.
  // FAILED_PRECONDITION with QUOTE_EXPIRED, INSUFFICIENT_FUNDS (nothing moved, saying
  // what was needed and available), or with the fact refusal = PRICE_ABOVE_MAX (more
  // than max_amount_msat) or NOT_ON_SALE (kRefusalFact); PERMISSION_DENIED for another member's
  // quote; INVALID_ARGUMENT for both a quote and a subject, or neither.
  //
  // A retry (the same quote, or the same subject and request_id) answers as the first
  // attempt did; the same request_id with another subject is IDEMPOTENCY_KEY_REUSED, as
  // is a retry whose max_amount_msat is below what the first attempt charged. A buyer
  // already entitled is charged nothing and answered the purchase that granted the
  // entitlement; a member the file is shared with is charged nothing and answered a
  // purchase of 0 msat without entitlement or receipt.
  absl::StatusOr<v1::Purchase> Create(const PurchaseOrder& order, const PurchaseBackends& backends,
                                      absl::Time now);
  // The purchase, for its buyer or seller; NOT_FOUND for anyone else.
  absl::StatusOr<storage::PurchaseRecord> Get(std::string_view caller_id,
                                              std::string_view name) const;
  // The buyer's purchases, newest first.
  absl::StatusOr<v1::ListPurchasesResponse> List(std::string_view buyer_id,
                                                 const v1::ListPurchasesRequest& request) const;
  // Finishes every purchase a crash left pending; returns how many it settled or failed.
  // Needs backends.ledger and backends.members only.
  absl::StatusOr<size_t> Recover(const PurchaseBackends& backends, absl::Time now);

 private:
  struct Attempt;

  absl::StatusOr<v1::Purchase> Settle(const Attempt& attempt, const PurchaseBackends& backends,
                                      absl::Time now);
  // Binds the buyer's `request_id` (when given) to `subject` on its first purchase:
  // IDEMPOTENCY_KEY_REUSED when it bought another subject before, with a quote or without.
  absl::Status BindKey(std::string_view buyer_id, std::string_view request_id,
                       std::string_view subject) const;
  // The first answer to this attempt's key (or quote), checked against `order`.
  absl::StatusOr<v1::Purchase> Replay(const Attempt& attempt, const PurchaseOrder& order,
                                      const v1::Purchase& first) const;
  absl::StatusOr<v1::Purchase> AlreadyEntitled(const Attempt& attempt,
                                               const v1::Entitlement& entitlement,
                                               const SubjectTerms& terms, absl::Time now);
  absl::StatusOr<v1::Purchase> Shared(const Attempt& attempt, absl::Time now);
  absl::StatusOr<std::vector<wallet::v1::Transfer>> Chain(const Attempt& attempt,
                                                          PurchaseLedger* ledger) const;
  absl::StatusOr<v1::Purchase> Pay(const Attempt& attempt, const SubjectTerms& terms,
                                   const PurchaseBackends& backends, bool pending, absl::Time now);
  absl::StatusOr<v1::Purchase> Record(const Attempt& attempt, const SubjectTerms& terms,
                                      const std::vector<wallet::v1::Transfer>& chain,
                                      uint64_t amount_msat, absl::Time now);
  absl::Status Fail(const Attempt& attempt, const absl::Status& status, Members* members);
  absl::StatusOr<v1::Purchase> FinishExpired(const Attempt& attempt, const SubjectTerms& terms,
                                             const PurchaseBackends& backends, absl::Time now);

  const PurchaseParts parts_;
  // Many stripes: an attempt holds its buyer's stripe across the ledger call.
  kit::StripedLocks<1024> locks_;
};

}  // namespace bitcontent::pricing
