#include "libs/auth/signed_token.h"

#include <catch2/catch.hpp>
#include <string>

#include "bitcontent/common/v1/signed_token.pb.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"
#include "tests/unit/auth/token_test_keys.h"
#include "tests/unit/crypto/expect_abort.h"

namespace bitcontent::auth {
namespace {

using common::v1::KEY_PURPOSE_ACCESS_TOKEN;
using common::v1::KEY_PURPOSE_CAPABILITY_GRANT;
using common::v1::KEY_PURPOSE_QUOTE;
using crypto::testing::RequireAbortMentioning;
using testing::TestNow;
using testing::TestPublicKey;
using testing::TestSigningKey;

// One access-token key and one quote key, each in the ring under its own purpose.
struct Fixture {
  SigningKey access_key = TestSigningKey("acc-1", 1);
  SigningKey quote_key = TestSigningKey("quote-1", 2);
  KeyRing ring;

  Fixture() {
    REQUIRE(ring.Add(TestPublicKey(access_key, KEY_PURPOSE_ACCESS_TOKEN)).ok());
    REQUIRE(ring.Add(TestPublicKey(quote_key, KEY_PURPOSE_QUOTE)).ok());
  }
};

common::v1::SignedToken Decode(absl::string_view text) {
  absl::StatusOr<std::string> bytes = crypto::Base64UrlDecode(text);
  REQUIRE(bytes.ok());
  common::v1::SignedToken token;
  REQUIRE(token.ParseFromString(*bytes));
  return token;
}

std::string Encode(const common::v1::SignedToken& token) {
  return crypto::Base64UrlEncode(token.SerializeAsString());
}

void RequireRejected(const absl::StatusOr<std::string>& verified, absl::string_view message) {
  REQUIRE(absl::IsUnauthenticated(verified.status()));
  CHECK(verified.status().message() == message);
}

TEST_CASE("auth signed_token: a signed payload verifies and comes back unchanged") {
  Fixture fixture;
  const std::string payload = std::string("claims\0with\xff bytes", 18);
  const std::string text = SignToken(KEY_PURPOSE_ACCESS_TOKEN, fixture.access_key, payload);
  CHECK(text.find_first_of("=+/") == std::string::npos);
  absl::StatusOr<std::string> verified =
      VerifyToken(text, KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow());
  REQUIRE(verified.ok());
  CHECK(*verified == payload);

  const common::v1::SignedToken token = Decode(text);
  CHECK(token.purpose() == KEY_PURPOSE_ACCESS_TOKEN);
  CHECK(token.key_id() == "acc-1");
  CHECK(token.payload() == payload);
}

TEST_CASE("auth signed_token: the signature covers label, a NUL byte and the payload") {
  // Built by hand from the framing documented in signed_token.proto, so an issuer in
  // another language following the contract produces tokens this code accepts.
  Fixture fixture;
  common::v1::SignedToken token;
  token.set_purpose(KEY_PURPOSE_QUOTE);
  token.set_key_id("quote-1");
  token.set_payload("quote claims");
  token.set_signature(crypto::Sign(fixture.quote_key.key_pair.secret_key,
                                   std::string("bitcontent/quote/v1\0quote claims", 32)));
  absl::StatusOr<std::string> verified =
      VerifyToken(Encode(token), KEY_PURPOSE_QUOTE, fixture.ring, TestNow());
  REQUIRE(verified.ok());
  CHECK(*verified == "quote claims");
  CHECK(Decode(SignToken(KEY_PURPOSE_QUOTE, fixture.quote_key, "quote claims")).signature() ==
        token.signature());
  CHECK(TokenLabel(KEY_PURPOSE_ACCESS_TOKEN) == "bitcontent/access-token/v1");
  CHECK(TokenLabel(KEY_PURPOSE_CAPABILITY_GRANT) == "bitcontent/capability-grant/v1");
  CHECK(TokenLabel(common::v1::KEY_PURPOSE_RECEIPT).empty());
}

TEST_CASE("auth signed_token: a token signed for one purpose is rejected for another") {
  Fixture fixture;
  const std::string quote = SignToken(KEY_PURPOSE_QUOTE, fixture.quote_key, "p");
  RequireRejected(VerifyToken(quote, KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
                  "wrong token purpose");

  // Relabelling the purpose field does not help: the quote key is not an access-token key.
  common::v1::SignedToken relabelled = Decode(quote);
  relabelled.set_purpose(KEY_PURPOSE_ACCESS_TOKEN);
  RequireRejected(
      VerifyToken(Encode(relabelled), KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
      "unknown signing key");

  // Nor does it when one key pair is (wrongly) published for both purposes: the label
  // inside the signed bytes differs, so the signature fails.
  REQUIRE(fixture.ring
              .Add(TestPublicKey(
                  SigningKey{.key_id = "acc-same-pair", .key_pair = fixture.quote_key.key_pair},
                  KEY_PURPOSE_ACCESS_TOKEN))
              .ok());
  relabelled.set_key_id("acc-same-pair");
  RequireRejected(
      VerifyToken(Encode(relabelled), KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
      "bad signature");
}

TEST_CASE("auth signed_token: unknown key ids are rejected") {
  Fixture fixture;
  const SigningKey stranger = TestSigningKey("acc-2", 7);
  RequireRejected(VerifyToken(SignToken(KEY_PURPOSE_ACCESS_TOKEN, stranger, "p"),
                              KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
                  "unknown signing key");
  // A forger naming a known key id with his own key fails on the signature.
  const SigningKey impostor = TestSigningKey("acc-1", 7);
  RequireRejected(VerifyToken(SignToken(KEY_PURPOSE_ACCESS_TOKEN, impostor, "p"),
                              KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
                  "bad signature");
}

TEST_CASE("auth signed_token: a tampered payload or signature is rejected") {
  Fixture fixture;
  const common::v1::SignedToken token =
      Decode(SignToken(KEY_PURPOSE_ACCESS_TOKEN, fixture.access_key, "user=alice"));
  common::v1::SignedToken altered_payload = token;
  altered_payload.set_payload("user=mallory");
  RequireRejected(
      VerifyToken(Encode(altered_payload), KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
      "bad signature");
  for (size_t i : {size_t{0}, size_t{31}, size_t{63}}) {
    common::v1::SignedToken altered_signature = token;
    altered_signature.mutable_signature()->at(i) ^= 0x01;
    INFO("flipped signature byte " << i);
    RequireRejected(
        VerifyToken(Encode(altered_signature), KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
        "bad signature");
  }
  common::v1::SignedToken short_signature = token;
  short_signature.mutable_signature()->pop_back();
  RequireRejected(
      VerifyToken(Encode(short_signature), KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
      "malformed token");
}

TEST_CASE("auth signed_token: a key is accepted only inside its validity window") {
  Fixture fixture;
  const SigningKey future_key = TestSigningKey("acc-future", 3);
  REQUIRE(fixture.ring
              .Add(PublicKeyOf(future_key, KEY_PURPOSE_ACCESS_TOKEN, "accounts",
                               TestNow() + absl::Hours(1)))
              .ok());
  const std::string early = SignToken(KEY_PURPOSE_ACCESS_TOKEN, future_key, "p");
  RequireRejected(VerifyToken(early, KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
                  "key not valid at this time");
  CHECK(
      VerifyToken(early, KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow() + absl::Hours(2)).ok());

  common::v1::PublicKey retired = TestPublicKey(fixture.access_key, KEY_PURPOSE_ACCESS_TOKEN);
  *retired.mutable_not_after_time() = ProtoFromTime(TestNow() - absl::Hours(1));
  REQUIRE(fixture.ring.Add(retired).ok());
  RequireRejected(VerifyToken(SignToken(KEY_PURPOSE_ACCESS_TOKEN, fixture.access_key, "p"),
                              KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
                  "key not valid at this time");
}

TEST_CASE("auth signed_token: a key window edge within the clock skew is accepted") {
  Fixture fixture;
  const SigningKey fresh_key = TestSigningKey("acc-fresh", 4);
  REQUIRE(fixture.ring
              .Add(PublicKeyOf(fresh_key, KEY_PURPOSE_ACCESS_TOKEN, "accounts",
                               TestNow() + absl::Seconds(10)))
              .ok());
  CHECK(VerifyToken(SignToken(KEY_PURPOSE_ACCESS_TOKEN, fresh_key, "p"), KEY_PURPOSE_ACCESS_TOKEN,
                    fixture.ring, TestNow())
            .ok());
}

TEST_CASE("auth signed_token: garbage text is a malformed token, never a crash") {
  Fixture fixture;
  for (const std::string& garbage :
       {std::string(), std::string("!!!"), std::string("abc"), std::string("Zm9vYmFy"),
        std::string("Bearer xyz"), crypto::Base64UrlEncode(crypto::RandomBytes(200)),
        crypto::Base64UrlEncode(std::string(100, '\xff')), std::string(4096, 'A'),
        std::string("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")}) {
    INFO("text: " << garbage.substr(0, 60));
    RequireRejected(VerifyToken(garbage, KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
                    "malformed token");
  }
}

TEST_CASE("auth signed_token: oversized text is refused before decoding") {
  Fixture fixture;
  RequireRejected(VerifyToken(std::string(kSignedTokenTextBytesMax + 1, 'A'),
                              KEY_PURPOSE_ACCESS_TOKEN, fixture.ring, TestNow()),
                  "token too long");
}

TEST_CASE("auth signed_token: mistakes in issuing or verifying code abort") {
  Fixture fixture;
  RequireAbortMentioning(
      [&] { SignToken(common::v1::KEY_PURPOSE_RECEIPT, fixture.access_key, "p"); },
      "SignToken: purpose KEY_PURPOSE_RECEIPT is not signed as a SignedToken");
  RequireAbortMentioning(
      [&] { (void)VerifyToken("x", common::v1::KEY_PURPOSE_UNSPECIFIED, fixture.ring, TestNow()); },
      "VerifyToken: purpose KEY_PURPOSE_UNSPECIFIED");
  RequireAbortMentioning([&] { SignToken(KEY_PURPOSE_ACCESS_TOKEN, TestSigningKey("", 1), "p"); },
                         "SignToken: key id must be 1 to 128 characters, got 0");
  RequireAbortMentioning(
      [&] { SignToken(KEY_PURPOSE_ACCESS_TOKEN, fixture.access_key, std::string(4000, 'p')); },
      "more than verifiers accept");
}

}  // namespace
}  // namespace bitcontent::auth
