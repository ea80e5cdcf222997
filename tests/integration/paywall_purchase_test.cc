// Journey 9 of the brief, through the gateway's REST API: a news site sells an article
// with its paywall:manage API key, a reader pays for it with their Bitcache wallet once
// however often the purchase is retried, each wallet shows its exact share at once, the
// site's webhook receiver gets a payment.succeeded it verifies with its signing secret,
// and the receipt verifies offline with the key published at /v1/keys. A reader without
// the funds is refused and nothing moves; a receiver down for a while gets every event
// later, each delivery once.
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bitcontent/gateway/v1/gateway_service.pb.h"
#include "bitcontent/pricing/v1/paywall.pb.h"
#include "bitcontent/pricing/v1/purchases.pb.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/signing.h"
#include "services/pricing/webhook_signature.h"
#include "tests/integration/bitcache.h"
#include "tests/integration/harness.h"
#include "tests/integration/member.h"
#include "tests/integration/rest.h"
#include "tests/unit/pricing/webhook_receiver.h"

namespace bitcontent {
namespace {

using pricing::testing::ReceivedPost;
using pricing::testing::WebhookReceiver;
using testing::ApiKey;
using testing::AvailableMsat;
using testing::CheckError;
using testing::Json;
using testing::ReasonOf;
using testing::Rest;
using testing::Text;
using testing::Unsigned;
using testing::UserIdOf;

constexpr char kArticle[] =
    R"({"paywallResource": {"externalId": "ledger-explained", "title": "The ledger, explained",
        "url": "https://news.example/ledger", "priceMsat": "250000"}})";
constexpr uint64_t kPriceMsat = 250'000;

// A fact of an error's first details entry (details.metadata); "" when absent.
std::string FactOf(const google::protobuf::Struct& error, const std::string& name) {
  const auto details = error.fields().find("details");
  if (details == error.fields().end() || details->second.list_value().values_size() == 0) {
    return "";
  }
  const google::protobuf::Struct& first = details->second.list_value().values(0).struct_value();
  const auto metadata = first.fields().find("metadata");
  if (metadata == first.fields().end()) return "";
  const auto fact = metadata->second.struct_value().fields().find(name);
  return fact == metadata->second.struct_value().fields().end() ? "" : fact->second.string_value();
}

// Posts accepted (answered 200) so far.
std::vector<ReceivedPost> Accepted(const WebhookReceiver& receiver) {
  std::vector<ReceivedPost> accepted;
  for (ReceivedPost& post : receiver.posts()) {
    if (post.answered == 200) accepted.push_back(std::move(post));
  }
  return accepted;
}

// Waits up to 20 s until `receiver` has accepted `count` posts; returns them.
std::vector<ReceivedPost> AwaitAccepted(const WebhookReceiver& receiver, size_t count) {
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (Accepted(receiver).size() < count && absl::Now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::vector<ReceivedPost> accepted = Accepted(receiver);
  REQUIRE(accepted.size() == count);
  return accepted;
}

// A quote of `subject` for the member; its token.
std::string QuoteToken(Rest& rest, const std::string& subject, const std::string& token) {
  const http::ClientResponse quoted =
      rest.Post("/v1/quotes", absl::StrCat(R"({"subject": ")", subject, R"("})"), token);
  INFO(quoted.body);
  REQUIRE(quoted.status == 200);
  const google::protobuf::Struct quote = Json(quoted.body);
  CHECK(Unsigned(quote, "amountMsat") == kPriceMsat);
  CHECK(Text(quote, "publicTitle") == "The ledger, explained");
  return Text(quote, "quoteToken");
}

http::ClientResponse Purchase(Rest& rest, const std::string& quote_token, const std::string& token,
                              const std::string& idempotency_key) {
  return rest.PostKeyed("/v1/purchases", absl::StrCat(R"({"quoteToken": ")", quote_token, R"("})"),
                        token, idempotency_key);
}

// Verifies a compact JWS receipt the way a third party does, with nothing but the keys
// of GET /v1/keys: the header's kid names a KEY_PURPOSE_RECEIPT Ed25519 key, whose
// signature over "header.payload" must verify. Returns the payload, or an error.
absl::StatusOr<pricing::v1::Receipt> VerifyOffline(
    const std::string& jws, const gateway::v1::ListPublicKeysResponse& keys) {
  const std::vector<std::string> parts = absl::StrSplit(jws, '.');
  if (parts.size() != 3) return absl::InvalidArgumentError("not a compact JWS");
  absl::StatusOr<std::string> header = crypto::Base64UrlDecode(parts[0]);
  absl::StatusOr<std::string> payload = crypto::Base64UrlDecode(parts[1]);
  absl::StatusOr<std::string> signature = crypto::Base64UrlDecode(parts[2]);
  if (!header.ok() || !payload.ok() || !signature.ok()) {
    return absl::InvalidArgumentError("bad base64url");
  }
  google::protobuf::Struct parsed_header;
  if (!google::protobuf::util::JsonStringToMessage(*header, &parsed_header).ok()) {
    return absl::InvalidArgumentError("the header is not JSON");
  }
  if (Text(parsed_header, "alg") != "EdDSA" || Text(parsed_header, "typ").empty()) {
    return absl::InvalidArgumentError("not an EdDSA receipt");
  }
  for (const common::v1::PublicKey& key : keys.keys()) {
    if (key.key_id() != Text(parsed_header, "kid")) continue;
    if (key.purpose() != common::v1::KEY_PURPOSE_RECEIPT ||
        key.algorithm() != common::v1::KEY_ALGORITHM_ED25519) {
      return absl::PermissionDeniedError("the kid names a key that does not sign receipts");
    }
    if (!crypto::VerifySignature(key.public_key(), absl::StrCat(parts[0], ".", parts[1]),
                                 *signature)) {
      return absl::PermissionDeniedError("the signature does not verify");
    }
    pricing::v1::Receipt receipt;
    if (!google::protobuf::util::JsonStringToMessage(*payload, &receipt).ok()) {
      return absl::InvalidArgumentError("the payload is not a receipt");
    }
    return receipt;
  }
  return absl::NotFoundError("no published key has the receipt's kid");
}

gateway::v1::ListPublicKeysResponse PublishedKeys(Rest& rest) {
  const http::ClientResponse answer = rest.Get("/v1/keys");
  REQUIRE(answer.status == 200);
  gateway::v1::ListPublicKeysResponse keys;
  REQUIRE(google::protobuf::util::JsonStringToMessage(answer.body, &keys).ok());
  return keys;
}

}  // namespace

TEST_CASE("a news site sells an article through the paywall: paid once, webhook, receipt",
          "[integration][paywall][journey]") {
  launch::SuiteOptions options = testing::CheapAccounts();
  // Retries within a test's patience.
  options.extra_args["pricing"] = {"--webhook_retry_base=100ms", "--webhook_retry_delay_max=400ms"};
  testing::TestSuite suite({"accounts", "metadata", "wallet", "pricing", "gateway"}, options);
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Member site = testing::SignUpMember(suite, "news@example.com");
  testing::Member reader = testing::SignUpMember(suite, "reader@example.com");
  const std::string site_id = UserIdOf(rest, site.token);
  const std::string reader_id = UserIdOf(rest, reader.token);
  const std::string app = ApiKey(site, common::v1::SCOPE_PAYWALL_MANAGE);

  WebhookReceiver receiver;
  const http::ClientResponse hook =
      rest.PostKeyed("/v1/users/me/webhookEndpoints",
                     absl::StrCat(R"({"webhookEndpoint": {"url": ")", receiver.url(),
                                  R"(", "eventTypes": ["WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED"]}})"),
                     app, "hook-1");
  INFO(hook.body);
  REQUIRE(hook.status == 200);
  const std::string secret = Text(Json(hook.body), "secret");
  const http::ClientResponse created =
      rest.PostKeyed("/v1/users/me/paywallResources", kArticle, app, "article-1");
  REQUIRE(created.status == 200);
  const std::string article = Text(Json(created.body), "name");

  testing::Fund(suite, reader_id, 1'000'000);
  const uint64_t site_before = AvailableMsat(rest, site.token);
  const std::string quote_token = QuoteToken(rest, article, reader.token);
  const http::ClientResponse bought = Purchase(rest, quote_token, reader.token, "buy-1");
  INFO(bought.body);
  REQUIRE(bought.status == 200);
  const google::protobuf::Struct purchase = Json(bought.body);
  CHECK(Unsigned(purchase, "amountMsat") == kPriceMsat);
  CHECK(Text(purchase, "subject") == article);

  // The split as paid: the site's share and the platform fee, summing to the price.
  uint64_t site_share = 0, fee = 0;
  for (const google::protobuf::Value& line : purchase.fields().at("lines").list_value().values()) {
    const google::protobuf::Struct& part = line.struct_value();
    const auto is_fee = part.fields().find("platformFee");
    if (is_fee != part.fields().end() && is_fee->second.bool_value()) {
      fee += Unsigned(part, "amountMsat");
    } else {
      CHECK(Text(part, "user") == absl::StrCat("users/", site_id));
      site_share += Unsigned(part, "amountMsat");
    }
  }
  CHECK(site_share + fee == kPriceMsat);
  CHECK(site_share > 0);

  // A double click, a retry with another key, and the same quote again: charged once.
  for (const char* key : {"buy-1", "buy-1-again"}) {
    const http::ClientResponse again = Purchase(rest, quote_token, reader.token, key);
    REQUIRE(again.status == 200);
    CHECK(Text(Json(again.body), "name") == Text(purchase, "name"));
  }
  CHECK(AvailableMsat(rest, reader.token) == 1'000'000 - kPriceMsat);
  CHECK(AvailableMsat(rest, site.token) == site_before + site_share);

  // Buying it again: the quote says so, and the purchase that made it the reader's is the
  // answer: nothing charged, nothing new listed, no second webhook.
  const http::ClientResponse requoted =
      rest.Post("/v1/quotes", absl::StrCat(R"({"subject": ")", article, R"("})"), reader.token);
  REQUIRE(requoted.status == 200);
  CHECK(Json(requoted.body).fields().at("alreadyEntitled").bool_value());
  const http::ClientResponse rebought =
      Purchase(rest, Text(Json(requoted.body), "quoteToken"), reader.token, "buy-2");
  INFO(rebought.body);
  REQUIRE(rebought.status == 200);
  CHECK(Text(Json(rebought.body), "name") == Text(purchase, "name"));
  CHECK(AvailableMsat(rest, reader.token) == 1'000'000 - kPriceMsat);
  CHECK(testing::ListSize(Json(rest.Get("/v1/users/me/purchases", reader.token).body),
                          "purchases") == 1);
  // Another member's purchases and entitlements are theirs: 403, as for wallets.
  CheckError(rest.Get(absl::StrCat("/v1/users/", reader_id, "/purchases"), site.token), 403, 7);
  CheckError(rest.Get(absl::StrCat("/v1/users/", reader_id, "/entitlements"), site.token), 403, 7);

  // The site's receiver got one payment.succeeded, signed with its secret.
  const std::vector<ReceivedPost> delivered = AwaitAccepted(receiver, 1);
  CHECK(pricing::VerifySignature(delivered[0].signature, delivered[0].body, secret, absl::Now())
            .ok());
  CHECK_FALSE(
      pricing::VerifySignature(delivered[0].signature, delivered[0].body + " ", secret, absl::Now())
          .ok());
  const google::protobuf::Struct event = Json(delivered[0].body);
  CHECK(Text(event, "type") == "payment.succeeded");
  const google::protobuf::Struct& paid = testing::Object(event, "paymentSucceeded");
  CHECK(Text(paid, "purchase") == Text(purchase, "name"));
  CHECK(Text(paid, "externalId") == "ledger-explained");
  CHECK(Unsigned(paid, "amountMsat") == kPriceMsat);

  // The receipt verifies offline with the published keys; one changed byte does not.
  const std::string receipt_token = Text(paid, "receiptToken");
  CHECK(receipt_token == Text(purchase, "receiptToken"));
  const gateway::v1::ListPublicKeysResponse keys = PublishedKeys(rest);
  absl::StatusOr<pricing::v1::Receipt> receipt = VerifyOffline(receipt_token, keys);
  INFO(receipt.status().ToString());
  REQUIRE(receipt.ok());
  CHECK(receipt->external_id() == "ledger-explained");
  CHECK(receipt->amount_msat() == kPriceMsat);
  CHECK(receipt->seller() == absl::StrCat("users/", site_id));
  CHECK(receipt->purchase() == Text(purchase, "name"));
  CHECK(receipt->buyer_ref().find(reader_id) == std::string::npos);  // pseudonymous
  std::string tampered = receipt_token;
  const size_t payload_at = tampered.find('.') + 5;
  tampered[payload_at] = tampered[payload_at] == 'A' ? 'B' : 'A';
  CHECK_FALSE(VerifyOffline(tampered, keys).ok());
  // The gateway's check says so in as many words: "valid": false, never a bare {}.
  for (const std::string& token : {receipt_token, tampered, std::string("garbage")}) {
    const http::ClientResponse verdict =
        rest.Post("/v1/receipts:verify", absl::StrCat(R"({"receiptToken": ")", token, R"("})"), "");
    INFO(verdict.body);
    REQUIRE(verdict.status == 200);
    const google::protobuf::Struct answer = Json(verdict.body);
    REQUIRE(answer.fields().contains("valid"));
    CHECK(answer.fields().at("valid").bool_value() == (token == receipt_token));
  }

  SECTION("another reader buys in one call, without a quote, charged once per key") {
    testing::Member quick = testing::SignUpMember(suite, "quick@example.com");
    testing::Fund(suite, UserIdOf(rest, quick.token), 1'000'000);
    const std::string body =
        absl::StrCat(R"({"subject": ")", article, R"(", "maxAmountMsat": ")", kPriceMsat, R"("})");
    const http::ClientResponse first = rest.PostKeyed("/v1/purchases", body, quick.token, "one-1");
    INFO(first.body);
    REQUIRE(first.status == 200);
    CHECK(Unsigned(Json(first.body), "amountMsat") == kPriceMsat);
    const http::ClientResponse again = rest.PostKeyed("/v1/purchases", body, quick.token, "one-1");
    REQUIRE(again.status == 200);
    CHECK(Text(Json(again.body), "name") == Text(Json(first.body), "name"));
    CHECK(AvailableMsat(rest, quick.token) == 1'000'000 - kPriceMsat);
    // Without the key a retry could pay twice: refused, naming the field.
    const http::ClientResponse unkeyed = rest.Post("/v1/purchases", body, quick.token);
    CHECK_THAT(Text(CheckError(unkeyed, 400, 3), "message"), Catch::Contains("request_id"));
    CHECK(AvailableMsat(rest, quick.token) == 1'000'000 - kPriceMsat);

    // The same key for another subject buys nothing and says the key is used, never
    // answering the first purchase as if it were the second.
    const http::ClientResponse other =
        rest.PostKeyed("/v1/users/me/paywallResources",
                       R"({"paywallResource": {"externalId": "ledger-other", "title": "Another",
            "priceMsat": "1000"}})",
                       app, "article-other");
    REQUIRE(other.status == 200);
    const std::string other_article = Text(Json(other.body), "name");
    const std::string other_body =
        absl::StrCat(R"({"subject": ")", other_article, R"(", "maxAmountMsat": "1000"})");
    const google::protobuf::Struct reused =
        CheckError(rest.PostKeyed("/v1/purchases", other_body, quick.token, "one-1"), 400, 9);
    CHECK(ReasonOf(reused) == "ERROR_REASON_IDEMPOTENCY_KEY_REUSED");
    CHECK_THAT(Text(reused, "message"), Catch::Contains(article));
    // A lower guard than what the key paid: said so, nothing more charged; a higher one
    // answers the first purchase.
    const google::protobuf::Struct lower = CheckError(
        rest.PostKeyed("/v1/purchases",
                       absl::StrCat(R"({"subject": ")", article, R"(", "maxAmountMsat": "1"})"),
                       quick.token, "one-1"),
        400, 9);
    CHECK(ReasonOf(lower) == "ERROR_REASON_IDEMPOTENCY_KEY_REUSED");
    CHECK_THAT(Text(lower, "message"), Catch::Contains("nothing more was charged"));
    const http::ClientResponse higher = rest.PostKeyed(
        "/v1/purchases",
        absl::StrCat(R"({"subject": ")", article, R"(", "maxAmountMsat": "999999999"})"),
        quick.token, "one-1");
    REQUIRE(higher.status == 200);
    CHECK(Text(Json(higher.body), "name") == Text(Json(first.body), "name"));
    CHECK(AvailableMsat(rest, quick.token) == 1'000'000 - kPriceMsat);

    // Above the guard, and no longer on sale: reasons a client can switch on.
    const google::protobuf::Struct dear = CheckError(
        rest.PostKeyed(
            "/v1/purchases",
            absl::StrCat(R"({"subject": ")", other_article, R"(", "maxAmountMsat": "999"})"),
            quick.token, "one-2"),
        400, 9);
    CHECK(FactOf(dear, "refusal") == "PRICE_ABOVE_MAX");
    CHECK(FactOf(dear, "required_msat") == "1000");
    REQUIRE(
        rest.PostKeyed("/v1/" + other_article + ":archive", "{}", app, "archive-other").status ==
        200);
    const google::protobuf::Struct gone =
        CheckError(rest.PostKeyed("/v1/purchases", other_body, quick.token, "one-2"), 400, 9);
    CHECK(FactOf(gone, "refusal") == "NOT_ON_SALE");
    CHECK(AvailableMsat(rest, quick.token) == 1'000'000 - kPriceMsat);

    // A reader who bought before the archive is still answered as one, so the app can
    // confirm them: the quote says already entitled, and a purchase answers the one that
    // granted it, charging nothing.
    REQUIRE(rest.PostKeyed("/v1/" + article + ":archive", "{}", app, "archive-article").status ==
            200);
    const http::ClientResponse quoted =
        rest.Post("/v1/quotes", absl::StrCat(R"({"subject": ")", article, R"("})"), quick.token);
    INFO(quoted.body);
    REQUIRE(quoted.status == 200);
    CHECK(Json(quoted.body).fields().at("alreadyEntitled").bool_value());
    const http::ClientResponse kept = rest.PostKeyed(
        "/v1/purchases", absl::StrCat(R"({"subject": ")", article, R"("})"), quick.token, "one-3");
    INFO(kept.body);
    REQUIRE(kept.status == 200);
    CHECK(Text(Json(kept.body), "name") == Text(Json(first.body), "name"));
    CHECK(AvailableMsat(rest, quick.token) == 1'000'000 - kPriceMsat);
  }

  SECTION("a reader without the funds is refused, and nothing moves") {
    testing::Member poor = testing::SignUpMember(suite, "poor@example.com");
    testing::Fund(suite, UserIdOf(rest, poor.token), kPriceMsat - 1);
    const std::string token = QuoteToken(rest, article, poor.token);
    const http::ClientResponse refused = Purchase(rest, token, poor.token, "poor-1");
    const google::protobuf::Struct error = CheckError(refused, 400, 9);
    CHECK(ReasonOf(error) == "ERROR_REASON_INSUFFICIENT_FUNDS");
    // What it needed and what the wallet had, in the message and the details.
    CHECK_THAT(Text(error, "message"),
               Catch::Contains(absl::StrCat("needs ", kPriceMsat, " msat")) &&
                   Catch::Contains(absl::StrCat(kPriceMsat - 1, " msat available")));
    CHECK(FactOf(error, "required_msat") == absl::StrCat(kPriceMsat));
    CHECK(FactOf(error, "available_msat") == absl::StrCat(kPriceMsat - 1));
    CHECK(AvailableMsat(rest, poor.token) == kPriceMsat - 1);
    // In one call, after adding funds: the same key stays failed and says to use a new one.
    const std::string body = absl::StrCat(R"({"subject": ")", article, R"("})");
    CheckError(rest.PostKeyed("/v1/purchases", body, poor.token, "poor-2"), 400, 9);
    testing::Fund(suite, UserIdOf(rest, poor.token), 1, "top-up");
    const google::protobuf::Struct again =
        CheckError(rest.PostKeyed("/v1/purchases", body, poor.token, "poor-2"), 400, 9);
    CHECK(ReasonOf(again) == "ERROR_REASON_INSUFFICIENT_FUNDS");
    CHECK_THAT(Text(again, "message"), Catch::Contains("new Idempotency-Key"));
    CHECK(AvailableMsat(rest, poor.token) == kPriceMsat);
    CHECK(AvailableMsat(rest, site.token) == site_before + site_share);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(receiver.posts().size() == 1);
  }

  SECTION("a reader's app pays with a wallet:pay API key, within its spend limit") {
    const std::string wallet_key =
        ApiKey(reader, common::v1::SCOPE_WALLET_PAY, "reader app", kPriceMsat + 100'000);
    const http::ClientResponse second = rest.PostKeyed(
        "/v1/users/me/paywallResources",
        R"({"paywallResource": {"externalId": "ledger-2", "title": "The ledger, explained",
            "priceMsat": "250000"}})",
        app, "article-2");
    REQUIRE(second.status == 200);
    const std::string second_article = Text(Json(second.body), "name");
    const http::ClientResponse paid_by_key =
        Purchase(rest, QuoteToken(rest, second_article, wallet_key), wallet_key, "key-buy-1");
    INFO(paid_by_key.body);
    REQUIRE(paid_by_key.status == 200);
    CHECK(AvailableMsat(rest, reader.token) == 1'000'000 - 2 * kPriceMsat);
    // A third purchase would pass the key's limit: refused, and nothing moves.
    const http::ClientResponse third = rest.PostKeyed(
        "/v1/users/me/paywallResources",
        R"({"paywallResource": {"externalId": "ledger-3", "title": "The ledger, explained",
            "priceMsat": "250000"}})",
        app, "article-3");
    REQUIRE(third.status == 200);
    const http::ClientResponse over =
        Purchase(rest, QuoteToken(rest, Text(Json(third.body), "name"), wallet_key), wallet_key,
                 "key-buy-2");
    CHECK(ReasonOf(CheckError(over, 403, 7)) == "ERROR_REASON_SPEND_LIMIT_EXCEEDED");
    CHECK(AvailableMsat(rest, reader.token) == 1'000'000 - 2 * kPriceMsat);
  }

  SECTION("a receiver down for a while gets every event later, each delivery once") {
    receiver.Refuse(503);
    std::vector<std::string> purchases;
    for (const char* email : {"r1@example.com", "r2@example.com"}) {
      testing::Member buyer = testing::SignUpMember(suite, email);
      testing::Fund(suite, UserIdOf(rest, buyer.token), kPriceMsat);
      const http::ClientResponse made =
          Purchase(rest, QuoteToken(rest, article, buyer.token), buyer.token, email);
      REQUIRE(made.status == 200);
      purchases.push_back(Text(Json(made.body), "name"));
    }
    // Refused at least twice each, then accepted.
    const absl::Time deadline = absl::Now() + absl::Seconds(20);
    while (receiver.posts().size() < 1 + 2 * 2 && absl::Now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    receiver.Accept();
    const std::vector<ReceivedPost> accepted = AwaitAccepted(receiver, 3);
    std::set<std::string> deliveries, events;
    for (const ReceivedPost& post : accepted) {
      CHECK(deliveries.insert(post.delivery_id).second);
      events.insert(post.event_id);
    }
    CHECK(events.size() == 3);
    for (size_t i = 1; i < accepted.size(); ++i) {
      CHECK(accepted[i].redelivery);
      const google::protobuf::Struct later = Json(accepted[i].body);
      const std::string name = Text(testing::Object(later, "paymentSucceeded"), "purchase");
      CHECK(std::find(purchases.begin(), purchases.end(), name) != purchases.end());
    }
    // Nothing more arrives once every delivery succeeded.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    CHECK(Accepted(receiver).size() == 3);
  }
}

// A disabled member's wallet takes nothing new: a purchase whose split would pay one is
// refused, says so, and moves nothing.
TEST_CASE("a purchase that would pay a disabled member is refused and moves nothing",
          "[integration][paywall]") {
  testing::TestSuite suite({"accounts", "metadata", "wallet", "pricing", "gateway"},
                           testing::CheapAccounts({"--operator_emails=ops@example.com"}));
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Member site = testing::SignUpMember(suite, "news@example.com");
  testing::Member writer = testing::SignUpMember(suite, "writer@example.com");
  testing::Member reader = testing::SignUpMember(suite, "reader@example.com");
  const testing::Member ops = testing::SignUpMember(suite, "ops@example.com");
  const std::string writer_id = UserIdOf(rest, writer.token);
  const std::string reader_id = UserIdOf(rest, reader.token);
  const std::string app = ApiKey(site, common::v1::SCOPE_PAYWALL_MANAGE);
  const http::ClientResponse created = rest.PostKeyed(
      "/v1/users/me/paywallResources",
      absl::StrCat(R"({"paywallResource": {"externalId": "shared-piece", "title": "Two hands",
          "priceMsat": "10000", "split": {"recipients": [
          {"role": "RECIPIENT_ROLE_OWNER", "basisPoints": 5000},
          {"role": "RECIPIENT_ROLE_OTHER", "user": "users/)",
                   writer_id, R"(", "basisPoints": 5000}]}}})"),
      app, "piece-1");
  INFO(created.body);
  REQUIRE(created.status == 200);
  const std::string piece = Text(Json(created.body), "name");
  testing::Fund(suite, reader_id, 100'000);
  const uint64_t site_before = AvailableMsat(rest, site.token);

  testing::SetUserState(suite, ops.token, writer_id, accounts::v1::USER_STATE_DISABLED);
  // Not even quoted: a quote would only fail when paid.
  const google::protobuf::Struct unquoted =
      CheckError(rest.PostKeyed("/v1/quotes", absl::StrCat(R"({"subject": ")", piece, R"("})"),
                                reader.token, "piece-quote-1"),
                 400, 9);
  CHECK(FactOf(unquoted, "refusal") == "NOT_ON_SALE");
  CHECK_THAT(Text(unquoted, "message"), !Catch::Contains(writer_id));
  const google::protobuf::Struct refused =
      CheckError(rest.PostKeyed("/v1/purchases", absl::StrCat(R"({"subject": ")", piece, R"("})"),
                                reader.token, "piece-buy-1"),
                 400, 9);
  CHECK(FactOf(refused, "refusal") == "NOT_ON_SALE");
  // The buyer is not told which member: that is the seller's business.
  CHECK_THAT(Text(refused, "message"), !Catch::Contains(writer_id) &&
                                           Catch::Contains("not an active member") &&
                                           Catch::Contains("nothing was charged"));
  // One linked chain: nothing left the reader, so nothing reached the site or the writer.
  CHECK(AvailableMsat(rest, reader.token) == 100'000);
  CHECK(AvailableMsat(rest, site.token) == site_before);
  // The app is told, when it reads the resource: the member's part is marked.
  const http::ClientResponse read = rest.Get(absl::StrCat("/v1/", piece), app);
  INFO(read.body);
  REQUIRE(read.status == 200);
  CHECK_THAT(read.body, Catch::Contains(absl::StrCat(R"("user":"users/)", writer_id,
                                                     R"(","basisPoints":5000,"notPayable":true)")));

  // Nor can a new split name them: the app hears it when it sets the split, not from
  // its buyers.
  const google::protobuf::Struct named =
      CheckError(rest.PostKeyed("/v1/users/me/paywallResources",
                                absl::StrCat(R"({"paywallResource": {"externalId": "second-piece",
          "title": "Two hands again", "priceMsat": "10000", "split": {"recipients": [
          {"role": "RECIPIENT_ROLE_OWNER", "basisPoints": 5000},
          {"role": "RECIPIENT_ROLE_OTHER", "user": "users/)",
                                             writer_id, R"(", "basisPoints": 5000}]}}})"),
                                app, "piece-2"),
                 400, 3);
  CHECK_THAT(Text(named, "message"),
             Catch::Contains("not active (disabled, or an imported account not claimed yet)") &&
                 Catch::Contains("users/" + writer_id));
}

}  // namespace bitcontent
