#include "libs/auth/signed_token.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bitcontent/common/v1/signed_token.pb.h"
#include "libs/auth/clock_skew.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/programmer_error.h"

namespace bitcontent::auth {
namespace {

// What the signature covers: label || 0x00 || payload. The NUL ends the label, so no
// label can be a prefix of another's signed bytes.
std::string SignedBytes(absl::string_view label, absl::string_view payload) {
  return absl::StrCat(label, absl::string_view("\0", 1), payload);
}

absl::string_view RequireLabel(absl::string_view function, common::v1::KeyPurpose purpose) {
  absl::string_view label = TokenLabel(purpose);
  if (label.empty()) {
    crypto::ProgrammerError(absl::StrCat(function, ": purpose ",
                                         common::v1::KeyPurpose_Name(purpose),
                                         " is not signed as a SignedToken"));
  }
  return label;
}

bool KeyValidAt(const common::v1::PublicKey& key, absl::Time now) {
  if (key.has_not_before_time() && now + kClockSkew < TimeFromProto(key.not_before_time())) {
    return false;
  }
  if (key.has_not_after_time() && now - kClockSkew > TimeFromProto(key.not_after_time())) {
    return false;
  }
  return true;
}

}  // namespace

absl::string_view TokenLabel(common::v1::KeyPurpose purpose) {
  switch (purpose) {
    case common::v1::KEY_PURPOSE_ACCESS_TOKEN:
      return "bitcontent/access-token/v1";
    case common::v1::KEY_PURPOSE_CAPABILITY_GRANT:
      return "bitcontent/capability-grant/v1";
    case common::v1::KEY_PURPOSE_QUOTE:
      return "bitcontent/quote/v1";
    default:
      return "";
  }
}

common::v1::PublicKey PublicKeyOf(const SigningKey& key, common::v1::KeyPurpose purpose,
                                  absl::string_view issuer, absl::Time not_before) {
  common::v1::PublicKey public_key;
  public_key.set_key_id(key.key_id);
  public_key.set_algorithm(common::v1::KEY_ALGORITHM_ED25519);
  public_key.set_purpose(purpose);
  public_key.set_public_key(key.key_pair.public_key);
  public_key.set_issuer(std::string(issuer));
  *public_key.mutable_not_before_time() = ProtoFromTime(not_before);
  return public_key;
}

std::string SignToken(common::v1::KeyPurpose purpose, const SigningKey& key,
                      absl::string_view payload) {
  const absl::string_view label = RequireLabel("auth::SignToken", purpose);
  if (key.key_id.empty() || key.key_id.size() > kKeyIdBytesMax) {
    crypto::ProgrammerError(absl::StrCat("auth::SignToken: key id must be 1 to ", kKeyIdBytesMax,
                                         " characters, got ", key.key_id.size()));
  }
  common::v1::SignedToken token;
  token.set_purpose(purpose);
  token.set_key_id(key.key_id);
  token.set_payload(std::string(payload));
  token.set_signature(crypto::Sign(key.key_pair.secret_key, SignedBytes(label, payload)));
  std::string text = crypto::Base64UrlEncode(token.SerializeAsString());
  if (text.size() > kSignedTokenTextBytesMax) {
    crypto::ProgrammerError(absl::StrCat(
        "auth::SignToken: a ", payload.size(), "-byte payload makes a token of ", text.size(),
        " characters, more than verifiers accept (", kSignedTokenTextBytesMax, ")"));
  }
  return text;
}

absl::StatusOr<std::string> VerifyToken(absl::string_view token, common::v1::KeyPurpose purpose,
                                        const KeyRing& keys, absl::Time now) {
  const absl::string_view label = RequireLabel("auth::VerifyToken", purpose);
  if (token.size() > kSignedTokenTextBytesMax) {
    return absl::UnauthenticatedError("token too long");
  }
  absl::StatusOr<std::string> bytes = crypto::Base64UrlDecode(token);
  common::v1::SignedToken signed_token;
  if (token.empty() || !bytes.ok() || !signed_token.ParseFromString(*bytes) ||
      signed_token.signature().size() != crypto::kSignatureBytes) {
    return absl::UnauthenticatedError("malformed token");
  }
  if (signed_token.purpose() != purpose) {
    return absl::UnauthenticatedError("wrong token purpose");
  }
  const common::v1::PublicKey* key = keys.Find(signed_token.key_id());
  // A key of another purpose or algorithm cannot vouch for this token: as far as this
  // purpose goes, no such key exists.
  if (key == nullptr || key->purpose() != purpose ||
      key->algorithm() != common::v1::KEY_ALGORITHM_ED25519) {
    return absl::UnauthenticatedError("unknown signing key");
  }
  if (!crypto::VerifySignature(key->public_key(), SignedBytes(label, signed_token.payload()),
                               signed_token.signature())) {
    return absl::UnauthenticatedError("bad signature");
  }
  // Checked after the signature, so only genuine tokens learn about key windows.
  if (!KeyValidAt(*key, now)) {
    return absl::UnauthenticatedError("key not valid at this time");
  }
  return std::move(*signed_token.mutable_payload());
}

}  // namespace bitcontent::auth
