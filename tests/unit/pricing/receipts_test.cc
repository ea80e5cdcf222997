// Receipts verify offline with only the published public key, and a changed byte fails;
// the file key goes to a buyer (sealed to their key) only after they paid; earnings
// come from the purchases' own shares; settings are stored and checked; keys persist.
#include "services/pricing/receipts.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "services/pricing/key_release.h"
#include "tests/unit/pricing/pricing_fixture.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::pricing::testing {

TEST_CASE("A receipt verifies with only the public key and not once a byte changed") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const auto [owner, buyer, node] = pricing.NewSale(1000, 1000);
  const v1::Purchase purchase = Ok(pricing.Pay(buyer, pricing.Quote(buyer, node).quote_token()));

  // What a third party has: the keys published by ListPricingKeys, nothing else.
  auth::KeyRing published;
  for (const common::v1::PublicKey& key : pricing.keys().public_keys()) {
    REQUIRE(published.Add(key).ok());
  }
  const v1::Receipt receipt = Ok(VerifyReceipt(purchase.receipt_token(), published));
  CHECK(receipt.purchase() == purchase.name());
  CHECK(receipt.subject() == node);
  CHECK(receipt.seller() == "users/" + owner);
  CHECK(receipt.amount_msat() == 1000);
  CHECK(receipt.buyer_ref().rfind("br_", 0) == 0);
  CHECK(receipt.buyer_ref().find(buyer) == std::string::npos);
  CHECK(receipt.buyer_ref() ==
        BuyerRef(pricing.keys().buyer_ref_secret(), "users/" + owner, "users/" + buyer));
  CHECK(receipt.buyer_ref() !=
        BuyerRef(pricing.keys().buyer_ref_secret(), "users/" + ids::NewId(), "users/" + buyer));
  const std::vector<std::string> parts = absl::StrSplit(purchase.receipt_token(), '.');
  REQUIRE(parts.size() == 3);
  CHECK(Ok(crypto::Base64UrlDecode(parts[0])) ==
        R"({"alg":"EdDSA","kid":")" + receipt.key_id() + R"(","typ":"bitcontent-receipt+jwt"})");

  for (size_t at : {size_t{5}, parts[0].size() + 10, purchase.receipt_token().size() - 3}) {
    std::string changed = purchase.receipt_token();
    changed[at] = changed[at] == 'A' ? 'B' : 'A';
    CHECK(absl::IsInvalidArgument(VerifyReceipt(changed, published).status()));
  }
  auth::KeyRing other;
  CHECK_FALSE(VerifyReceipt(purchase.receipt_token(), other).ok());
}

TEST_CASE("The file key is released, sealed to the buyer, only after the payment") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const std::string owner = ids::NewId(), buyer = ids::NewId();
  const crypto::BoxKeyPair buyer_keys = pricing.members().Add(buyer);
  const crypto::BoxKeyPair owner_keys = pricing.members().Add(owner);
  const std::string node = pricing.NewFile(owner);
  const std::string file_key(32, 'F');
  pricing.Sell(owner, node, 1000, {}, file_key);
  const auto release = [&](const std::string& user) {
    return ReleaseFileKey(pricing.prices(), pricing.entitlements(), pricing.keys(),
                          &pricing.members(), &pricing.nodes(), user, node);
  };
  const absl::Status unpaid = release(buyer).status();
  CHECK(absl::IsFailedPrecondition(unpaid));
  CHECK(kit::DetailsOf(unpaid).reason() == common::v1::ERROR_REASON_PAYMENT_REQUIRED);
  CHECK(Ok(crypto::OpenSealed(owner_keys, Ok(release(owner)))) == file_key);

  pricing.wallet().Fund(buyer, 1000);
  Ok(pricing.Pay(buyer, pricing.Quote(buyer, node).quote_token()));
  const std::string sealed = Ok(release(buyer));
  CHECK(Ok(crypto::OpenSealed(buyer_keys, sealed)) == file_key);

  // A member a folder above it is shared with holds the key already: released, unpaid.
  const std::string reader = ids::NewId();
  const crypto::BoxKeyPair reader_keys = pricing.members().Add(reader);
  CHECK(kit::DetailsOf(release(reader).status()).reason() ==
        common::v1::ERROR_REASON_PAYMENT_REQUIRED);
  pricing.nodes().Share(node, reader);
  CHECK(Ok(crypto::OpenSealed(reader_keys, Ok(release(reader)))) == file_key);
}

TEST_CASE("Earnings are each member's own shares, per subject and period") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const std::string owner = ids::NewId(), uploader = ids::NewId(), buyer = ids::NewId();
  const std::string node = pricing.NewFile(owner, uploader);
  v1::SplitRule split;
  for (const auto& [role, points] : {std::pair{v1::RECIPIENT_ROLE_OWNER, 8000u},
                                     std::pair{v1::RECIPIENT_ROLE_UPLOADER, 2000u}}) {
    v1::SplitRecipient* recipient = split.add_recipients();
    recipient->set_role(role);
    recipient->set_basis_points(points);
  }
  pricing.Sell(owner, node, 10'000, split);
  pricing.wallet().Fund(buyer, 100'000);
  for (int i = 0; i < 3; ++i) {
    const std::string buyer_i = ids::NewId();
    pricing.wallet().Fund(buyer_i, 10'000);
    Ok(pricing.Pay(buyer_i, pricing.Quote(buyer_i, node).quote_token()));
  }
  v1::ListEarningsRequest request;
  const absl::Time now = absl::Now();
  *request.mutable_time_range()->mutable_start_time() = auth::ProtoFromTime(now - absl::Hours(48));
  *request.mutable_time_range()->mutable_end_time() = auth::ProtoFromTime(now + absl::Hours(1));
  request.set_granularity(v1::EARNINGS_GRANULARITY_TOTAL);
  const v1::ListEarningsResponse owners = Ok(pricing.earnings().List(owner, request));
  REQUIRE(owners.entries_size() == 1);
  // 10,000 - 5 % = 9,500; 80 % = 7,600 per purchase.
  CHECK(owners.entries(0).purchase_msat() == 3 * 7600);
  CHECK(owners.entries(0).purchase_count() == 3);
  CHECK(owners.total_msat() == pricing.wallet().Balance(owner));
  request.set_granularity(v1::EARNINGS_GRANULARITY_DAY);
  CHECK(Ok(pricing.earnings().List(uploader, request)).total_msat() == 3 * 1900);
  // No granularity is the whole window (TOTAL), as the CLI's default; an unknown one is
  // refused.
  request.set_granularity(v1::EARNINGS_GRANULARITY_UNSPECIFIED);
  const v1::ListEarningsResponse whole = Ok(pricing.earnings().List(owner, request));
  REQUIRE(whole.entries_size() == 1);
  CHECK(whole.entries(0).period().start_time().seconds() ==
        request.time_range().start_time().seconds());
  CHECK(whole.total_msat() == 3 * 7600);
  request.set_granularity(static_cast<v1::EarningsGranularity>(99));
  CHECK(absl::IsInvalidArgument(pricing.earnings().List(owner, request).status()));
}

TEST_CASE("Settings are checked, stored, and new quotes use them at once") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  v1::UpdatePricingSettingsRequest update;
  update.mutable_pricing_settings()->set_platform_fee_basis_points(6000);
  update.mutable_update_mask()->add_paths("platform_fee_basis_points");
  CHECK(absl::IsInvalidArgument(pricing.settings().Update(update, absl::Now()).status()));
  update.mutable_pricing_settings()->set_platform_fee_basis_points(1000);
  update.mutable_pricing_settings()->set_display_currency_code("EUR");
  common::v1::FiatRate* rate = update.mutable_pricing_settings()->add_fiat_rates();
  rate->set_currency_code("EUR");
  rate->set_minor_units_per_btc(6'000'000'000);  // 60,000,000.00 EUR per bitcoin.
  rate->set_minor_digits(2);
  update.mutable_update_mask()->add_paths("display_currency_code");
  update.mutable_update_mask()->add_paths("fiat_rates");
  CHECK(Ok(pricing.settings().Update(update, absl::Now())).platform_fee_basis_points() == 1000);

  const std::string owner = ids::NewId(), buyer = ids::NewId();
  const std::string node = pricing.NewFile(owner);
  pricing.Sell(owner, node, 1'000'000);  // 1,000 sat = 0.00001 BTC = 600.00 EUR.
  const v1::Quote quote = pricing.Quote(buyer, node);
  CHECK(quote.lines(1).amount_msat() == 100'000);
  CHECK(quote.amount_fiat().amount_minor() == 60'000);
  CHECK(Ok(PricingSettingsStore::Load(pricing.db()))->Get().platform_fee_basis_points() == 1000);
}

TEST_CASE("Pricing's keys are published with their purposes and survive a restart") {
  store::TempDir dir;
  std::vector<common::v1::PublicKey> first;
  {
    PricingFixture pricing(dir.path());
    first = pricing.keys().public_keys();
  }
  PricingFixture again(dir.path());
  const std::vector<common::v1::PublicKey> second = again.keys().public_keys();
  REQUIRE(first.size() == 3);
  REQUIRE(second.size() == 3);
  CHECK(first[0].purpose() == common::v1::KEY_PURPOSE_KEY_ESCROW);
  CHECK(first[0].algorithm() == common::v1::KEY_ALGORITHM_X25519);
  CHECK(first[1].purpose() == common::v1::KEY_PURPOSE_QUOTE);
  CHECK(first[2].purpose() == common::v1::KEY_PURPOSE_RECEIPT);
  for (size_t i = 0; i < 3; ++i) CHECK(first[i].public_key() == second[i].public_key());
}

}  // namespace bitcontent::pricing::testing
