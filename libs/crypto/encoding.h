// Text encodings of binary data: lowercase hex (digests, ids in logs) and unpadded
// base64url (RFC 4648 section 5; tokens, keys in URLs and JSON). Both run in constant
// time with respect to the bytes (libsodium's codecs), so they are safe for secrets.
// Decoders take untrusted text and answer InvalidArgument on anything malformed.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::crypto {

// Lowercase hex, two characters per byte.
std::string HexEncode(absl::string_view bytes);

// Decodes hex (either case). InvalidArgument on an odd length or a non-hex character.
absl::StatusOr<std::string> HexDecode(absl::string_view text);

// Base64url without '=' padding.
std::string Base64UrlEncode(absl::string_view bytes);

// Decodes base64url, unpadded or correctly padded. InvalidArgument on characters outside
// the base64url alphabet, an impossible length, wrong padding or non-zero unused bits
// (so each byte string has exactly one accepted encoding).
absl::StatusOr<std::string> Base64UrlDecode(absl::string_view text);

}  // namespace bitcontent::crypto
