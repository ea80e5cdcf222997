// Node envelopes: what the server is given opens only with the right keys, and leaks no
// name.
#include "libs/client/node_envelope.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/auth/proto_time.h"
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
        std::string("\xed\xa0\x80"), std::string("\xff"), std::string("two\nlines"),
        std::string("a\ttab"), std::string("esc\x1b[31m"), std::string("del\x7f"),
        std::string("csi\xc2\x9b"), std::string("cr\r")}) {
    INFO(bad);
    CHECK(ValidateNodeName(bad).code() == absl::StatusCode::kInvalidArgument);
    CHECK(SealChild(crypto::RandomBytes(32), bad, kNow).status().code() ==
          absl::StatusCode::kInvalidArgument);
  }
  CHECK(ValidateNodeName("Übersicht 2026 – final ✓.txt").ok());
  CHECK(ValidateNodeName(std::string(255, 'x')).ok());
}

TEST_CASE("a control character in a name is refused and named escaped", "[client][nodes]") {
  const absl::Status refused = ValidateNodeName("two\nlines");
  CHECK(refused.message() ==
        "\"two\\nlines\" cannot name a file or folder: it contains the control character \\n "
        "(a tab, a new line and the like are not allowed in names)");
  CHECK_THAT(std::string(ValidateNodeName("csi\xc2\x9b").message()),
             Catch::Contains("control character \\u009b"));
  // Past the controls, anything UTF-8: U+00A0 and on, right-to-left scripts, emoji.
  CHECK(ValidateNodeName("caf\xc3\xa9 \xc2\xa0 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x93\x81")
            .ok());
}

TEST_CASE("a name prints with its control characters and stray bytes escaped", "[client][nodes]") {
  CHECK(PrintableName("plain name.txt") == "plain name.txt");
  CHECK(PrintableName("two\nlines\tand\r") == "two\\nlines\\tand\\r");
  CHECK(PrintableName("esc\x1b[2J") == "esc\\x1b[2J");
  CHECK(PrintableName(std::string("nul\0", 4)) == "nul\\x00");
  CHECK(PrintableName("del\x7f") == "del\\x7f");
  CHECK(PrintableName("csi\xc2\x9b") == "csi\\u009b");
  CHECK(PrintableName("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(PrintableName("bad\xff\xc3") == "bad\\xff\\xc3");
  // A right-to-left override would show "photo\u202egnp.exe" as "photoexe.png".
  CHECK(PrintableName("photo\xe2\x80\xaegnp.exe") == "photo\\u202egnp.exe");
  CHECK(PrintableName("iso\xe2\x81\xa6late") == "iso\\u2066late");
  CHECK(PrintableName("dash\xe2\x80\x94ok") == "dash\xe2\x80\x94ok");
}

TEST_CASE("a rename seals the new name and keeps the node's other attributes", "[client][nodes]") {
  const std::string parent = crypto::RandomBytes(32);
  absl::StatusOr<SealedNode> sealed = SealChild(parent, "draft.txt", kNow);
  REQUIRE(sealed.ok());
  absl::StatusOr<std::string> renamed =
      RenamedAttributes(sealed->key, sealed->encrypted_attributes, "final.txt");
  REQUIRE(renamed.ok());
  absl::StatusOr<v1::NodeAttributes> opened = OpenAttributes(sealed->key, *renamed);
  REQUIRE(opened.ok());
  CHECK(opened->name() == "final.txt");
  CHECK(auth::TimeFromProto(opened->modify_time()) == kNow);
  CHECK(RenamedAttributes(sealed->key, sealed->encrypted_attributes, "a/b").status().code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(RenamedAttributes(crypto::RandomBytes(32), sealed->encrypted_attributes, "x")
            .status()
            .code() == absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace bitcontent::client
