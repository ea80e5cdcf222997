#include "services/pricing/receipts.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/signing.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

absl::Status Invalid(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("receipt_token: ", why));
}

// The header's "kid" when the header is exactly what IssueReceipt writes (EdDSA, our type).
absl::StatusOr<std::string> KeyIdOfHeader(absl::string_view encoded) {
  absl::StatusOr<std::string> json = crypto::Base64UrlDecode(encoded);
  google::protobuf::Struct header;
  if (!json.ok() || !google::protobuf::util::JsonStringToMessage(*json, &header).ok()) {
    return Invalid("the JWS header is not base64url JSON");
  }
  const auto& fields = header.fields();
  const auto alg = fields.find("alg");
  const auto kid = fields.find("kid");
  const auto typ = fields.find("typ");
  if (alg == fields.end() || alg->second.string_value() != "EdDSA") {
    return Invalid("the JWS header's alg must be \"EdDSA\"");
  }
  if (typ == fields.end() || typ->second.string_value() != kReceiptType) {
    return Invalid(absl::StrCat("the JWS header's typ must be \"", kReceiptType, "\""));
  }
  if (kid == fields.end() || kid->second.string_value().empty()) {
    return Invalid("the JWS header names no kid");
  }
  return kid->second.string_value();
}

}  // namespace

std::string BuyerRef(std::string_view secret, std::string_view seller, std::string_view buyer) {
  const std::string mac = crypto::HmacSha256(
      Absl(secret), absl::StrCat(Absl(seller), std::string(1, '\0'), Absl(buyer)));
  return absl::StrCat("br_", crypto::Base64UrlEncode(mac));
}

std::string IssueReceipt(const auth::SigningKey& key, v1::Receipt receipt) {
  receipt.set_key_id(key.key_id);
  const std::string header =
      absl::StrCat(R"({"alg":"EdDSA","kid":")", key.key_id, R"(","typ":")", kReceiptType, R"("})");
  std::string payload;
  // A receipt is built here from valid fields; printing it cannot fail but on a bug.
  if (!google::protobuf::util::MessageToJsonString(receipt, &payload).ok()) std::abort();
  const std::string input =
      absl::StrCat(crypto::Base64UrlEncode(header), ".", crypto::Base64UrlEncode(payload));
  return absl::StrCat(input, ".",
                      crypto::Base64UrlEncode(crypto::Sign(key.key_pair.secret_key, input)));
}

absl::StatusOr<v1::Receipt> VerifyReceipt(std::string_view token, const auth::KeyRing& keys) {
  if (token.empty()) return Invalid("is required");
  if (token.size() > kReceiptTokenBytesMax) {
    return Invalid(absl::StrCat("is at most ", kReceiptTokenBytesMax, " characters"));
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(Absl(token), '.');
  if (parts.size() != 3) return Invalid("is not a compact JWS (header.payload.signature)");
  absl::StatusOr<std::string> kid = KeyIdOfHeader(parts[0]);
  if (!kid.ok()) return kid.status();
  const common::v1::PublicKey* key = keys.Find(*kid);
  if (key == nullptr || key->purpose() != common::v1::KEY_PURPOSE_RECEIPT ||
      key->algorithm() != common::v1::KEY_ALGORITHM_ED25519) {
    return Invalid(absl::StrCat("no receipt key \"", *kid, "\" is known"));
  }
  absl::StatusOr<std::string> signature = crypto::Base64UrlDecode(parts[2]);
  const std::string input = absl::StrCat(parts[0], ".", parts[1]);
  if (!signature.ok() || !crypto::VerifySignature(key->public_key(), input, *signature)) {
    return Invalid("the signature does not verify");
  }
  absl::StatusOr<std::string> payload = crypto::Base64UrlDecode(parts[1]);
  v1::Receipt receipt;
  if (!payload.ok() || !google::protobuf::util::JsonStringToMessage(*payload, &receipt).ok() ||
      receipt.key_id() != *kid) {
    return Invalid("the payload is not a receipt signed by the key it names");
  }
  return receipt;
}

}  // namespace bitcontent::pricing
