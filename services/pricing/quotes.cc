#include "services/pricing/quotes.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/auth/signed_token.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"
#include "libs/kit/error_details.h"
#include "libs/split/split.h"
#include "libs/store/record_io.h"
#include "services/pricing/paywall_requests.h"
#include "services/pricing/pricing_records.pb.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

constexpr size_t kQuoteIdBytes = 16;
constexpr size_t kSubjectBytesMax = 256;

absl::Status CheckSubject(std::string_view subject) {
  if (!subject.empty() && subject.size() <= kSubjectBytesMax) return absl::OkStatus();
  return kit::FieldError("subject",
                         "must be \"nodes/{node}\" or "
                         "\"users/{user}/paywallResources/{resource}\"");
}

}  // namespace

std::string QuoteName(std::string_view quote_id) {
  return absl::StrCat("quotes/", crypto::HexEncode(Absl(quote_id)));
}

v1::QuoteClaims Quotes::ClaimsOf(std::string_view buyer_id, const SubjectTerms& terms,
                                 std::string quote_id, const v1::PricingSettings& settings,
                                 absl::Time now) const {
  v1::QuoteClaims claims;
  claims.set_quote_id(std::move(quote_id));
  claims.set_subject(terms.subject);
  claims.set_buyer(absl::StrCat("users/", Absl(buyer_id)));
  claims.set_amount_msat(terms.price_msat);
  for (v1::SplitLine& line :
       SplitLines(terms.price_msat, settings.platform_fee_basis_points(), terms.split)) {
    *claims.add_lines() = std::move(line);
  }
  claims.set_price_revision(terms.revision);
  *claims.mutable_issue_time() = auth::ProtoFromTime(now);
  *claims.mutable_expire_time() =
      auth::ProtoFromTime(now + absl::Seconds(settings.quote_lifetime_seconds()));
  return claims;
}

absl::StatusOr<v1::Quote> Quotes::Make(std::string_view buyer_id, const SubjectTerms& terms,
                                       const SubjectCatalog& catalog, absl::Time now) const {
  const v1::PricingSettings settings = settings_->Get();
  absl::StatusOr<std::optional<v1::Entitlement>> entitled =
      entitlements_->Find(buyer_id, terms.subject);
  if (!entitled.ok()) return entitled.status();
  // A member who reads it through a share pays nothing either.
  absl::StatusOr<bool> shared =
      entitled->has_value() ? false : catalog.SharedWith(terms.subject, buyer_id);
  if (!shared.ok()) return shared.status();
  const v1::QuoteClaims claims =
      ClaimsOf(buyer_id, terms, crypto::RandomBytes(kQuoteIdBytes), settings, now);
  v1::Quote quote;
  quote.set_name(QuoteName(claims.quote_id()));
  quote.set_subject(claims.subject());
  quote.set_buyer(claims.buyer());
  quote.set_amount_msat(claims.amount_msat());
  *quote.mutable_lines() = claims.lines();
  if (std::optional<common::v1::FiatAmount> fiat = FiatOf(claims.amount_msat(), settings)) {
    *quote.mutable_amount_fiat() = *fiat;
  }
  quote.set_public_title(terms.title);
  quote.set_already_entitled(entitled->has_value() || *shared);
  *quote.mutable_create_time() = claims.issue_time();
  *quote.mutable_expire_time() = claims.expire_time();
  quote.set_quote_token(auth::SignToken(common::v1::KEY_PURPOSE_QUOTE,
                                        keys_->quote_keys().current(), claims.SerializeAsString()));
  return quote;
}

std::vector<std::string> CreditedMembers(
    const google::protobuf::RepeatedPtrField<v1::SplitLine>& lines) {
  std::vector<std::string> credited;
  for (const v1::SplitLine& line : lines) {
    if (!line.user().empty()) credited.push_back(line.user());
  }
  return credited;
}

absl::StatusOr<v1::Quote> Quotes::Create(std::string_view buyer_id,
                                         const v1::CreateQuoteRequest& request,
                                         const SubjectCatalog& catalog, absl::Time now) const {
  if (absl::Status subject = CheckSubject(request.subject()); !subject.ok()) return subject;
  const std::string request_key = absl::StrCat(Absl(buyer_id), request.request_id());
  if (!request.request_id().empty()) {
    if (absl::Status key = CheckRequestId(request.request_id()); !key.ok()) return key;
    absl::StatusOr<std::optional<storage::QuoteRequestRecord>> earlier =
        store::FindRecord<storage::QuoteRequestRecord>(db_.store(), db_.quote_requests,
                                                       request_key);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      if ((*earlier)->quote().subject() == request.subject()) return (*earlier)->quote();
      return kit::WithReason(
          absl::FailedPreconditionError("this request_id was already used for a quote of another "
                                        "subject; use a new one"),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
    }
  }
  absl::StatusOr<SubjectTerms> terms = TermsForSale(buyer_id, request.subject(), catalog);
  if (!terms.ok()) return terms.status();
  absl::StatusOr<v1::Quote> quote = Make(buyer_id, *terms, catalog, now);
  if (!quote.ok() || request.request_id().empty()) return quote;
  storage::QuoteRequestRecord record;
  *record.mutable_quote() = *quote;
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.quote_requests, request_key, record);
  if (absl::Status written = db_.store().Write(&batch, {.sync = true}); !written.ok()) {
    return written;
  }
  return quote;
}

absl::StatusOr<SubjectTerms> Quotes::TermsForSale(std::string_view buyer_id,
                                                  std::string_view subject,
                                                  const SubjectCatalog& catalog) const {
  absl::StatusOr<SubjectTerms> terms = catalog.Terms(Absl(subject));
  if (!terms.ok()) return terms.status();
  if (terms->stream_only || !terms->on_sale || terms->price_msat == 0) {
    // An earlier buyer still holds it: the quote says already_entitled and a purchase
    // answers the one that granted it, so an app can confirm a reader after archiving.
    absl::StatusOr<std::optional<v1::Entitlement>> entitled =
        entitlements_->Find(buyer_id, terms->subject);
    if (!entitled.ok()) return entitled.status();
    if (entitled->has_value()) return terms;
  }
  if (terms->stream_only) {
    return kit::WithReason(absl::FailedPreconditionError(absl::StrCat(
                               Absl(subject),
                               " is sold for streaming only: downloads are not sold, so there is "
                               "nothing to buy; it is paid as it is streamed (the streaming API)")),
                           common::v1::ERROR_REASON_UNSPECIFIED,
                           {{kRefusalFact, "NOT_ON_SALE"}, {"access_decision", "STREAM_ONLY"}});
  }
  if (!terms->on_sale || terms->price_msat == 0) {
    return kit::WithReason(absl::FailedPreconditionError(absl::StrCat(
                               Absl(subject), " is not on sale now (withdrawn, archived or free)")),
                           common::v1::ERROR_REASON_UNSPECIFIED, {{kRefusalFact, "NOT_ON_SALE"}});
  }
  if (terms->seller == absl::StrCat("users/", Absl(buyer_id))) {
    return absl::FailedPreconditionError(
        absl::StrCat("you sell ", Absl(subject), "; there is nothing to buy"));
  }
  return terms;
}

absl::StatusOr<v1::QuoteClaims> Quotes::ClaimsFor(std::string_view buyer_id,
                                                  std::string_view subject, std::string quote_id,
                                                  const SubjectCatalog& catalog,
                                                  absl::Time now) const {
  if (absl::Status checked = CheckSubject(subject); !checked.ok()) return checked;
  absl::StatusOr<SubjectTerms> terms = TermsForSale(buyer_id, subject, catalog);
  if (!terms.ok()) return terms.status();
  return ClaimsOf(buyer_id, *terms, std::move(quote_id), settings_->Get(), now);
}

absl::StatusOr<v1::QuoteClaims> Quotes::Verify(std::string_view quote_token, absl::Time now) const {
  if (quote_token.empty()) {
    return kit::FieldError("quote_token", "is required: the quote_token of a CreateQuote answer");
  }
  absl::StatusOr<std::string> payload = auth::VerifyToken(
      Absl(quote_token), common::v1::KEY_PURPOSE_QUOTE, keys_->quote_keys().keyring(), now);
  if (!payload.ok()) {
    return kit::FieldError("quote_token", absl::StrCat("is not a quote pricing signed (",
                                                       payload.status().message(), ")"));
  }
  v1::QuoteClaims claims;
  if (!claims.ParseFromString(*payload) || claims.quote_id().size() != kQuoteIdBytes) {
    return kit::FieldError("quote_token", "holds no valid quote");
  }
  return claims;
}

}  // namespace bitcontent::pricing
