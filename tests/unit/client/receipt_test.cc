// Receipts as a buyer's CLI reads them: the payload of a compact JWS, and whether its
// signature verifies offline with the KEY_PURPOSE_RECEIPT key its kid names in
// GET /v1/keys, never with a key of another purpose; and the reason of a failed call.
#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "libs/client/api_client.h"
#include "libs/client/pricing_client.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/signing.h"

namespace bitcontent::client {
namespace {

common::v1::PublicKey KeyOf(const crypto::SigningKeyPair& pair, absl::string_view id,
                            common::v1::KeyPurpose purpose) {
  common::v1::PublicKey key;
  key.set_key_id(std::string(id));
  key.set_algorithm(common::v1::KEY_ALGORITHM_ED25519);
  key.set_purpose(purpose);
  key.set_public_key(pair.public_key);
  key.set_issuer("pricing");
  return key;
}

std::string Jws(const crypto::SigningKeyPair& pair, absl::string_view kid,
                const pricing::v1::Receipt& receipt) {
  std::string payload;
  REQUIRE(google::protobuf::util::MessageToJsonString(receipt, &payload).ok());
  const std::string signing_input =
      absl::StrCat(crypto::Base64UrlEncode(absl::StrCat(R"({"alg":"EdDSA","kid":")", kid,
                                                        R"(","typ":"bitcontent-receipt+jwt"})")),
                   ".", crypto::Base64UrlEncode(payload));
  return absl::StrCat(signing_input, ".",
                      crypto::Base64UrlEncode(crypto::Sign(pair.secret_key, signing_input)));
}

TEST_CASE("a receipt reads offline and verifies only with its receipt key", "[client][receipt]") {
  const crypto::SigningKeyPair signer = crypto::NewSigningKeyPair();
  pricing::v1::Receipt receipt;
  receipt.set_receipt_id("ABCDEFGHJKMNPQRSTVWXYZ0123");
  receipt.set_purchase("purchases/01HX");
  receipt.set_amount_msat(1500);
  receipt.set_key_id("rcpt-1");
  const std::string token = Jws(signer, "rcpt-1", receipt);

  const std::vector<common::v1::PublicKey> published = {
      KeyOf(crypto::NewSigningKeyPair(), "rcpt-0", common::v1::KEY_PURPOSE_RECEIPT),
      KeyOf(signer, "rcpt-1", common::v1::KEY_PURPOSE_RECEIPT)};
  absl::StatusOr<std::pair<pricing::v1::Receipt, bool>> read = ReadReceipt(token, published);
  REQUIRE(read.ok());
  CHECK(read->first.receipt_id() == "ABCDEFGHJKMNPQRSTVWXYZ0123");
  CHECK(read->first.amount_msat() == 1500);
  CHECK(read->second);

  // The same key published for another purpose verifies nothing; nor does no key.
  CHECK_FALSE(ReadReceipt(token, {KeyOf(signer, "rcpt-1", common::v1::KEY_PURPOSE_QUOTE)})->second);
  CHECK_FALSE(ReadReceipt(token, {})->second);
  // One changed byte of the payload fails the signature.
  std::string tampered = token;
  const size_t at = tampered.find('.') + 3;
  tampered[at] = tampered[at] == 'A' ? 'B' : 'A';
  absl::StatusOr<std::pair<pricing::v1::Receipt, bool>> changed = ReadReceipt(tampered, published);
  CHECK((!changed.ok() || !changed->second));

  CHECK(ReadReceipt("not-a-jws", published).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("a failed call carries the gateway's error reason", "[client][receipt]") {
  absl::Status refused = absl::FailedPreconditionError("pay first");
  CHECK(ErrorReasonOf(refused) == common::v1::ERROR_REASON_UNSPECIFIED);
  refused.SetPayload(kErrorReasonPayload, absl::Cord("ERROR_REASON_PAYMENT_REQUIRED"));
  CHECK(ErrorReasonOf(refused) == common::v1::ERROR_REASON_PAYMENT_REQUIRED);
  CHECK(NodeSubject("01HX") == "nodes/01HX");
  CHECK(NodeSubject("nodes/01HX") == "nodes/01HX");
}

}  // namespace
}  // namespace bitcontent::client
