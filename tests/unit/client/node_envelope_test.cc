// Node envelopes: what the server is given opens only with the right keys, and leaks no
// name.
#include "libs/client/node_envelope.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/random.h"

namespace bitcontent::client {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1790000000);

TEST_CASE("client node envelopes open with the parent's key and hide the name", "[client][nodes]") {
  const std::string master_key = crypto::RandomBytes(32);
  const SealedNode root = SealRoot(master_key, kNow);
  CHECK(root.wrapped_key.size() == 72);  // What metadata requires.
  CHECK(root.name_hmac.empty());
  absl::StatusOr<OpenedNode> opened_root =
      OpenNode(master_key, root.wrapped_key, root.encrypted_attributes);
  REQUIRE(opened_root.ok());
  CHECK(opened_root->key == root.key);
  CHECK(opened_root->attributes.name().empty());

  absl::StatusOr<SealedNode> photos = SealChild(root.key, "Holiday photos", kNow);
  REQUIRE(photos.ok());
  CHECK(photos->name_hmac.size() == 32);
  CHECK(photos->encrypted_attributes.find("Holiday") == std::string::npos);
  absl::StatusOr<OpenedNode> opened =
      OpenNode(root.key, photos->wrapped_key, photos->encrypted_attributes);
  REQUIRE(opened.ok());
  CHECK(opened->attributes.name() == "Holiday photos");
  CHECK(opened->key == photos->key);

  // Another folder's key, or the master key, opens nothing.
  CHECK(OpenNode(master_key, photos->wrapped_key, photos->encrypted_attributes).status().code() ==
        absl::StatusCode::kDataLoss);
  // Attributes of one node under another's key: refused.
  absl::StatusOr<SealedNode> other = SealChild(root.key, "Other", kNow);
  REQUIRE(other.ok());
  CHECK(OpenNode(root.key, photos->wrapped_key, other->encrypted_attributes).status().code() ==
        absl::StatusCode::kDataLoss);
  std::string tampered = photos->encrypted_attributes;
  tampered.back() ^= 1;
  CHECK(OpenNode(root.key, photos->wrapped_key, tampered).status().code() ==
        absl::StatusCode::kDataLoss);
}

TEST_CASE("client name HMACs are equal for equal names in one folder only", "[client][nodes]") {
  const std::string a = crypto::RandomBytes(32);
  const std::string b = crypto::RandomBytes(32);
  CHECK(NameHmac(a, "report.pdf") == NameHmac(a, "report.pdf"));
  CHECK(NameHmac(a, "report.pdf") != NameHmac(a, "Report.pdf"));
  CHECK(NameHmac(a, "report.pdf") != NameHmac(b, "report.pdf"));
  absl::StatusOr<SealedNode> sealed = SealChild(a, "report.pdf", kNow);
  REQUIRE(sealed.ok());
  CHECK(sealed->name_hmac == NameHmac(a, "report.pdf"));
  // Re-wrapping for a move keeps the key.
  const std::string moved = WrapNodeKey(b, sealed->key);
  absl::StatusOr<OpenedNode> reopened = OpenNode(b, moved, sealed->encrypted_attributes);
  REQUIRE(reopened.ok());
  CHECK(reopened->attributes.name() == "report.pdf");
}

TEST_CASE("client refuses names no file system would take", "[client][nodes]") {
  for (const std::string& bad :
       {std::string(""), std::string("."), std::string(".."), std::string("a/b"),
        std::string("nul\0byte", 8), std::string(256, 'x'), std::string("\xc0\xaf"),
        std::string("\xed\xa0\x80"), std::string("\xff")}) {
    INFO(bad);
    CHECK(ValidateNodeName(bad).code() == absl::StatusCode::kInvalidArgument);
    CHECK(SealChild(crypto::RandomBytes(32), bad, kNow).status().code() ==
          absl::StatusCode::kInvalidArgument);
  }
  CHECK(ValidateNodeName("Übersicht 2026 – final ✓.txt").ok());
  CHECK(ValidateNodeName(std::string(255, 'x')).ok());
}

}  // namespace
}  // namespace bitcontent::client
