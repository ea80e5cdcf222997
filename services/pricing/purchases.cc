#include "services/pricing/purchases.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/pricing/paywall_requests.h"
#include "services/pricing/purchase_ids.h"
#include "services/pricing/receipts.h"
#include "services/wallet/transfer_outcome.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::pricing {

struct Purchases::Attempt {
  v1::QuoteClaims claims = {};
  std::string quote_token = {};
  std::string buyer_id = {};
  std::string api_key = {};
  ledger::Id reference = {};
  std::string purchase_id = {};
  // The buyer's guard (0: none); checked once the buyer is known to pay something.
  uint64_t max_amount_msat = 0;
};

namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

absl::Status QuoteExpired() {
  return kit::WithReason(
      absl::FailedPreconditionError("the quote expired; ask for a new one (CreateQuote)"),
      common::v1::ERROR_REASON_QUOTE_EXPIRED);
}

// The first failure of a chain's results: the transfer that failed says why; the others
// of its chain only LINKED_EVENT_FAILED.
absl::Status OutcomeOf(const std::vector<wallet::v1::CreateTransferResult>& results) {
  absl::Status linked = absl::OkStatus();
  for (const wallet::v1::CreateTransferResult result : results) {
    const auto engine = static_cast<ledger::CreateTransferResult>(result);
    if (ledger::Succeeded(engine)) continue;
    if (engine == ledger::CreateTransferResult::kIdAlreadyFailed) {
      // The ledger remembers a chain that failed for lack of funds; so do we, unless
      // pricing stopped before it could write it down.
      return absl::FailedPreconditionError(
          "an earlier attempt to pay this quote failed and moved nothing; ask for a new quote");
    }
    if (engine == ledger::CreateTransferResult::kLinkedEventFailed) {
      if (linked.ok()) linked = wallet::StatusOfResult(engine);
      continue;
    }
    return wallet::StatusOfResult(engine);
  }
  return linked;
}

// The recorded failure of an earlier attempt, answered again to its retry: the same code
// and details (reason), and a message saying that this key (or quote) stays failed.
absl::Status StatusOfFailure(const storage::PurchaseFailure& failure, bool by_subject) {
  const std::string message = absl::StrCat(
      by_subject ? "an earlier attempt with this Idempotency-Key (request_id) failed and moved "
                   "nothing: "
                 : "an earlier attempt to pay this quote failed and moved nothing: ",
      failure.message(),
      by_subject ? " This key stays failed: send a new Idempotency-Key to try again."
                 : " This quote stays failed: ask for a new quote to try again.");
  absl::Status status(static_cast<absl::StatusCode>(failure.code()), message);
  if (!failure.details().empty()) {
    status.SetPayload(kit::kErrorDetailsPayloadUrl, absl::Cord(failure.details()));
  }
  return status;
}

absl::Status KeyReused(absl::string_view why) {
  return kit::WithReason(absl::FailedPreconditionError(why),
                         common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
}

// The earlier answer to the same key (or quote) bought `first_subject`; another subject
// under it is a reused key, never a second purchase answered with the first.
absl::Status CheckSameSubject(std::string_view given, std::string_view first_subject) {
  if (given.empty() || first_subject.empty() || given == first_subject) return absl::OkStatus();
  return KeyReused(absl::StrCat("this Idempotency-Key (request_id) already bought ",
                                Absl(first_subject), "; send a new one to buy ", Absl(given)));
}

// INSUFFICIENT_FUNDS for `chain`, saying what it needed and what the buyer's wallet has
// (asked of the ledger; left out when it does not answer), and what to do next.
absl::Status InsufficientFunds(const std::vector<wallet::v1::Transfer>& chain,
                               PurchaseLedger* ledger) {
  uint64_t needed_msat = 0;
  for (const wallet::v1::Transfer& transfer : chain) needed_msat += transfer.amount_msat();
  const absl::StatusOr<uint64_t> available_msat =
      chain.empty() ? absl::StatusOr<uint64_t>(absl::NotFoundError("no chain"))
                    : ledger->AvailableMsat(chain.front().debit_account_id());
  const std::string available =
      available_msat.ok() ? absl::StrCat(*available_msat) : std::string("unknown");
  return kit::WithReason(
      absl::FailedPreconditionError(absl::StrCat(
          "insufficient funds: this purchase needs ", needed_msat, " msat and your wallet has ",
          available_msat.ok() ? absl::StrCat(*available_msat, " msat") : "less",
          " available (held amounts count as spent); nothing was moved. Add funds, then buy "
          "again with a new quote or a new Idempotency-Key (this attempt stays failed).")),
      common::v1::ERROR_REASON_INSUFFICIENT_FUNDS,
      {{"required_msat", absl::StrCat(needed_msat)}, {"available_msat", available}});
}

absl::Status NotOnSale(std::string_view subject) {
  return kit::WithReason(
      absl::FailedPreconditionError(absl::StrCat(Absl(subject), " is no longer on sale")),
      common::v1::ERROR_REASON_UNSPECIFIED, {{kRefusalFact, "NOT_ON_SALE"}});
}

SubjectTerms TermsOf(const storage::PendingPurchase& pending) {
  return {.subject = pending.claims().subject(),
          .seller = pending.seller(),
          .price_msat = pending.claims().amount_msat(),
          .split = {},
          .revision = pending.claims().price_revision(),
          .title = pending.title(),
          .external_id = pending.external_id(),
          .on_sale = true,
          .stream_only = false};
}

}  // namespace

absl::StatusOr<v1::Purchase> Purchases::Create(const PurchaseOrder& order,
                                               const PurchaseBackends& backends, absl::Time now) {
  if (order.quote_token.empty() == order.subject.empty()) {
    return kit::FieldError("quote_token",
                           order.quote_token.empty()
                               ? "is required, or a subject instead: give a quote_token (from "
                                 "CreateQuote) or a subject to buy at its terms now"
                               : "give either a quote_token (from CreateQuote) or a subject to buy "
                                 "at its terms now, not both");
  }
  std::optional<v1::QuoteClaims> claims;
  std::string quote_id;
  if (!order.quote_token.empty()) {
    absl::StatusOr<v1::QuoteClaims> verified = parts_.quotes->Verify(order.quote_token, now);
    if (!verified.ok()) return verified.status();
    if (verified->buyer() != absl::StrCat("users/", Absl(order.buyer_id))) {
      return absl::PermissionDeniedError(
          "this quote was made for another member; ask for your own");
    }
    quote_id = verified->quote_id();
    claims = *std::move(verified);
  } else {
    // The key is what makes a retry pay once, so it is required here.
    if (absl::Status key = CheckRequestId(order.request_id); !key.ok()) return key;
    quote_id = QuoteIdOfRequest(order.buyer_id, order.request_id);
  }
  Attempt attempt = {.quote_token = std::string(order.quote_token),
                     .buyer_id = std::string(order.buyer_id),
                     .api_key = std::string(order.api_key),
                     .max_amount_msat = order.max_amount_msat};
  attempt.reference = PurchaseReference(attempt.buyer_id, quote_id);
  attempt.purchase_id = wallet::IdToHex(attempt.reference);
  const store::Store& db = parts_.db->store();

  absl::MutexLock lock(&locks_.For(attempt.buyer_id));
  // A retry answers as the first attempt did, even once the subject is off sale.
  absl::StatusOr<std::optional<storage::PurchaseRecord>> done =
      store::FindRecord<storage::PurchaseRecord>(db, parts_.db->purchases, attempt.purchase_id);
  if (!done.ok()) return done.status();
  if (done->has_value()) return Replay(attempt, order, (*done)->purchase());
  absl::StatusOr<std::optional<storage::PurchaseFailure>> failed =
      store::FindRecord<storage::PurchaseFailure>(db, parts_.db->purchase_failures,
                                                  attempt.purchase_id);
  if (!failed.ok()) return failed.status();
  if (failed->has_value()) {
    if (absl::Status same = CheckSameSubject(order.subject, (*failed)->subject()); !same.ok()) {
      return same;
    }
    return StatusOfFailure(**failed, order.quote_token.empty());
  }
  if (!order.subject.empty()) {
    absl::StatusOr<std::optional<storage::PendingPurchase>> pending =
        store::FindRecord<storage::PendingPurchase>(db, parts_.db->pending_purchases,
                                                    attempt.purchase_id);
    if (!pending.ok()) return pending.status();
    if (pending->has_value()) {
      if (absl::Status same = CheckSameSubject(order.subject, (*pending)->claims().subject());
          !same.ok()) {
        return same;
      }
    }
  }
  if (!claims.has_value()) {
    absl::StatusOr<v1::QuoteClaims> quoted =
        parts_.quotes->ClaimsFor(order.buyer_id, order.subject, quote_id, *backends.catalog, now);
    if (!quoted.ok()) return quoted.status();
    claims = *std::move(quoted);
  }
  if (absl::Status bound = BindKey(attempt.buyer_id, order.request_id, claims->subject());
      !bound.ok()) {
    return bound;
  }
  attempt.claims = *std::move(claims);
  return Settle(attempt, backends, now);
}

absl::Status Purchases::BindKey(std::string_view buyer_id, std::string_view request_id,
                                std::string_view subject) const {
  if (request_id.empty()) return absl::OkStatus();
  if (absl::Status valid = CheckRequestId(request_id); !valid.ok()) return valid;
  const std::string key = absl::StrCat(Absl(buyer_id), Absl(request_id));
  absl::StatusOr<std::string> first = parts_.db->store().Get(parts_.db->purchase_keys, key);
  if (first.ok()) return CheckSameSubject(subject, *first);
  if (!absl::IsNotFound(first.status())) return first.status();
  // Not synced: the purchase's own commit, later, syncs it with it; lost in a crash
  // before that, it bound a key that bought nothing.
  store::WriteBatch batch;
  batch.Put(parts_.db->purchase_keys, key, subject);
  return parts_.db->store().Write(&batch, {.sync = false});
}

absl::StatusOr<v1::Purchase> Purchases::Replay(const Attempt& attempt, const PurchaseOrder& order,
                                               const v1::Purchase& first) const {
  if (absl::Status same = CheckSameSubject(order.subject, first.subject()); !same.ok()) {
    return same;
  }
  // An earlier answer that pointed at an older purchase (the buyer was entitled) charged
  // nothing under this key; only what this key itself charged meets the new guard.
  const uint64_t charged =
      first.name() == PurchaseName(attempt.reference) ? first.amount_msat() : 0;
  if (order.max_amount_msat != 0 && charged > order.max_amount_msat) {
    return KeyReused(absl::StrCat(order.quote_token.empty()
                                      ? "this Idempotency-Key (request_id) already bought "
                                      : "this quote already paid for ",
                                  first.subject(), " for ", charged, " msat (", first.name(),
                                  "), more than this max_amount_msat (", order.max_amount_msat,
                                  "); nothing more was charged"));
  }
  return first;
}

absl::StatusOr<v1::Purchase> Purchases::Settle(const Attempt& given,
                                               const PurchaseBackends& backends, absl::Time now) {
  absl::StatusOr<std::optional<storage::PendingPurchase>> pending =
      store::FindRecord<storage::PendingPurchase>(parts_.db->store(), parts_.db->pending_purchases,
                                                  given.purchase_id);
  if (!pending.ok()) return pending.status();
  if (pending->has_value()) {
    // An earlier attempt sent the chain: finish that one, as it was sent (a purchase by
    // subject priced it then) and with the key it charged.
    Attempt attempt = given;
    attempt.claims = (*pending)->claims();
    attempt.api_key = (*pending)->api_key();
    const SubjectTerms terms = TermsOf(**pending);
    if (now >= auth::TimeFromProto(attempt.claims.expire_time())) {
      return FinishExpired(attempt, terms, backends, now);
    }
    return Pay(attempt, terms, backends, /*pending=*/true, now);
  }
  if (now >= auth::TimeFromProto(given.claims.expire_time())) return QuoteExpired();
  absl::StatusOr<SubjectTerms> terms = backends.catalog->Terms(given.claims.subject());
  if (absl::IsNotFound(terms.status())) return NotOnSale(given.claims.subject());
  if (!terms.ok()) return terms.status();
  // Entitled first: a buyer keeps what they bought after the seller stops selling it.
  absl::StatusOr<std::optional<v1::Entitlement>> entitled =
      parts_.entitlements->Find(given.buyer_id, given.claims.subject());
  if (!entitled.ok()) return entitled.status();
  if (entitled->has_value()) return AlreadyEntitled(given, **entitled, *terms, now);
  if (!terms->on_sale) return NotOnSale(given.claims.subject());
  absl::StatusOr<bool> shared =
      backends.catalog->SharedWith(given.claims.subject(), given.buyer_id);
  if (!shared.ok()) return shared.status();
  if (*shared) return Shared(given, now);
  if (given.max_amount_msat != 0 && given.claims.amount_msat() > given.max_amount_msat) {
    return kit::WithReason(absl::FailedPreconditionError(absl::StrCat(
                               given.quote_token.empty() ? "the price is " : "the quote asks for ",
                               given.claims.amount_msat(), " msat, more than max_amount_msat (",
                               given.max_amount_msat, "); nothing was charged")),
                           common::v1::ERROR_REASON_UNSPECIFIED,
                           {{kRefusalFact, "PRICE_ABOVE_MAX"},
                            {"required_msat", absl::StrCat(given.claims.amount_msat())},
                            {"max_amount_msat", absl::StrCat(given.max_amount_msat)}});
  }
  // Every member the chain credits must still be one: a disabled member's wallet takes
  // nothing new (docs/wallet.md), and a chain cut short would leave the split unpaid.
  if (absl::Status payable = backends.members->CheckPayable(CreditedMembers(given.claims.lines()));
      !payable.ok()) {
    return payable;
  }
  return Pay(given, *terms, backends, /*pending=*/false, now);
}

absl::StatusOr<v1::Purchase> Purchases::AlreadyEntitled(const Attempt& attempt,
                                                        const v1::Entitlement& entitlement,
                                                        const SubjectTerms& terms, absl::Time now) {
  absl::StatusOr<std::string> first_id = PurchaseIdOfName(entitlement.purchase(), "purchase");
  absl::StatusOr<std::optional<storage::PurchaseRecord>> first =
      first_id.ok() ? store::FindRecord<storage::PurchaseRecord>(parts_.db->store(),
                                                                 parts_.db->purchases, *first_id)
                    : absl::StatusOr<std::optional<storage::PurchaseRecord>>(std::nullopt);
  if (!first.ok()) return first.status();
  // An entitlement always has its purchase; without it, record a purchase of nothing.
  if (!first->has_value()) return Record(attempt, terms, {}, 0, now);
  // The answer is the purchase that granted the entitlement; kept under this attempt's
  // id too (not listed, earning nobody), so a retry answers the same and the key stays
  // bound to this subject.
  store::WriteBatch batch;
  store::PutRecord(&batch, parts_.db->purchases, attempt.purchase_id, **first);
  if (absl::Status s = parts_.db->store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return (*first)->purchase();
}

absl::StatusOr<v1::Purchase> Purchases::Shared(const Attempt& attempt, absl::Time now) {
  // A member the file is shared with reads it through the share: nothing is charged, no
  // entitlement is granted (leaving the share ends their access) and no receipt issued.
  // Recorded under this attempt's id (not listed) so that a retry answers the same.
  storage::PurchaseRecord record;
  v1::Purchase& purchase = *record.mutable_purchase();
  purchase.set_name(PurchaseName(attempt.reference));
  purchase.set_quote(QuoteName(attempt.claims.quote_id()));
  purchase.set_subject(attempt.claims.subject());
  purchase.set_buyer(attempt.claims.buyer());
  purchase.set_api_key(attempt.api_key);
  *purchase.mutable_create_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, parts_.db->purchases, attempt.purchase_id, record);
  if (absl::Status s = parts_.db->store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return purchase;
}

absl::StatusOr<std::vector<wallet::v1::Transfer>> Purchases::Chain(const Attempt& attempt,
                                                                   PurchaseLedger* ledger) const {
  absl::StatusOr<std::string> buyer = ledger->MemberAccount(attempt.buyer_id);
  if (!buyer.ok()) return buyer.status();
  std::vector<wallet::v1::Transfer> chain;
  for (int i = 0; i < attempt.claims.lines_size(); ++i) {
    const v1::SplitLine& line = attempt.claims.lines(i);
    const std::string user_id(kit::IdOfName(line.user()));
    // Nothing to move: an empty part, or the buyer's own share (say, as uploader).
    if (line.amount_msat() == 0 || (!line.platform_fee() && user_id == attempt.buyer_id)) continue;
    absl::StatusOr<std::string> credit =
        line.platform_fee() ? ledger->PlatformFeesAccount() : ledger->MemberAccount(user_id);
    if (!credit.ok()) return credit.status();
    wallet::v1::Transfer& transfer = chain.emplace_back();
    transfer.set_id(
        ledger::IdToBytes(PurchaseTransferId(attempt.reference, static_cast<uint32_t>(i))));
    transfer.set_debit_account_id(*buyer);
    transfer.set_credit_account_id(*credit);
    transfer.set_amount_msat(line.amount_msat());
    transfer.set_user_data_128(ledger::IdToBytes(attempt.reference));
    transfer.set_ledger(wallet::kBitcoinLedger);
    transfer.set_code(line.platform_fee() ? wallet::v1::TRANSFER_CODE_PLATFORM_FEE
                                          : wallet::v1::TRANSFER_CODE_PURCHASE_SHARE);
    transfer.mutable_flags()->set_linked(true);
  }
  if (!chain.empty()) chain.back().mutable_flags()->set_linked(false);
  return chain;
}

absl::StatusOr<v1::Purchase> Purchases::Pay(const Attempt& attempt, const SubjectTerms& terms,
                                            const PurchaseBackends& backends, bool pending,
                                            absl::Time now) {
  absl::StatusOr<std::vector<wallet::v1::Transfer>> chain = Chain(attempt, backends.ledger);
  if (!chain.ok()) return chain.status();
  const uint64_t amount_msat = attempt.claims.amount_msat();
  if (!pending) {
    storage::PendingPurchase record;
    *record.mutable_claims() = attempt.claims;
    record.set_quote_token(attempt.quote_token);
    record.set_api_key(attempt.api_key);
    record.set_create_time_us(absl::ToUnixMicros(now));
    record.set_seller(terms.seller);
    record.set_external_id(terms.external_id);
    record.set_title(terms.title);
    store::WriteBatch batch;
    store::PutRecord(&batch, parts_.db->pending_purchases, attempt.purchase_id, record);
    if (absl::Status s = parts_.db->store().Write(&batch, {.sync = true}); !s.ok()) return s;
  }
  if (!attempt.api_key.empty()) {
    // Charged per purchase id, so a retry counts once.
    if (absl::Status charged =
            backends.members->ChargeApiKey(attempt.api_key, amount_msat, attempt.purchase_id);
        !charged.ok()) {
      // Refused before any chain was sent by this attempt: forget it. A retry keeps the
      // record, since an earlier attempt's chain may be in the ledger.
      if (!pending) {
        (void)parts_.db->store().Delete(parts_.db->pending_purchases, attempt.purchase_id,
                                        {.sync = true});
      }
      return charged;
    }
  }
  if (!chain->empty()) {
    absl::StatusOr<std::vector<wallet::v1::CreateTransferResult>> results =
        backends.ledger->CreateTransfers(*chain);
    // No answer: the chain may or may not be in; the pending record lets a retry finish.
    if (!results.ok()) return results.status();
    if (absl::Status outcome = OutcomeOf(*results); !outcome.ok()) {
      if (kit::DetailsOf(outcome).reason() == common::v1::ERROR_REASON_INSUFFICIENT_FUNDS) {
        outcome = InsufficientFunds(*chain, backends.ledger);
      }
      if (absl::Status failed = Fail(attempt, outcome, backends.members); !failed.ok()) {
        return failed;
      }
      return outcome;
    }
  }
  return Record(attempt, terms, *chain, amount_msat, now);
}

absl::StatusOr<v1::Purchase> Purchases::FinishExpired(const Attempt& attempt,
                                                      const SubjectTerms& terms,
                                                      const PurchaseBackends& backends,
                                                      absl::Time now) {
  absl::StatusOr<std::vector<wallet::v1::Transfer>> chain = Chain(attempt, backends.ledger);
  if (!chain.ok()) return chain.status();
  std::vector<std::string> ids;
  for (const wallet::v1::Transfer& transfer : *chain) ids.push_back(transfer.id());
  absl::StatusOr<size_t> found = backends.ledger->CountTransfers(ids);
  if (!found.ok()) return found.status();
  if (*found == ids.size()) {
    return Record(attempt, terms, *chain, attempt.claims.amount_msat(), now);
  }
  // A linked chain commits whole or not at all.
  if (*found != 0) {
    return absl::InternalError(absl::StrCat("purchase ", attempt.purchase_id, ": ", *found, " of ",
                                            ids.size(), " transfers in the ledger"));
  }
  if (absl::Status failed = Fail(attempt, QuoteExpired(), backends.members); !failed.ok()) {
    return failed;
  }
  return QuoteExpired();
}

absl::Status Purchases::Fail(const Attempt& attempt, const absl::Status& status, Members* members) {
  storage::PurchaseFailure failure;
  failure.set_code(static_cast<int32_t>(status.code()));
  failure.set_message(std::string(status.message()));
  const common::v1::ErrorDetails details = kit::DetailsOf(status);
  if (details.ByteSizeLong() > 0) failure.set_details(details.SerializeAsString());
  failure.set_quote_expire_time_us(
      absl::ToUnixMicros(auth::TimeFromProto(attempt.claims.expire_time())));
  failure.set_subject(attempt.claims.subject());
  store::WriteBatch batch;
  store::PutRecord(&batch, parts_.db->purchase_failures, attempt.purchase_id, failure);
  batch.Delete(parts_.db->pending_purchases, attempt.purchase_id);
  if (absl::Status s = parts_.db->store().Write(&batch, {.sync = true}); !s.ok()) return s;
  if (!attempt.api_key.empty()) {
    // Best effort: a refund that fails leaves the key's limit lower, never money moved.
    (void)members->RefundApiKey(attempt.api_key, attempt.claims.amount_msat(), attempt.purchase_id);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Purchase> Purchases::Record(const Attempt& attempt, const SubjectTerms& terms,
                                               const std::vector<wallet::v1::Transfer>& chain,
                                               uint64_t amount_msat, absl::Time now) {
  v1::Purchase purchase;
  purchase.set_name(PurchaseName(attempt.reference));
  purchase.set_quote(QuoteName(attempt.claims.quote_id()));
  purchase.set_subject(attempt.claims.subject());
  purchase.set_buyer(attempt.claims.buyer());
  purchase.set_amount_msat(amount_msat);
  if (amount_msat > 0) *purchase.mutable_lines() = attempt.claims.lines();
  for (const wallet::v1::Transfer& transfer : chain) purchase.add_transfer_ids(transfer.id());
  purchase.set_api_key(attempt.api_key);
  *purchase.mutable_create_time() = auth::ProtoFromTime(now);

  store::WriteBatch batch;
  absl::StatusOr<std::optional<v1::Entitlement>> existing =
      parts_.entitlements->Find(attempt.buyer_id, purchase.subject());
  if (!existing.ok()) return existing.status();
  const v1::Entitlement entitlement =
      existing->has_value() ? **existing
                            : parts_.entitlements->Stage(attempt.buyer_id, purchase.subject(),
                                                         purchase.name(), now, &batch);
  purchase.set_entitlement(entitlement.name());

  v1::Receipt receipt;
  receipt.set_receipt_id(ids::NewRandomId());
  receipt.set_purchase(purchase.name());
  receipt.set_subject(purchase.subject());
  receipt.set_external_id(terms.external_id);
  receipt.set_seller(terms.seller);
  receipt.set_buyer_ref(BuyerRef(parts_.keys->buyer_ref_secret(), terms.seller, purchase.buyer()));
  receipt.set_amount_msat(amount_msat);
  *receipt.mutable_issue_time() = auth::ProtoFromTime(now);
  const auth::SigningKey& key = parts_.keys->receipt_keys().current();
  purchase.set_receipt_token(IssueReceipt(key, receipt));
  receipt.set_key_id(key.key_id);

  storage::PurchaseRecord record;
  *record.mutable_purchase() = purchase;
  *record.mutable_receipt() = receipt;
  store::PutRecord(&batch, parts_.db->purchases, attempt.purchase_id, record);
  batch.Put(parts_.db->buyer_purchases,
            absl::StrCat(attempt.buyer_id, store::EncodeTime(now), attempt.purchase_id), "");
  batch.Delete(parts_.db->pending_purchases, attempt.purchase_id);
  // A purchase that charged nothing (already entitled) earns nobody and tells no one.
  const bool paid = amount_msat > 0;
  if (paid) {
    parts_.earnings->StagePurchase(purchase, attempt.purchase_id, purchase.buyer(), now, &batch);
    for (PurchaseListener* listener : parts_.listeners) {
      listener->StagePurchase(purchase, receipt, terms, &batch);
    }
  }
  if (absl::Status s = parts_.db->store().Write(&batch, {.sync = true}); !s.ok()) return s;
  if (paid) {
    for (PurchaseListener* listener : parts_.listeners) listener->PurchaseCommitted();
  }
  return purchase;
}

absl::StatusOr<storage::PurchaseRecord> Purchases::Get(std::string_view caller_id,
                                                       std::string_view name) const {
  absl::StatusOr<std::string> id = PurchaseIdOfName(name, "name");
  if (!id.ok()) return id.status();
  absl::StatusOr<std::optional<storage::PurchaseRecord>> record =
      store::FindRecord<storage::PurchaseRecord>(parts_.db->store(), parts_.db->purchases, *id);
  if (!record.ok()) return record.status();
  const std::string caller = absl::StrCat("users/", Absl(caller_id));
  if (!record->has_value() ||
      ((*record)->purchase().buyer() != caller && (*record)->receipt().seller() != caller)) {
    return absl::NotFoundError(absl::StrCat("you have no purchase or sale ", Absl(name)));
  }
  if ((*record)->purchase().buyer() != caller) {
    // A seller knows the buyer only by the receipt's buyer_ref: not by name, nor by the
    // entitlement's (users/{buyer}/entitlements/...), nor by the key that paid.
    (*record)->mutable_purchase()->clear_buyer();
    (*record)->mutable_purchase()->clear_entitlement();
    (*record)->mutable_purchase()->clear_api_key();
  }
  return **std::move(record);
}

absl::StatusOr<v1::ListPurchasesResponse> Purchases::List(
    std::string_view buyer_id, const v1::ListPurchasesRequest& request) const {
  absl::StatusOr<size_t> page_size = kit::PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string prefix(buyer_id);
  std::string after;
  if (!request.page_token().empty()) {
    absl::StatusOr<std::string> suffix = crypto::Base64UrlDecode(request.page_token());
    if (!suffix.ok()) return kit::FieldError("page_token", "is not a token this listing returned");
    after = prefix + *suffix;
  }
  store::ScanOptions scan = {.prefix = prefix, .reverse = true, .limit = *page_size + 1};
  if (!after.empty()) scan.start_after = after;
  v1::ListPurchasesResponse response;
  std::string last;
  store::PrefixIterator it = parts_.db->store().Scan(parts_.db->buyer_purchases, scan);
  for (; it.Valid(); it.Next()) {
    if (static_cast<size_t>(response.purchases_size()) == *page_size) {
      response.set_next_page_token(crypto::Base64UrlEncode(last));
      break;
    }
    const std::string_view suffix = it.key().substr(prefix.size());
    last = std::string(suffix);
    const std::string id(suffix.substr(store::kUint64Size));
    absl::StatusOr<std::optional<storage::PurchaseRecord>> record =
        store::FindRecord<storage::PurchaseRecord>(parts_.db->store(), parts_.db->purchases, id);
    if (!record.ok()) return record.status();
    if (record->has_value()) *response.add_purchases() = (*record)->purchase();
  }
  if (!it.status().ok()) return it.status();
  return response;
}

absl::StatusOr<size_t> Purchases::Recover(const PurchaseBackends& backends, absl::Time now) {
  std::vector<storage::PendingPurchase> pending;
  store::PrefixIterator it = parts_.db->store().Scan(parts_.db->pending_purchases, {});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<storage::PendingPurchase> record =
        store::ParseRecord<storage::PendingPurchase>(parts_.db->pending_purchases, it.value());
    if (!record.ok()) return record.status();
    pending.push_back(*std::move(record));
  }
  if (!it.status().ok()) return it.status();
  size_t finished = 0;
  absl::Status first = absl::OkStatus();
  for (const storage::PendingPurchase& record : pending) {
    Attempt attempt = {.claims = record.claims(),
                       .quote_token = record.quote_token(),
                       .buyer_id = std::string(kit::IdOfName(record.claims().buyer())),
                       .api_key = record.api_key()};
    attempt.reference = PurchaseReference(attempt.buyer_id, attempt.claims.quote_id());
    attempt.purchase_id = wallet::IdToHex(attempt.reference);
    absl::MutexLock lock(&locks_.For(attempt.buyer_id));
    // A retry may have finished it since the scan; then there is nothing to do.
    absl::StatusOr<std::optional<storage::PendingPurchase>> still =
        store::FindRecord<storage::PendingPurchase>(
            parts_.db->store(), parts_.db->pending_purchases, attempt.purchase_id);
    if (!still.ok() || !still->has_value()) continue;
    absl::StatusOr<v1::Purchase> settled = Settle(attempt, backends, now);
    // A definite answer (settled, or failed and recorded) finishes it; no answer waits.
    if (settled.ok() || absl::IsFailedPrecondition(settled.status())) {
      ++finished;
    } else if (first.ok()) {
      first = settled.status();
    }
  }
  if (!first.ok()) return first;
  return finished;
}

}  // namespace bitcontent::pricing
