// Prices over a real store: only the owner sets one, a paid price needs the file key
// escrowed (sealed to pricing's escrow key) the first time, the revision grows with each
// change, metadata's price flag follows, and deleting keeps entitlements.
#include <catch2/catch.hpp>

#include "absl/time/clock.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "services/pricing/access.h"
#include "tests/unit/pricing/pricing_fixture.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::pricing::testing {
namespace {

v1::SetPriceRequest PriceRequest(const std::string& node, uint64_t msat) {
  v1::SetPriceRequest request;
  request.mutable_price()->set_name(node + "/price");
  request.mutable_price()->set_download_price_msat(msat);
  return request;
}

}  // namespace

TEST_CASE("Only the owner prices a file, and a paid price needs its key escrowed") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const std::string owner = ids::NewId();
  const std::string node = pricing.NewFile(owner);
  const absl::Time now = absl::Now();

  // A stranger is told no more than of a node that never was; a member it is shared with
  // is told it is another's.
  const absl::Status stranger =
      pricing.prices()
          .Set(ids::NewId(), PriceRequest(node, 1000), &pricing.nodes(), &pricing.members(), now)
          .status();
  CHECK(absl::IsNotFound(stranger));
  CHECK(stranger.message() == absl::StrCat(node, " not found"));
  const std::string reader = ids::NewId();
  pricing.nodes().Share(node, reader);
  CHECK(absl::IsPermissionDenied(
      pricing.prices()
          .Set(reader, PriceRequest(node, 1000), &pricing.nodes(), &pricing.members(), now)
          .status()));
  const absl::Status no_key =
      pricing.prices()
          .Set(owner, PriceRequest(node, 1000), &pricing.nodes(), &pricing.members(), now)
          .status();
  CHECK(absl::IsFailedPrecondition(no_key));
  CHECK(no_key.message().find("sealed_key") != absl::string_view::npos);
  v1::SetPriceRequest wrong_key = PriceRequest(node, 1000);
  wrong_key.set_sealed_key(
      crypto::SealTo(crypto::NewBoxKeyPair().public_key, std::string(32, 'k')));
  CHECK(absl::IsInvalidArgument(
      pricing.prices().Set(owner, wrong_key, &pricing.nodes(), &pricing.members(), now).status()));
  CHECK(pricing.nodes().priced.empty());

  const v1::Price first = pricing.Sell(owner, node, 1000);
  CHECK(first.seller() == "users/" + owner);
  CHECK(first.key_escrowed());
  CHECK(first.revision() == 1);
  CHECK(first.state() == v1::PRICE_STATE_ON_SALE);
  CHECK(first.split().recipients_size() == 1);  // All to the owner by default.
  CHECK(first.split().platform_fee_basis_points() == kPlatformFeeBasisPointsDefault);
  CHECK(pricing.nodes().priced[node]);

  // A new price keeps the escrowed key; the same price again changes nothing.
  const v1::Price second = Ok(pricing.prices().Set(owner, PriceRequest(node, 2000),
                                                   &pricing.nodes(), &pricing.members(), now));
  CHECK(second.revision() == 2);
  CHECK(second.key_escrowed());
  CHECK(Ok(pricing.prices().Set(owner, PriceRequest(node, 2000), &pricing.nodes(),
                                &pricing.members(), now))
            .revision() == 2);
  CHECK(Ok(pricing.prices().Get(node + "/price")).download_price_msat() == 2000);
}

TEST_CASE("Bad terms are refused naming the field") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const std::string owner = ids::NewId();
  const std::string node = pricing.NewFile(owner);
  v1::SetPriceRequest split = PriceRequest(node, 1000);
  split.mutable_price()->mutable_split()->add_recipients()->set_basis_points(10000);
  const absl::Status no_role =
      pricing.prices()
          .Set(owner, split, &pricing.nodes(), &pricing.members(), absl::Now())
          .status();
  CHECK(kit::DetailsOf(no_role).field_violations(0).field() == "price.split.recipients[0].role");
  v1::SetPriceRequest stranger = PriceRequest(node, 1000);
  v1::SplitRecipient* other = stranger.mutable_price()->mutable_split()->add_recipients();
  other->set_role(v1::RECIPIENT_ROLE_OTHER);
  other->set_user("users/" + ids::NewId());
  other->set_basis_points(10000);
  stranger.set_sealed_key(crypto::SealTo(pricing.keys().escrow().public_key, std::string(32, 'k')));
  const absl::Status ghost =
      pricing.prices()
          .Set(owner, stranger, &pricing.nodes(), &pricing.members(), absl::Now())
          .status();
  CHECK(kit::DetailsOf(ghost).field_violations(0).field() == "price.split.recipients[0].user");
  const std::string other_id(kit::IdOfName(other->user()));
  pricing.members().Add(other_id);
  pricing.members().Disable(other_id);
  const absl::Status disabled =
      pricing.prices()
          .Set(owner, stranger, &pricing.nodes(), &pricing.members(), absl::Now())
          .status();
  CHECK(kit::DetailsOf(disabled).field_violations(0).field() == "price.split.recipients[0].user");
  CHECK(kit::DetailsOf(disabled).field_violations(0).description().find("disabled") !=
        std::string::npos);
  pricing.members().Enable(other_id);
  CHECK(pricing.prices()
            .Set(owner, stranger, &pricing.nodes(), &pricing.members(), absl::Now())
            .ok());
  // Buyers see the title before paying: no text that reads otherwise than it is.
  v1::SetPriceRequest spoofed = PriceRequest(node, 1000);
  spoofed.mutable_price()->set_public_title(
      "gpj.\xe2\x80\xae"
      "exe");
  const absl::Status bidi =
      pricing.prices()
          .Set(owner, spoofed, &pricing.nodes(), &pricing.members(), absl::Now())
          .status();
  CHECK(kit::DetailsOf(bidi).field_violations(0).field() == "price.public_title");
  v1::SetPriceRequest two_rates = PriceRequest(node, 0);
  two_rates.mutable_price()->set_stream_per_mib_msat(10);
  two_rates.mutable_price()->set_stream_per_minute_msat(10);
  CHECK(absl::IsInvalidArgument(
      pricing.prices()
          .Set(owner, two_rates, &pricing.nodes(), &pricing.members(), absl::Now())
          .status()));
  CHECK(absl::IsInvalidArgument(pricing.prices().Get("nodes/x/price").status()));
  CHECK(absl::IsNotFound(pricing.prices().Get(pricing.NewFile(owner) + "/price").status()));
  // A price that asks nothing ({"price": {}}) is not a price: DeletePrice makes a file free.
  const std::string unpriced = pricing.NewFile(owner);
  v1::SetPriceRequest nothing = PriceRequest(unpriced, 0);
  const absl::Status empty =
      pricing.prices()
          .Set(owner, nothing, &pricing.nodes(), &pricing.members(), absl::Now())
          .status();
  CHECK(absl::IsInvalidArgument(empty));
  CHECK(kit::DetailsOf(empty).field_violations(0).field() == "price");
  CHECK(empty.message().find("download_price_msat") != absl::string_view::npos);
  CHECK_FALSE(pricing.nodes().priced[unpriced]);
  CHECK(absl::IsNotFound(pricing.prices().Get(unpriced + "/price").status()));
}

TEST_CASE("CheckAccess: free, seller, payment required, stream only") {
  store::TempDir dir;
  PricingFixture pricing(dir.path());
  const std::string owner = ids::NewId();
  const std::string buyer = ids::NewId();
  const std::string node = pricing.NewFile(owner);
  const auto decision = [&](const std::string& user) {
    return Ok(CheckAccess(pricing.prices(), pricing.entitlements(), node, user)).decision();
  };
  CHECK(decision("users/" + buyer) == v1::ACCESS_DECISION_FREE);
  pricing.Sell(owner, node, 1000);
  CHECK(decision("users/" + owner) == v1::ACCESS_DECISION_SELLER);
  CHECK(decision("users/" + buyer) == v1::ACCESS_DECISION_PAYMENT_REQUIRED);
  CHECK(decision("") == v1::ACCESS_DECISION_PAYMENT_REQUIRED);
  v1::SetPriceRequest stream = PriceRequest(node, 0);
  stream.mutable_price()->set_stream_per_mib_msat(5);
  Ok(pricing.prices().Set(owner, stream, &pricing.nodes(), &pricing.members(), absl::Now()));
  CHECK(decision("users/" + buyer) == v1::ACCESS_DECISION_STREAM_ONLY);
  CHECK(pricing.prices().Delete(owner, node + "/price", &pricing.nodes()).ok());
  CHECK_FALSE(pricing.nodes().priced[node]);
  CHECK(decision("users/" + buyer) == v1::ACCESS_DECISION_FREE);
}

}  // namespace bitcontent::pricing::testing
