#include "libs/bitcoin/extended_key.h"

#include <secp256k1.h>

#include <cstdio>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "libs/bitcoin/base58.h"
#include "libs/bitcoin/hash.h"

namespace bitcontent::bitcoin {
namespace {

// Version bytes of extended private keys, recognised only to refuse them.
constexpr uint32_t kXprvVersion = 0x0488ADE4, kTprvVersion = 0x04358394;
constexpr uint32_t kZprvVersion = 0x04B2430C, kVprvVersion = 0x045F18BC;

uint32_t ReadBigEndian32(absl::string_view bytes) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = value << 8 | static_cast<unsigned char>(bytes[i]);
  return value;
}

void AppendBigEndian32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

absl::string_view PrivateKeyName(uint32_t version) {
  switch (version) {
    case kXprvVersion:
      return "xprv";
    case kTprvVersion:
      return "tprv";
    case kZprvVersion:
      return "zprv";
    case kVprvVersion:
      return "vprv";
    default:
      return "";
  }
}

bool IsPublicVersion(uint32_t version) {
  return version == kXpubVersion || version == kTpubVersion || version == kZpubVersion ||
         version == kVpubVersion;
}

// Public-key operations need no precomputed tables, so the library's static context
// serves every thread without setup.
const secp256k1_context* Context() { return secp256k1_context_static; }

absl::Status CheckPoint(absl::string_view public_key) {
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_parse(Context(), &point,
                                reinterpret_cast<const unsigned char*>(public_key.data()),
                                public_key.size()) != 1) {
    return absl::InvalidArgumentError(
        "extended key's public key is not a point on secp256k1; the key is corrupt");
  }
  return absl::OkStatus();
}

absl::Status CheckFields(const ExtendedPublicKey& key) {
  if (key.depth == 0 && (key.parent_fingerprint != 0 || key.child_number != 0)) {
    return absl::InvalidArgumentError(
        "extended key has depth 0 (a master key) but names a parent or a child number; the key "
        "is corrupt");
  }
  const auto prefix = static_cast<unsigned char>(key.public_key[0]);
  if (prefix == 0x00) {
    return absl::InvalidArgumentError(
        "extended key holds private key material under public version bytes; give the "
        "account's extended public key only");
  }
  if (prefix != 0x02 && prefix != 0x03) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "extended key's public key starts with 0x%02x; a compressed key starts with 0x02 or "
        "0x03",
        prefix));
  }
  return CheckPoint(key.public_key);
}

}  // namespace

uint32_t KeyFingerprint(absl::string_view public_key) {
  return ReadBigEndian32(Hash160(public_key));
}

absl::StatusOr<ExtendedPublicKey> ParseExtendedPublicKey(absl::string_view text) {
  absl::StatusOr<std::string> data = Base58CheckDecode(text);
  if (!data.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("not a valid extended public key: %s", data.status().message()));
  }
  if (data->size() != kExtendedKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrFormat("extended key decodes to %d bytes; BIP32 keys are 78 bytes", data->size()));
  }
  const absl::string_view bytes = *data;
  ExtendedPublicKey key;
  key.version = ReadBigEndian32(bytes.substr(0, 4));
  if (absl::string_view name = PrivateKeyName(key.version); !name.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "this is an extended private key (%s); the server is watch-only and must never hold a "
        "private key: export the account's extended public key (xpub/zpub, or tpub/vpub on "
        "testnet) from the wallet instead, and treat this %s as exposed",
        name, name));
  }
  if (!IsPublicVersion(key.version)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "extended key has unknown version bytes 0x%08x; expected an xpub, zpub, tpub or vpub",
        key.version));
  }
  key.depth = static_cast<uint8_t>(bytes[4]);
  key.parent_fingerprint = ReadBigEndian32(bytes.substr(5, 4));
  key.child_number = ReadBigEndian32(bytes.substr(9, 4));
  key.chain_code = std::string(bytes.substr(13, kChainCodeBytes));
  key.public_key = std::string(bytes.substr(45, kPublicKeyBytes));
  if (absl::Status status = CheckFields(key); !status.ok()) return status;
  return key;
}

std::string SerializeExtendedPublicKey(const ExtendedPublicKey& key) {
  if (key.chain_code.size() != kChainCodeBytes || key.public_key.size() != kPublicKeyBytes) {
    std::fprintf(stderr, "SerializeExtendedPublicKey: chain code or public key of wrong size\n");
    std::abort();
  }
  std::string data;
  data.reserve(kExtendedKeyBytes);
  AppendBigEndian32(data, key.version);
  data.push_back(static_cast<char>(key.depth));
  AppendBigEndian32(data, key.parent_fingerprint);
  AppendBigEndian32(data, key.child_number);
  data += key.chain_code;
  data += key.public_key;
  return Base58CheckEncode(data);
}

absl::StatusOr<ExtendedPublicKey> DerivePublicChild(const ExtendedPublicKey& parent,
                                                    uint32_t index) {
  if (index >= kHardenedIndex) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "child %d' is hardened and needs the private key; a watch-only server derives only "
        "non-hardened children (index below 2^31)",
        index - kHardenedIndex));
  }
  if (parent.depth == 255) {
    return absl::InvalidArgumentError("extended key is at depth 255 and has no children");
  }
  secp256k1_pubkey point;
  if (parent.public_key.size() != kPublicKeyBytes || parent.chain_code.size() != kChainCodeBytes ||
      secp256k1_ec_pubkey_parse(Context(), &point,
                                reinterpret_cast<const unsigned char*>(parent.public_key.data()),
                                parent.public_key.size()) != 1) {
    return absl::InvalidArgumentError("parent extended key is malformed");
  }
  std::string message = parent.public_key;
  AppendBigEndian32(message, index);
  const std::string mac = HmacSha512(parent.chain_code, message);
  // I_L is the tweak; tweak_add fails when it is >= the curve order or the sum is the
  // point at infinity, the cases BIP32 says to skip.
  if (secp256k1_ec_pubkey_tweak_add(Context(), &point,
                                    reinterpret_cast<const unsigned char*>(mac.data())) != 1) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "child %d is invalid under BIP32 (probability below 2^-127); use the next index", index));
  }
  ExtendedPublicKey child;
  child.version = parent.version;
  child.depth = static_cast<uint8_t>(parent.depth + 1);
  child.parent_fingerprint = KeyFingerprint(parent.public_key);
  child.child_number = index;
  child.chain_code = mac.substr(32);
  child.public_key.assign(kPublicKeyBytes, '\0');
  size_t written = kPublicKeyBytes;
  secp256k1_ec_pubkey_serialize(Context(),
                                reinterpret_cast<unsigned char*>(child.public_key.data()), &written,
                                &point, SECP256K1_EC_COMPRESSED);
  return child;
}

}  // namespace bitcontent::bitcoin
