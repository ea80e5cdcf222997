// Receipts: what a purchase proves to third parties, verifiable offline with pricing's
// published KEY_PURPOSE_RECEIPT key. A standard format, so any JOSE library reads it:
// compact JWS (RFC 7515) with alg "EdDSA" (Ed25519, RFC 8037), header
// {"alg":"EdDSA","kid":<key id>,"typ":"bitcontent-receipt+jwt"} and the proto3 JSON of a
// v1.Receipt as payload. The buyer appears only as buyer_ref, an HMAC of seller and buyer
// under pricing's secret: stable per seller, unlinkable across sellers.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "bitcontent/pricing/v1/purchases.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/auth/signed_token.h"

namespace bitcontent::pricing {

inline constexpr char kReceiptType[] = "bitcontent-receipt+jwt";
// Longest receipt token accepted, checked before any decoding.
inline constexpr size_t kReceiptTokenBytesMax = 8192;

// The buyer's pseudonym for `seller` ("users/{user}" both): "br_" and the unpadded
// base64url of HMAC-SHA256(secret, seller || 0x00 || buyer).
std::string BuyerRef(std::string_view secret, std::string_view seller, std::string_view buyer);

// Signs `receipt` (its key_id is set to the key's) as a compact JWS.
std::string IssueReceipt(const auth::SigningKey& key, v1::Receipt receipt);

// The payload of `token` when its signature verifies with a KEY_PURPOSE_RECEIPT key of
// `keys` (current or retired) and its header and payload are what IssueReceipt writes;
// INVALID_ARGUMENT saying what is wrong otherwise.
absl::StatusOr<v1::Receipt> VerifyReceipt(std::string_view token, const auth::KeyRing& keys);

}  // namespace bitcontent::pricing
