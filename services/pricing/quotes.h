// Quotes: the amount and exact split of a subject for one buyer, fixed for a few
// minutes (PricingSettings.quote_lifetime_seconds) and signed (a common.v1.SignedToken of
// v1.QuoteClaims, KEY_PURPOSE_QUOTE), so any pricing replica can honour it without
// having stored it. The terms come from a SubjectCatalog, the one way terms are obtained.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "services/pricing/entitlements.h"
#include "services/pricing/pricing_db.h"
#include "services/pricing/pricing_keys.h"
#include "services/pricing/settings.h"
#include "services/pricing/subjects.h"

namespace bitcontent::pricing {

// The ErrorDetails fact that says why a quote or purchase was refused when no ErrorReason
// names it (ErrorReason has none for these): "NOT_ON_SALE" (withdrawn, archived, or sold
// for streaming only, which also carries access_decision = STREAM_ONLY, as metadata's
// download refusals do) or "PRICE_ABOVE_MAX" (more than the buyer's max_amount_msat).
inline constexpr absl::string_view kRefusalFact = "refusal";

class Quotes {
 public:
  // Every argument must outlive this.
  Quotes(const PricingDb& db, const PricingKeys* keys, const PricingSettingsStore* settings,
         const Entitlements* entitlements)
      : db_(db), keys_(keys), settings_(settings), entitlements_(entitlements) {}

  // A quote of `request.subject` for `buyer_id`. NOT_FOUND when nothing is sold under the
  // subject; FAILED_PRECONDITION when it is not on sale now (refusal NOT_ON_SALE), or the buyer
  // sells it. already_entitled when the buyer holds an entitlement or reads the subject
  // through a share. With a request_id, a retry returns the same quote (and the same key
  // with another subject is IDEMPOTENCY_KEY_REUSED).
  absl::StatusOr<v1::Quote> Create(std::string_view buyer_id, const v1::CreateQuoteRequest& request,
                                   const SubjectCatalog& catalog, absl::Time now) const;

  // The claims of a quote of `subject` for `buyer_id` under `quote_id`, made inside a
  // purchase that names no quote (CreatePurchaseRequest.subject). Errors as Create's.
  absl::StatusOr<v1::QuoteClaims> ClaimsFor(std::string_view buyer_id, std::string_view subject,
                                            std::string quote_id, const SubjectCatalog& catalog,
                                            absl::Time now) const;

  // The claims of a quote token whose signature verifies (expiry is the caller's to
  // check); INVALID_ARGUMENT naming quote_token otherwise.
  absl::StatusOr<v1::QuoteClaims> Verify(std::string_view quote_token, absl::Time now) const;

 private:
  absl::StatusOr<v1::Quote> Make(std::string_view buyer_id, const SubjectTerms& terms,
                                 const SubjectCatalog& catalog, absl::Time now) const;
  v1::QuoteClaims ClaimsOf(std::string_view buyer_id, const SubjectTerms& terms,
                           std::string quote_id, const v1::PricingSettings& settings,
                           absl::Time now) const;
  // The terms of `subject` if `buyer_id` may buy it now, or already holds it (a buyer of
  // something withdrawn or archived since is answered as entitled, charged nothing);
  // FAILED_PRECONDITION when it is not on sale (refusal NOT_ON_SALE; with
  // access_decision = STREAM_ONLY when it is sold for streaming only) or is the buyer's
  // own.
  absl::StatusOr<SubjectTerms> TermsForSale(std::string_view buyer_id, std::string_view subject,
                                            const SubjectCatalog& catalog) const;

  const PricingDb& db_;
  const PricingKeys* const keys_;
  const PricingSettingsStore* const settings_;
  const Entitlements* const entitlements_;
};

// The members ("users/{id}") a quote's lines credit, whom a purchase pays: each must be
// an active member (PurchaseMembers::CheckPayable) for it to be bought.
std::vector<std::string> CreditedMembers(
    const google::protobuf::RepeatedPtrField<v1::SplitLine>& lines);

// "quotes/{quote}" of a quote id (16 bytes): 32 lowercase hex characters.
std::string QuoteName(std::string_view quote_id);

}  // namespace bitcontent::pricing
