#include "services/accounts/validation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/crypto/hash.h"
#include "libs/kit/error_details.h"
#include "libs/store/key_encoding.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts {
namespace {

bool IsPrintable(absl::string_view text, bool allow_space) {
  return std::all_of(text.begin(), text.end(), [allow_space](char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == ' ') return allow_space;
    // Bytes >= 0x80 are UTF-8 (display names may be in any language); only ASCII
    // control characters are refused.
    return byte > 0x20 && byte != 0x7f;
  });
}

absl::Status CheckText(absl::string_view text, size_t length_max, bool allow_space,
                       absl::string_view field) {
  if (text.size() > length_max) {
    return kit::FieldError(field, absl::StrCat("is longer than ", length_max, " characters"));
  }
  if (!IsPrintable(text, allow_space)) {
    return kit::FieldError(field, allow_space ? "must not contain control characters"
                                              : "must not contain spaces or control characters");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view request_id, absl::string_view field) {
  return CheckText(request_id, kRequestIdLengthMax, /*allow_space=*/false, field);
}

absl::Status ValidateDevice(const v1::DeviceInfo& device, absl::string_view field) {
  if (absl::Status s = CheckText(device.device_id(), kDeviceIdLengthMax, false,
                                 absl::StrCat(field, ".device_id"));
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckText(device.display_name(), kDeviceNameLengthMax, true,
                                 absl::StrCat(field, ".display_name"));
      !s.ok()) {
    return s;
  }
  return CheckText(device.platform(), kDevicePlatformLengthMax, true,
                   absl::StrCat(field, ".platform"));
}

absl::Status ValidateEnvelope(const v1::PasswordEnvelope& envelope, absl::string_view field,
                              const crypto::KdfParams& minimum) {
  if (envelope.salt().size() != kSaltBytes) {
    return kit::FieldError(
        absl::StrCat(field, ".salt"),
        absl::StrCat("must be ", kSaltBytes, " bytes, got ", envelope.salt().size()));
  }
  const v1::KdfParams& params = envelope.kdf_params();
  const std::string params_field = absl::StrCat(field, ".kdf_params");
  if (params.algorithm() != v1::KDF_ALGORITHM_ARGON2ID13) {
    return kit::FieldError(absl::StrCat(params_field, ".algorithm"),
                           "must be KDF_ALGORITHM_ARGON2ID13");
  }
  if (params.ops_limit() < minimum.ops_limit ||
      params.mem_limit_bytes() < minimum.mem_limit_bytes) {
    return kit::FieldError(params_field,
                           absl::StrCat("must be at least ops_limit ", minimum.ops_limit,
                                        " and mem_limit_bytes ", minimum.mem_limit_bytes, ", got ",
                                        params.ops_limit(), " and ", params.mem_limit_bytes()));
  }
  if (absl::Status s = crypto::ValidateKdfParams(
          {.ops_limit = params.ops_limit(), .mem_limit_bytes = params.mem_limit_bytes()});
      !s.ok()) {
    return kit::FieldError(params_field, s.message());
  }
  if (absl::Status s = ValidateKey32(envelope.auth_key(), absl::StrCat(field, ".auth_key"));
      !s.ok()) {
    return s;
  }
  return ValidateWrappedKey(envelope.wrapped_master_key(),
                            absl::StrCat(field, ".wrapped_master_key"));
}

absl::Status ValidatePublicKey(absl::string_view public_key, absl::string_view field) {
  if (public_key.size() != kPublicKeyBytes) {
    return kit::FieldError(
        field, absl::StrCat("must be a ", kPublicKeyBytes, "-byte X25519 public key, got ",
                            public_key.size(), " bytes"));
  }
  return absl::OkStatus();
}

absl::Status ValidateWrappedKey(absl::string_view wrapped, absl::string_view field) {
  if (wrapped.size() < kWrappedKeyBytesMin || wrapped.size() > kWrappedKeyBytesMax) {
    return kit::FieldError(field, absl::StrCat("must be a wrapped key (nonce || ciphertext || tag) "
                                               "of ",
                                               kWrappedKeyBytesMin, " to ", kWrappedKeyBytesMax,
                                               " bytes, got ", wrapped.size()));
  }
  return absl::OkStatus();
}

absl::Status ValidateKey32(absl::string_view key, absl::string_view field) {
  if (key.size() != kAuthKeyBytes) {
    return kit::FieldError(field,
                           absl::StrCat("must be ", kAuthKeyBytes, " bytes, got ", key.size()));
  }
  return absl::OkStatus();
}

std::string Fingerprint(std::initializer_list<absl::string_view> parts) {
  std::string framed;
  for (absl::string_view part : parts) {
    store::AppendUint32(&framed, static_cast<uint32_t>(part.size()));
    framed.append(part.data(), part.size());
  }
  return crypto::Blake2b256(framed);
}

}  // namespace bitcontent::accounts
