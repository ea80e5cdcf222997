// BIP32 extended public keys: parsing and serialising xpub/tpub (BIP32) and zpub/vpub
// (BIP84 version bytes from SLIP-132), and public child derivation (CKDpub). Watch-only
// by design: extended private keys (xprv, tprv, zprv, vprv) are refused, and hardened
// children, which need the private key, cannot be derived.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::bitcoin {

// Version bytes of the serialised public keys this library accepts.
inline constexpr uint32_t kXpubVersion = 0x0488B21E;  // mainnet, BIP32
inline constexpr uint32_t kTpubVersion = 0x043587CF;  // testnet, BIP32
inline constexpr uint32_t kZpubVersion = 0x04B24746;  // mainnet, BIP84 (SLIP-132)
inline constexpr uint32_t kVpubVersion = 0x045F1CF6;  // testnet, BIP84 (SLIP-132)

// Child numbers at or above this are hardened.
inline constexpr uint32_t kHardenedIndex = 0x80000000;
inline constexpr size_t kExtendedKeyBytes = 78, kChainCodeBytes = 32, kPublicKeyBytes = 33;

struct ExtendedPublicKey {
  uint32_t version = kXpubVersion;
  uint8_t depth = 0;
  uint32_t parent_fingerprint = 0;  // first 4 bytes of HASH160 of the parent key
  uint32_t child_number = 0;
  std::string chain_code;  // 32 bytes
  std::string public_key;  // 33 bytes, compressed SEC1
};

// The key base58check `text` serialises. Checks the checksum, the 78-byte length, the
// version (refusing private keys with a message that asks for the public key), that a
// depth-0 key has no parent, and that the key is a point on secp256k1.
absl::StatusOr<ExtendedPublicKey> ParseExtendedPublicKey(absl::string_view text);

// The base58check text of `key`, with its own version bytes. Requires a key of the
// shape ParseExtendedPublicKey produces; aborts otherwise.
std::string SerializeExtendedPublicKey(const ExtendedPublicKey& key);

// CKDpub: the child `index` of `parent` (same version). Fails for a hardened index,
// at depth 255, and in the 1-in-2^127 case BIP32 calls invalid (the caller moves on to
// the next index).
absl::StatusOr<ExtendedPublicKey> DerivePublicChild(const ExtendedPublicKey& parent,
                                                    uint32_t index);

// The first 4 bytes of HASH160(public_key), big-endian: a child's parent_fingerprint.
uint32_t KeyFingerprint(absl::string_view public_key);

}  // namespace bitcontent::bitcoin
