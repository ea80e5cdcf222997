// The sale gate: a file on sale leaves through a public link (a READ grant, a copy) only
// when pricing says so, its owner and the members it is shared with always pass, and
// nothing leaves when pricing cannot be asked.
#include "services/metadata/sale_gate.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "libs/crypto/signing.h"
#include "libs/kit/channel.h"
#include "libs/kit/error_details.h"
#include "services/metadata/blob_directory.h"
#include "services/metadata/links.h"
#include "services/metadata/quota_reserver.h"
#include "services/metadata/uploads.h"
#include "tests/unit/metadata/tree_fixture.h"

namespace bitcontent::metadata {
namespace {

const Actor kCarol{.user_id = "01HXCAR0000000000000000000", .device_id = "tablet"};

// Pricing as the tests script it: a decision per member ("" for anonymous callers), a
// default for the others, or a failure; every question is recorded.
class ScriptedGate final : public SaleGate {
 public:
  absl::StatusOr<SaleDecision> Check(absl::string_view node,
                                     absl::string_view user_id) const override {
    asked.emplace_back(node, user_id);
    if (!failure.ok()) return failure;
    const auto found = decisions.find(std::string(user_id));
    return found != decisions.end() ? found->second : otherwise;
  }

  std::map<std::string, SaleDecision> decisions;
  SaleDecision otherwise = SaleDecision::kPaymentRequired;
  absl::Status failure = absl::OkStatus();
  mutable std::vector<std::pair<std::string, std::string>> asked;
};

// Ada's shop folder with a file on sale and a free one, a link to the folder, and the
// folder shared with Carol.
class Shop {
 public:
  Shop() : links_(fixture_.db(), &fixture_.tree(), &grant_key_, &gate, &members_) {
    const v1::Node root = fixture_.Root(kAda);
    shop_ = fixture_.MustFolder(kAda, root, "shop");
    album = fixture_.File(kAda, shop_, "album", "blobs/album", 100, kNow).node();
    free_song = fixture_.File(kAda, shop_, "free", "blobs/free", 10, kNow).node();
    REQUIRE(fixture_.tree().SetPriced(album.name(), true, kNow).ok());
    v1::CreateLinkRequest request;
    request.set_node(shop_.name());
    absl::StatusOr<v1::Link> made = links_.Create(kAda, request, kNow);
    REQUIRE(made.ok());
    link = made->name();
    fixture_.Share(kAda, shop_, kCarol, v1::SHARE_ROLE_READER);
  }

  // A READ grant for `file` through the link, for `reader` (null: anonymous).
  absl::StatusOr<v1::DownloadGrant> Grant(const v1::Node& file, const Actor* reader) {
    v1::IssueLinkDownloadGrantRequest request;
    request.set_link(link);
    request.set_node(file.name());
    return links_.IssueDownloadGrant(request, reader, kNow);
  }

  Fixture& fixture() { return fixture_; }
  Links& links() { return links_; }

  ScriptedGate gate;
  v1::Node album;
  v1::Node free_song;
  std::string link;

 private:
  Fixture fixture_;
  const auth::SigningKey grant_key_{.key_id = "md-test", .key_pair = crypto::NewSigningKeyPair()};
  const MemberStates members_{nullptr};  // No accounts: every member is active.
  Links links_;
  v1::Node shop_;
};

TEST_CASE("sale gate answers pricing's decisions as a reader should see them", "[metadata][sale]") {
  ScriptedGate gate;
  const std::string node = "nodes/01HXNNNN000000000000000000";
  gate.decisions = {{"bob", SaleDecision::kEntitled},
                    {"ada", SaleDecision::kSeller},
                    {"free", SaleDecision::kFree},
                    {"viewer", SaleDecision::kStreamOnly}};
  CHECK(RequireSale(gate, node, "bob").ok());
  CHECK(RequireSale(gate, node, "ada").ok());
  CHECK(RequireSale(gate, node, "free").ok());

  const absl::Status buy = RequireSale(gate, node, "carol");
  CHECK(buy.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(kit::DetailsOf(buy).reason() == common::v1::ERROR_REASON_PAYMENT_REQUIRED);
  CHECK(kit::DetailsOf(buy).metadata().at("node") == node);
  CHECK(buy.message().find("buy it first (bitcontent buy LINK)") != absl::string_view::npos);

  // Anonymous: nothing can be bought without an account, so the answer is to log in.
  const absl::Status login = RequireSale(gate, node, "");
  CHECK(login.code() == absl::StatusCode::kUnauthenticated);
  CHECK(kit::DetailsOf(login).reason() == common::v1::ERROR_REASON_PAYMENT_REQUIRED);
  CHECK(login.message().find("log in to buy this file") != absl::string_view::npos);

  const absl::Status stream = RequireSale(gate, node, "viewer");
  CHECK(stream.code() == absl::StatusCode::kFailedPrecondition);
  CHECK(kit::DetailsOf(stream).metadata().at("access_decision") == "STREAM_ONLY");
  CHECK(kit::DetailsOf(stream).reason() != common::v1::ERROR_REASON_PAYMENT_REQUIRED);

  gate.failure = absl::UnavailableError("pricing is unreachable");
  CHECK(absl::IsUnavailable(RequireSale(gate, node, "bob")));
}

TEST_CASE("sale gate over gRPC fails closed without pricing", "[metadata][sale]") {
  const std::string node = "nodes/01HXNNNN000000000000000000";
  const PricingSaleGate unconfigured(nullptr);
  absl::StatusOr<SaleDecision> none = unconfigured.Check(node, "01HXB0B0000000000000000000");
  CHECK(absl::IsUnavailable(none.status()));
  CHECK(none.status().message().find("--pricing_target") != absl::string_view::npos);

  // Nothing listens on port 1: refused at once, well inside the call's deadline.
  const PricingSaleGate down(kit::NewChannel("127.0.0.1:1"));
  const absl::Time start = absl::Now();
  absl::StatusOr<SaleDecision> refused = down.Check(node, "01HXB0B0000000000000000000");
  CHECK(absl::IsUnavailable(refused.status()));
  CHECK(refused.status().message().find("pricing is unreachable") != absl::string_view::npos);
  CHECK(absl::Now() - start <= PricingSaleGate::kCallTimeout + absl::Seconds(1));
}

TEST_CASE("sale gate lets a link hand out free files without asking pricing", "[metadata][sale]") {
  Shop shop;
  absl::StatusOr<v1::DownloadGrant> grant = shop.Grant(shop.free_song, nullptr);
  INFO(grant.status().ToString());
  REQUIRE(grant.ok());
  CHECK(grant->blob() == "blobs/free");
  CHECK(shop.gate.asked.empty());
}

TEST_CASE("sale gate asks pricing before a link hands out a file on sale", "[metadata][sale]") {
  Shop shop;
  shop.gate.decisions = {{kBob.user_id, SaleDecision::kEntitled}};

  // Anonymous: pricing is asked (a file may be priced at 0), and says buy; log in first.
  absl::StatusOr<v1::DownloadGrant> anonymous = shop.Grant(shop.album, nullptr);
  CHECK(anonymous.status().code() == absl::StatusCode::kUnauthenticated);
  CHECK(kit::DetailsOf(anonymous.status()).reason() == common::v1::ERROR_REASON_PAYMENT_REQUIRED);
  REQUIRE(shop.gate.asked.size() == 1);
  CHECK(shop.gate.asked[0] == std::make_pair(shop.album.name(), std::string()));

  // Bob bought it.
  absl::StatusOr<v1::DownloadGrant> bought = shop.Grant(shop.album, &kBob);
  INFO(bought.status().ToString());
  REQUIRE(bought.ok());
  CHECK(bought->blob() == "blobs/album");
  CHECK(shop.gate.asked.back() == std::make_pair(shop.album.name(), kBob.user_id));

  // A stranger did not.
  const Actor stranger{.user_id = "01HXSTRANGER00000000000000"};
  absl::StatusOr<v1::DownloadGrant> refused = shop.Grant(shop.album, &stranger);
  CHECK(refused.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(kit::DetailsOf(refused.status()).reason() == common::v1::ERROR_REASON_PAYMENT_REQUIRED);

  // Sold for streaming only: no download for anybody but those who hold the key.
  shop.gate.otherwise = SaleDecision::kStreamOnly;
  absl::StatusOr<v1::DownloadGrant> stream = shop.Grant(shop.album, &stranger);
  CHECK(stream.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(kit::DetailsOf(stream.status()).metadata().at("access_decision") == "STREAM_ONLY");

  // Priced at 0: anyone, anonymous too.
  shop.gate.otherwise = SaleDecision::kFree;
  CHECK(shop.Grant(shop.album, nullptr).ok());
}

TEST_CASE("sale gate never hands out a file on sale when pricing is unreachable",
          "[metadata][sale]") {
  Shop shop;
  shop.gate.failure =
      absl::UnavailableError("cannot check the purchase of a file on sale: pricing is unreachable");
  CHECK(absl::IsUnavailable(shop.Grant(shop.album, &kBob).status()));
  CHECK(absl::IsUnavailable(shop.Grant(shop.album, nullptr).status()));
  // What is not for sale is not held up by pricing.
  CHECK(shop.Grant(shop.free_song, nullptr).ok());
}

TEST_CASE("sale gate lets the owner and share members read as before the sale",
          "[metadata][sale]") {
  Shop shop;
  // Pricing down, and it would refuse anyway: neither is asked about these two.
  shop.gate.failure = absl::UnavailableError("pricing is unreachable");
  absl::StatusOr<v1::DownloadGrant> owner = shop.Grant(shop.album, &kAda);
  INFO(owner.status().ToString());
  CHECK(owner.ok());
  // Carol's share of the folder gave her the file's key before it went on sale.
  absl::StatusOr<v1::DownloadGrant> member = shop.Grant(shop.album, &kCarol);
  INFO(member.status().ToString());
  CHECK(member.ok());
  CHECK(shop.gate.asked.empty());
}

TEST_CASE("sale gate guards copies from a link (import) as it guards grants", "[metadata][sale]") {
  Shop shop;
  const Actor stranger{.user_id = "01HXSTRANGER00000000000000"};
  absl::StatusOr<v1::Node> refused =
      shop.links().Open(shop.link, shop.album.name(), &stranger, kNow);
  CHECK(refused.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(kit::DetailsOf(refused.status()).reason() == common::v1::ERROR_REASON_PAYMENT_REQUIRED);
  shop.gate.decisions = {{stranger.user_id, SaleDecision::kEntitled}};
  absl::StatusOr<v1::Node> bought =
      shop.links().Open(shop.link, shop.album.name(), &stranger, kNow);
  REQUIRE(bought.ok());
  CHECK(bought->priced());
  CHECK(bought->owner().empty());  // As a link shows nodes.

  // Uploads::Copy goes through the gate before it touches the quota.
  shop.gate.decisions.clear();
  QuotaReserver quota(nullptr);
  const BlobDirectory blobs(nullptr);
  const auth::SigningKey key{.key_id = "md-copy", .key_pair = crypto::NewSigningKeyPair()};
  Uploads uploads(shop.fixture().db(), &shop.fixture().tree(), &quota, &blobs, &key);
  const v1::Node bob_root = shop.fixture().Root(kBob);
  v1::CopyNodeRequest copy;
  copy.set_source(shop.album.name());
  copy.set_link(shop.link);
  copy.set_new_parent(bob_root.name());
  copy.set_wrapped_key(WrappedKey());
  copy.set_name_hmac(NameHmac("album"));
  absl::StatusOr<v1::Node> copied = uploads.Copy(kBob, copy, shop.links(), kNow);
  CHECK(copied.status().code() == absl::StatusCode::kFailedPrecondition);
  CHECK(kit::DetailsOf(copied.status()).reason() == common::v1::ERROR_REASON_PAYMENT_REQUIRED);
  REQUIRE_FALSE(shop.gate.asked.empty());
  CHECK(shop.gate.asked.back() == std::make_pair(shop.album.name(), kBob.user_id));
}

}  // namespace
}  // namespace bitcontent::metadata
