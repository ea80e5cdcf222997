// Webhook signatures: HMAC-SHA256 against the RFC 4231 test vectors, the header's exact
// format, and the check a receiver makes (VerifySignature).
#include "services/pricing/webhook_signature.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/encoding.h"

namespace bitcontent::pricing {
namespace {

std::string Hmac(const std::string& key, const std::string& data) {
  return crypto::HexEncode(HmacSha256(key, data));
}

constexpr int64_t kSentAt = 1'700'000'000;
const std::string kBody = R"({"id":"evt_1"})";

}  // namespace

TEST_CASE("HMAC-SHA256 matches the RFC 4231 test vectors") {
  // Test case 1: a 20-byte key.
  CHECK(Hmac(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the output.
  CHECK(Hmac("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 3: 50 bytes of data.
  CHECK(Hmac(std::string(20, '\xaa'), std::string(50, '\xdd')) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // Test case 4: a 25-byte key 0x01..0x19.
  std::string key4;
  for (char c = 1; c <= 25; ++c) key4.push_back(c);
  CHECK(Hmac(key4, std::string(50, '\xcd')) ==
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test cases 6 and 7: a key longer than the block, hashed first.
  const std::string key6(131, '\xaa');
  CHECK(Hmac(key6, "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(Hmac(key6,
             "This is a test using a larger than block-size key and a larger than block-size "
             "data. The key needs to be hashed before being used by the HMAC algorithm.") ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("The signature header is t=<unix> then one v1= per secret over t.body") {
  // Expected values computed independently (Python's hmac module) over "1700000000.<body>"
  // with the whole secret string as the key.
  CHECK(SignatureHeader({"whsec_test_secret"}, kSentAt, kBody) ==
        "t=1700000000,v1=248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a");
  CHECK(SignatureHeader({"whsec_test_secret", "whsec_old_secret"}, kSentAt, kBody) ==
        "t=1700000000,v1=248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a,"
        "v1=6dc3855b845a24ac8ac412b25b4fc16893a8194315480344360bcacdb1183294");
}

TEST_CASE("VerifySignature accepts the right secret and body within the tolerance") {
  const std::string header = SignatureHeader({"whsec_test_secret"}, kSentAt, kBody);
  const absl::Time sent = absl::FromUnixSeconds(kSentAt);
  CHECK(VerifySignature(header, kBody, "whsec_test_secret", sent).ok());
  CHECK(VerifySignature(header, kBody, "whsec_test_secret", sent + absl::Minutes(4)).ok());
  // During a rotation the receiver holding either secret accepts.
  const std::string rotated =
      SignatureHeader({"whsec_new_secret", "whsec_test_secret"}, kSentAt, kBody);
  CHECK(VerifySignature(rotated, kBody, "whsec_test_secret", sent).ok());
  CHECK(VerifySignature(rotated, kBody, "whsec_new_secret", sent).ok());
}

TEST_CASE("VerifySignature rejects a wrong secret a changed body and a stale timestamp") {
  const std::string header = SignatureHeader({"whsec_test_secret"}, kSentAt, kBody);
  const absl::Time sent = absl::FromUnixSeconds(kSentAt);
  CHECK(absl::IsPermissionDenied(VerifySignature(header, kBody, "whsec_other_secret", sent)));
  CHECK(absl::IsPermissionDenied(
      VerifySignature(header, R"({"id":"evt_2"})", "whsec_test_secret", sent)));
  CHECK(absl::IsPermissionDenied(
      VerifySignature(header, kBody, "whsec_test_secret", sent + absl::Minutes(6))));
  CHECK(absl::IsPermissionDenied(
      VerifySignature(header, kBody, "whsec_test_secret", sent - absl::Minutes(6))));
  // A changed timestamp breaks the signature too: t is signed.
  const std::string moved = "t=1700000001" + header.substr(header.find(','));
  CHECK(absl::IsPermissionDenied(VerifySignature(moved, kBody, "whsec_test_secret", sent)));
}

TEST_CASE("VerifySignature refuses malformed headers") {
  const absl::Time sent = absl::FromUnixSeconds(kSentAt);
  for (const char* header : {"", "v1=00", "t=1700000000", "t=abc,v1=00", "garbage"}) {
    INFO(header);
    CHECK(absl::IsInvalidArgument(VerifySignature(header, kBody, "whsec_test_secret", sent)));
  }
  CHECK(absl::IsInvalidArgument(
      VerifySignature(std::string(600, 'x'), kBody, "whsec_test_secret", sent)));
}

}  // namespace bitcontent::pricing

namespace bitcontent::pricing {

TEST_CASE("The worked example of docs/webhooks.md verifies") {
  const std::string body =
      R"({"id":"evt_01JEXAMPLE0000000000000000","type":"payment.succeeded",)"
      R"("createTime":"2026-12-04T21:00:00Z","paymentSucceeded":{"purchase":)"
      R"("purchases/01JEXAMPLEPURCHASE000000000","subject":)"
      R"("users/01JEXAMPLEUSER000000000000/paywallResources/01JEXAMPLERESOURCE000000000",)"
      R"("externalId":"ledger-explained","amountMsat":"250000","buyerRef":"b_3f9a",)"
      R"("receiptToken":"eyJ..."}})";
  const std::string secret = "whsec_dGhpcyBpcyBub3QgYSByZWFsIHNlY3JldCBrZXkhISE";
  const std::string header =
      "t=1796418000,v1=240e8b125723cfc0d4f2059df942a783d54cefd578666aaa77875f6f9ff5f329";
  CHECK(SignatureHeader({secret}, 1796418000, body) == header);
  CHECK(VerifySignature(header, body, secret, absl::FromUnixSeconds(1796418000)).ok());
}

}  // namespace bitcontent::pricing
