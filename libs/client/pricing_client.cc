#include "libs/client/pricing_client.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bitcontent/gateway/v1/gateway_service.pb.h"
#include "bitcontent/pricing/v1/paywall.pb.h"
#include "libs/auth/proto_time.h"
#include "libs/client/amount.h"
#include "libs/client/api_client.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/sealed_box.h"
#include "libs/crypto/signing.h"
#include "libs/ids/ids.h"

namespace bitcontent::client {
namespace {

namespace pv1 = pricing::v1;
using common::v1::PublicKey;

// A node key's size (node_envelope.h).
constexpr size_t kFileKeyBytes = 32;

// Whether `key` may be used at `now`: inside its validity window.
bool Current(const PublicKey& key, absl::Time now) {
  return (!key.has_not_before_time() || auth::TimeFromProto(key.not_before_time()) <= now) &&
         (!key.has_not_after_time() || auth::TimeFromProto(key.not_after_time()) > now);
}

// "/v1/nodes/{id}/price" for "nodes/{id}" or a bare id.
std::string PricePath(absl::string_view node) {
  return absl::StrCat("/v1/", NodeSubject(node), "/price");
}

}  // namespace

std::string NodeSubject(absl::string_view node) {
  absl::ConsumePrefix(&node, "nodes/");
  return absl::StrCat("nodes/", node);
}

absl::StatusOr<std::vector<PublicKey>> PricingClient::PublicKeys(absl::string_view server) {
  absl::StatusOr<std::unique_ptr<ApiClient>> api =
      ApiClient::Connect(server, account_->options().timeout);
  if (!api.ok()) return api.status();
  gateway::v1::ListPublicKeysResponse keys;
  if (absl::Status s = (*api)->Call("GET", "/v1/keys", nullptr, &keys); !s.ok()) return s;
  return std::vector<PublicKey>(keys.keys().begin(), keys.keys().end());
}

absl::StatusOr<PublicKey> PricingClient::EscrowKey() {
  absl::StatusOr<std::vector<PublicKey>> keys = PublicKeys(account_->options().server);
  if (!keys.ok()) return keys.status();
  const absl::Time now = absl::Now();
  const PublicKey* newest = nullptr;
  for (const PublicKey& key : *keys) {
    if (key.purpose() != common::v1::KEY_PURPOSE_KEY_ESCROW ||
        key.algorithm() != common::v1::KEY_ALGORITHM_X25519 || !Current(key, now)) {
      continue;
    }
    if (newest == nullptr || auth::TimeFromProto(key.not_before_time()) >
                                 auth::TimeFromProto(newest->not_before_time())) {
      newest = &key;
    }
  }
  if (newest == nullptr) {
    return absl::UnavailableError(
        "the server publishes no escrow key at /v1/keys yet (is pricing running?); try again "
        "in a minute");
  }
  if (absl::Status s = crypto::ValidateBoxPublicKey(newest->public_key()); !s.ok()) {
    return absl::DataLossError(absl::StrCat("the escrow key ", newest->key_id(),
                                            " the server publishes is unusable: ", s.message()));
  }
  return *newest;
}

absl::StatusOr<pv1::Price> PricingClient::SetPrice(const TreeEntry& file, const PriceTerms& terms) {
  if (file.node.type() != metadata::v1::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError("only files are sold, not folders");
  }
  absl::StatusOr<PublicKey> escrow = EscrowKey();
  if (!escrow.ok()) return escrow.status();
  absl::StatusOr<std::string> sealed = crypto::TrySealTo(escrow->public_key(), file.key);
  if (!sealed.ok()) return sealed.status();
  pv1::SetPriceRequest request;
  pv1::Price& price = *request.mutable_price();
  price.set_name(absl::StrCat(file.node.name(), "/price"));
  price.set_download_price_msat(terms.download_price_msat);
  price.set_stream_per_mib_msat(terms.stream_per_mib_msat);
  price.set_stream_per_minute_msat(terms.stream_per_minute_msat);
  *price.mutable_split() = terms.split;
  price.set_public_title(terms.public_title);
  price.set_state(terms.withdrawn ? pv1::PRICE_STATE_WITHDRAWN : pv1::PRICE_STATE_ON_SALE);
  request.set_sealed_key(*std::move(sealed));
  request.set_request_id(ids::NewRandomId());
  pv1::Price set;
  if (absl::Status s = account_->CallAsMember("PUT", PricePath(file.node.name()), &request, &set);
      !s.ok()) {
    return s;
  }
  return set;
}

absl::StatusOr<pv1::Price> PricingClient::GetPrice(absl::string_view server,
                                                   absl::string_view node) {
  absl::StatusOr<std::unique_ptr<ApiClient>> api =
      ApiClient::Connect(server, account_->options().timeout);
  if (!api.ok()) return api.status();
  pv1::Price price;
  if (absl::Status s = (*api)->Call("GET", PricePath(node), nullptr, &price); !s.ok()) return s;
  return price;
}

absl::StatusOr<pv1::Price> PricingClient::GetOwnPrice(absl::string_view node) {
  pv1::Price price;
  if (absl::Status s = account_->CallAsMember("GET", PricePath(node), nullptr, &price); !s.ok()) {
    return s;
  }
  return price;
}

absl::Status PricingClient::DeletePrice(absl::string_view node) {
  return account_->CallAsMember("DELETE", PricePath(node), nullptr, nullptr);
}

absl::StatusOr<pv1::Quote> PricingClient::Quote(absl::string_view subject) {
  pv1::CreateQuoteRequest request;
  request.set_subject(std::string(subject));
  pv1::Quote quote;
  if (absl::Status s = account_->CallAsMember("POST", "/v1/quotes", &request, &quote); !s.ok()) {
    return s;
  }
  return quote;
}

absl::StatusOr<PurchaseOutcome> PricingClient::Purchase(const pv1::Quote& quote,
                                                        const PurchaseOptions& options) {
  if (options.max_amount_msat != 0 && quote.amount_msat() > options.max_amount_msat &&
      !quote.already_entitled()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the price is ", FormatAmount(quote.amount_msat()), ", above your limit of ",
                     FormatAmount(options.max_amount_msat), "; nothing was paid"));
  }
  pv1::CreatePurchaseRequest request;
  request.set_quote_token(quote.quote_token());
  // An entitled buyer is charged nothing, whatever the quote's amount: no guard then.
  if (!quote.already_entitled()) request.set_max_amount_msat(options.max_amount_msat);
  request.set_request_id(options.request_id);
  pv1::Purchase purchase;
  if (absl::Status s = account_->CallAsMember("POST", "/v1/purchases", &request, &purchase);
      !s.ok()) {
    return s;
  }
  return WithReceipt(std::move(purchase));
}

PurchaseOutcome PricingClient::WithReceipt(pv1::Purchase purchase) {
  PurchaseOutcome outcome;
  absl::StatusOr<std::vector<PublicKey>> keys = PublicKeys(account_->options().server);
  absl::StatusOr<std::pair<pv1::Receipt, bool>> receipt =
      ReadReceipt(purchase.receipt_token(), keys.ok() ? *keys : std::vector<PublicKey>());
  if (receipt.ok()) {
    outcome.receipt = std::move(receipt->first);
    outcome.receipt_verified = receipt->second;
  }
  outcome.purchase = std::move(purchase);
  return outcome;
}

absl::StatusOr<bool> PricingClient::Entitled(absl::string_view subject) {
  pv1::ListEntitlementsResponse page;
  if (absl::Status s = account_->CallAsMember(
          "GET", absl::StrCat("/v1/users/me/entitlements?pageSize=1&subject=", subject), nullptr,
          &page);
      !s.ok()) {
    return s;
  }
  return std::any_of(page.entitlements().begin(), page.entitlements().end(),
                     [&](const pv1::Entitlement& held) { return held.subject() == subject; });
}

absl::StatusOr<std::string> PricingClient::ReleaseFileKey(absl::string_view node) {
  absl::StatusOr<crypto::BoxKeyPair> mine = account_->BoxKeys();
  if (!mine.ok()) return mine.status();
  pv1::ReleaseFileKeyRequest request;
  pv1::ReleaseFileKeyResponse released;
  if (absl::Status s = account_->CallAsMember(
          "POST", absl::StrCat("/v1/", NodeSubject(node), ":releaseFileKey"), &request, &released);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> key = crypto::OpenSealed(*mine, released.sealed_key());
  if (!key.ok() || key->size() != kFileKeyBytes) {
    return absl::DataLossError(
        "the file key pricing released does not open with your key: it was sealed to another "
        "key or altered");
  }
  return key;
}

absl::StatusOr<std::vector<pv1::Purchase>> PricingClient::Purchases(int limit) {
  if (limit < 1 || limit > 1000) return absl::InvalidArgumentError("limit must be 1 to 1000");
  std::vector<pv1::Purchase> purchases;
  std::string page_token;
  for (int page = 0; page < kPagesMax && static_cast<int>(purchases.size()) < limit; ++page) {
    pv1::ListPurchasesResponse answer;
    const int size = std::min(100, limit - static_cast<int>(purchases.size()));
    if (absl::Status s = account_->CallAsMember(
            "GET",
            absl::StrCat("/v1/users/me/purchases?pageSize=", size, "&pageToken=", page_token),
            nullptr, &answer);
        !s.ok()) {
      return s;
    }
    for (pv1::Purchase& purchase : *answer.mutable_purchases()) {
      purchases.push_back(std::move(purchase));
    }
    page_token = answer.next_page_token();
    if (page_token.empty()) break;
  }
  return purchases;
}

SubjectLabel PricingClient::LabelOf(absl::string_view subject) {
  if (absl::StartsWith(subject, "nodes/")) {
    absl::StatusOr<pv1::Price> price = GetPrice(account_->options().server, subject);
    return {.title = price.ok() ? price->public_title() : ""};
  }
  if (!absl::StartsWith(subject, "users/") || !absl::StrContains(subject, "/paywallResources/")) {
    return {};
  }
  pv1::PaywallResource resource;
  if (!account_->CallAsMember("GET", absl::StrCat("/v1/", subject), nullptr, &resource).ok()) {
    return {};
  }
  return {.title = resource.title(), .external_id = resource.external_id()};
}

absl::StatusOr<pv1::ListEarningsResponse> PricingClient::Earnings(
    absl::Time start, absl::Time end, pv1::EarningsGranularity granularity) {
  pv1::ListEarningsResponse all;
  std::string page_token;
  // UTC written with "Z": a '+' offset would need escaping in a query string.
  constexpr char kUtc[] = "%Y-%m-%dT%H:%M:%SZ";
  const std::string window =
      absl::StrCat("/v1/users/me/earnings?pageSize=1000&timeRange.startTime=",
                   absl::FormatTime(kUtc, start, absl::UTCTimeZone()),
                   "&timeRange.endTime=", absl::FormatTime(kUtc, end, absl::UTCTimeZone()),
                   "&granularity=", pv1::EarningsGranularity_Name(granularity));
  for (int page = 0; page < kPagesMax; ++page) {
    pv1::ListEarningsResponse answer;
    if (absl::Status s = account_->CallAsMember(
            "GET", absl::StrCat(window, page_token.empty() ? "" : "&pageToken=", page_token),
            nullptr, &answer);
        !s.ok()) {
      return s;
    }
    for (pv1::EarningsEntry& entry : *answer.mutable_entries()) {
      *all.add_entries() = std::move(entry);
    }
    all.set_total_msat(answer.total_msat());
    page_token = answer.next_page_token();
    if (page_token.empty()) return all;
  }
  return absl::ResourceExhaustedError(
      absl::StrCat("more than ", kPagesMax, " pages of earnings: ask for a shorter window"));
}

absl::StatusOr<std::pair<pv1::Receipt, bool>> ReadReceipt(absl::string_view token,
                                                          const std::vector<PublicKey>& keys) {
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  const auto not_receipt = [] {
    return absl::InvalidArgumentError(
        "the receipt is not a compact JWS (header.payload.signature)");
  };
  if (parts.size() != 3) return not_receipt();
  absl::StatusOr<std::string> header = crypto::Base64UrlDecode(parts[0]);
  absl::StatusOr<std::string> payload = crypto::Base64UrlDecode(parts[1]);
  absl::StatusOr<std::string> signature = crypto::Base64UrlDecode(parts[2]);
  if (!header.ok() || !payload.ok() || !signature.ok()) return not_receipt();
  google::protobuf::util::JsonParseOptions lenient;
  lenient.ignore_unknown_fields = true;
  pv1::Receipt receipt;
  if (!google::protobuf::util::JsonStringToMessage(*payload, &receipt, lenient).ok()) {
    return not_receipt();
  }
  // The header's kid; the payload's key_id says the same (purchases.proto).
  google::protobuf::Struct parsed_header;
  std::string kid = receipt.key_id();
  if (google::protobuf::util::JsonStringToMessage(*header, &parsed_header).ok() &&
      parsed_header.fields().contains("kid")) {
    kid = parsed_header.fields().at("kid").string_value();
  }
  bool verified = false;
  for (const PublicKey& key : keys) {
    if (key.key_id() != kid || key.purpose() != common::v1::KEY_PURPOSE_RECEIPT ||
        key.algorithm() != common::v1::KEY_ALGORITHM_ED25519) {
      continue;
    }
    verified = crypto::VerifySignature(key.public_key(), absl::StrCat(parts[0], ".", parts[1]),
                                       *signature);
  }
  return std::make_pair(std::move(receipt), verified);
}

}  // namespace bitcontent::client
