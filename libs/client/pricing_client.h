// PricingClient: paid content as the client engine sees it, over the gateway's pricing
// routes. Creators put a file on sale: its key is sealed here, on the client, to
// pricing's escrow key (published at GET /v1/keys), which is the one consent to escrow
// selling means (docs/security.md). Buyers quote, purchase once (idempotent), and get
// the file key back sealed to their own X25519 key, which only this device opens.
//
//   client::PricingClient pricing(&account);
//   pricing.SetPrice(file, {.download_price_msat = 1500, .split = *ParseSplitSpec(...)});
//   Quote quote = *pricing.Quote("nodes/01HX...");
//   Purchase paid = *pricing.Purchase(quote, {.max_amount_msat = 2000});
//   std::string key = *pricing.ReleaseFileKey("nodes/01HX...");
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/errors.pb.h"
#include "bitcontent/common/v1/keys.pb.h"
#include "bitcontent/pricing/v1/earnings.pb.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "libs/client/account_client.h"
#include "libs/client/tree_client.h"

namespace bitcontent::client {

// What a creator asks for a file (prices.proto, Price): at least one amount non-zero,
// at most one of the two stream rates.
struct PriceTerms {
  uint64_t download_price_msat = 0;
  uint64_t stream_per_mib_msat = 0;
  uint64_t stream_per_minute_msat = 0;
  // Empty recipients: the owner takes everything after the platform fee.
  pricing::v1::SplitRule split = {};
  // Shown to buyers before they pay; empty keeps the file's real name private.
  std::string public_title = {};
  // No new purchases; earlier buyers keep downloading (pricing keeps the escrowed key).
  bool withdrawn = false;
};

// How a purchase is made.
struct PurchaseOptions {
  // Refuse (FAILED_PRECONDITION) if the quote asks for more; 0 means no guard.
  uint64_t max_amount_msat = 0;
  // The idempotency key: a retry with the same key never pays twice.
  std::string request_id = {};
};

// A purchase with its receipt, read out of the receipt token.
struct PurchaseOutcome {
  pricing::v1::Purchase purchase = {};
  pricing::v1::Receipt receipt = {};
  // Whether the receipt's signature verified with a KEY_PURPOSE_RECEIPT key of GET /v1/keys.
  bool receipt_verified = false;
};

// What people call a subject: a file's public title (from its price), or a paywall
// resource's title and its app's external id (readable by the resource's owner). Empty
// when it has none, or the member may not read it.
struct SubjectLabel {
  std::string title = {};
  std::string external_id = {};
};

// The subject ("nodes/{node}") of `node` ("nodes/{node}" or a bare id).
std::string NodeSubject(absl::string_view node);

class PricingClient {
 public:
  // Pages read at most, so a huge list never loops for ever.
  static constexpr int kPagesMax = 100;

  // `account` must outlive this; calls that act for a member need it logged in.
  explicit PricingClient(AccountClient* account) : account_(account) {}

  // Every public key the server publishes (GET /v1/keys), without logging in.
  absl::StatusOr<std::vector<common::v1::PublicKey>> PublicKeys(absl::string_view server);
  // Pricing's current escrow key (KEY_PURPOSE_KEY_ESCROW), checked as a usable X25519 key.
  absl::StatusOr<common::v1::PublicKey> EscrowKey();

  // Puts the member's file `file` on sale on `terms` (or changes them): its key sealed
  // to the escrow key goes with it every time, so the escrow always holds the key of
  // the file as it is now.
  absl::StatusOr<pricing::v1::Price> SetPrice(const TreeEntry& file, const PriceTerms& terms);
  // A file's price, anonymously on `server` (buyers see it before paying). NOT_FOUND
  // when the file is free.
  absl::StatusOr<pricing::v1::Price> GetPrice(absl::string_view server, absl::string_view node);
  // The price of the member's own file, as its seller sees it: also which members of
  // its split cannot be paid now (SplitRecipient.not_payable).
  absl::StatusOr<pricing::v1::Price> GetOwnPrice(absl::string_view node);
  // Withdraws the member's file from sale; buyers keep their entitlements.
  absl::Status DeletePrice(absl::string_view node);

  // A quote of `subject` for the member.
  absl::StatusOr<pricing::v1::Quote> Quote(absl::string_view subject);
  // Pays `quote`. FAILED_PRECONDITION over the guard, with the amounts, before any call.
  absl::StatusOr<PurchaseOutcome> Purchase(const pricing::v1::Quote& quote,
                                           const PurchaseOptions& options);
  // Whether the member holds an entitlement to `subject`.
  absl::StatusOr<bool> Entitled(absl::string_view subject);
  // The key of the bought file `node`, re-sealed by pricing to the member's X25519 key
  // and opened here. FAILED_PRECONDITION (PAYMENT_REQUIRED) without an entitlement.
  absl::StatusOr<std::string> ReleaseFileKey(absl::string_view node);

  // The member's purchases, newest first, at most `limit` (1 to 1,000).
  absl::StatusOr<std::vector<pricing::v1::Purchase>> Purchases(int limit);
  // What `subject` is called (see SubjectLabel); never fails: an empty label instead.
  SubjectLabel LabelOf(absl::string_view subject);
  // The member's earnings in [start, end) by `granularity`, every page, and the total.
  absl::StatusOr<pricing::v1::ListEarningsResponse> Earnings(
      absl::Time start, absl::Time end, pricing::v1::EarningsGranularity granularity);

 private:
  // The payload of a receipt token, and whether it verifies with the published keys.
  PurchaseOutcome WithReceipt(pricing::v1::Purchase purchase);

  AccountClient* const account_;
};

// The payload of a compact-JWS receipt, and whether its signature verifies with the
// KEY_PURPOSE_RECEIPT Ed25519 key its header's kid names among `keys`. INVALID_ARGUMENT
// when the token is not a receipt at all.
absl::StatusOr<std::pair<pricing::v1::Receipt, bool>> ReadReceipt(
    absl::string_view token, const std::vector<common::v1::PublicKey>& keys);

}  // namespace bitcontent::client
