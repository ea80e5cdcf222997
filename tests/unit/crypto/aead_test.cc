#include "libs/crypto/aead.h"

#include <sodium.h>

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/random.h"
#include "tests/unit/crypto/expect_abort.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::crypto {
namespace {

using testing::RequireAbortMentioning;
using testing::Unhex;

// draft-irtf-cfrg-xchacha-03, appendix A.3.1 (AEAD_XChaCha20_Poly1305 test vector).
constexpr absl::string_view kDraftPlaintext =
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
    "future, sunscreen would be it.";
const std::string kDraftAd = Unhex("50515253c0c1c2c3c4c5c6c7");
const std::string kDraftKey =
    Unhex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
const std::string kDraftNonce = Unhex("404142434445464748494a4b4c4d4e4f5051525354555657");
const std::string kDraftCiphertext = Unhex(
    "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
    "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
    "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
    "21f9664c97637da9768812f615c68b13b52e");
const std::string kDraftTag = Unhex("c0875924c1c7987947deafd8780acf49");

void RequireAuthenticationFailure(const absl::StatusOr<std::string>& opened) {
  CHECK(absl::IsDataLoss(opened.status()));
  CHECK(opened.status().message() == kAuthenticationFailedMessage);
}

TEST_CASE("crypto aead: XChaCha20-Poly1305 matches draft-irtf-cfrg-xchacha A.3.1") {
  const std::string sealed = AeadSeal(kDraftKey, kDraftNonce, kDraftPlaintext, kDraftAd);
  CHECK(sealed == kDraftCiphertext + kDraftTag);
  absl::StatusOr<std::string> opened = AeadOpen(kDraftKey, kDraftNonce, sealed, kDraftAd);
  REQUIRE(opened.ok());
  CHECK(*opened == kDraftPlaintext);
}

// The ciphertext libsodium's own XChaCha20-Poly1305 makes, the reference for aead.cc,
// which runs the bulk cipher in OpenSSL.
std::string SodiumSeal(const std::string& key, const std::string& nonce,
                       const std::string& plaintext, const std::string& ad) {
  std::string sealed(plaintext.size() + kAeadTagBytes, '\0');
  unsigned long long written = 0;
  const auto bytes = [](const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
  };
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(sealed.data()),
                                             &written, bytes(plaintext), plaintext.size(),
                                             bytes(ad), ad.size(), nullptr, bytes(nonce),
                                             bytes(key));
  return sealed;
}

TEST_CASE("crypto aead: the same bytes as libsodium's XChaCha20-Poly1305 at every size") {
  REQUIRE(sodium_init() >= 0);
  // Around the 64-byte ChaCha20 block and the 16-byte Poly1305 block, a chunk, and sizes
  // that are neither.
  for (size_t size : {0, 1, 15, 16, 17, 63, 64, 65, 255, 256, 257, 4095, 65537, (1 << 20) - 13,
                      1 << 20}) {
    for (size_t ad_size : {0, 1, 16, 29, 4096}) {
      const std::string key = RandomBytes(kAeadKeyBytes);
      const std::string nonce = RandomBytes(kAeadNonceBytes);
      const std::string plaintext = RandomBytes(size);
      const std::string ad = RandomBytes(ad_size);
      INFO("plaintext " << size << " bytes, associated data " << ad_size);
      const std::string sealed = AeadSeal(key, nonce, plaintext, ad);
      CHECK(sealed == SodiumSeal(key, nonce, plaintext, ad));
      absl::StatusOr<std::string> opened = AeadOpen(key, nonce, sealed, ad);
      REQUIRE(opened.ok());
      CHECK(*opened == plaintext);
    }
  }
}

TEST_CASE("crypto aead: seal and open round-trip, empty plaintext and AD included") {
  const std::string key = RandomBytes(kAeadKeyBytes);
  const std::string nonce = RandomBytes(kAeadNonceBytes);
  for (const std::string& plaintext : {std::string(), std::string("x"), RandomBytes(100000)}) {
    for (const std::string& ad : {std::string(), std::string("file v1 chunk 0 last")}) {
      const std::string sealed = AeadSeal(key, nonce, plaintext, ad);
      CHECK(sealed.size() == plaintext.size() + kAeadTagBytes);
      absl::StatusOr<std::string> opened = AeadOpen(key, nonce, sealed, ad);
      REQUIRE(opened.ok());
      CHECK(*opened == plaintext);
    }
  }
}

TEST_CASE("crypto aead: every kind of tampering is detected") {
  const std::string key = RandomBytes(kAeadKeyBytes);
  const std::string nonce = RandomBytes(kAeadNonceBytes);
  const std::string ad = "chunk 7";
  const std::string sealed = AeadSeal(key, nonce, "attack at dawn", ad);

  // Flip one bit of every byte in turn: ciphertext bytes and tag bytes alike.
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] ^= 0x01;
    INFO("flipped byte " << i);
    RequireAuthenticationFailure(AeadOpen(key, nonce, altered, ad));
  }
  std::string other_nonce = nonce;
  other_nonce[5] ^= 0x40;
  RequireAuthenticationFailure(AeadOpen(key, other_nonce, sealed, ad));
  RequireAuthenticationFailure(AeadOpen(key, nonce, sealed, "chunk 8"));
  RequireAuthenticationFailure(AeadOpen(key, nonce, sealed, ""));
  RequireAuthenticationFailure(AeadOpen(RandomBytes(kAeadKeyBytes), nonce, sealed, ad));
  RequireAuthenticationFailure(AeadOpen(key, nonce, sealed.substr(0, sealed.size() - 1), ad));
  RequireAuthenticationFailure(AeadOpen(key, nonce, sealed.substr(1), ad));
  RequireAuthenticationFailure(AeadOpen(key, nonce, sealed + "x", ad));
  RequireAuthenticationFailure(AeadOpen(key, nonce, sealed.substr(0, kAeadTagBytes - 1), ad));
  RequireAuthenticationFailure(AeadOpen(key, nonce, "", ad));
}

TEST_CASE("crypto aead: an untrusted nonce or ciphertext of a bad size is an error") {
  const std::string key = RandomBytes(kAeadKeyBytes);
  CHECK(absl::IsInvalidArgument(AeadOpen(key, "short", std::string(32, 'c'), "").status()));
  CHECK(absl::IsInvalidArgument(
      AeadOpen(key, RandomBytes(kAeadNonceBytes), std::string(kAeadPlaintextBytesMax + 17, 'c'), "")
          .status()));
  CHECK(absl::IsInvalidArgument(AeadOpen(key, RandomBytes(kAeadNonceBytes), std::string(32, 'c'),
                                         std::string(kAeadAssociatedDataBytesMax + 1, 'a'))
                                    .status()));
}

TEST_CASE("crypto aead: WrapKey and UnwrapKey round-trip with a fresh nonce each time") {
  const std::string wrapping_key = RandomBytes(kAeadKeyBytes);
  const std::string master_key = RandomBytes(32);
  const std::string wrapped = WrapKey(wrapping_key, master_key, "users/abc master");
  CHECK(wrapped.size() == master_key.size() + kWrapOverheadBytes);
  CHECK(wrapped != WrapKey(wrapping_key, master_key, "users/abc master"));
  absl::StatusOr<std::string> unwrapped = UnwrapKey(wrapping_key, wrapped, "users/abc master");
  REQUIRE(unwrapped.ok());
  CHECK(*unwrapped == master_key);
}

TEST_CASE("crypto aead: UnwrapKey detects a wrong key, wrong AD and altered input") {
  const std::string wrapping_key = RandomBytes(kAeadKeyBytes);
  const std::string wrapped = WrapKey(wrapping_key, RandomBytes(32), "ad");
  RequireAuthenticationFailure(UnwrapKey(RandomBytes(kAeadKeyBytes), wrapped, "ad"));
  RequireAuthenticationFailure(UnwrapKey(wrapping_key, wrapped, "other"));
  for (size_t i : {size_t{0}, kAeadNonceBytes - 1, kAeadNonceBytes, wrapped.size() - 1}) {
    std::string altered = wrapped;
    altered[i] ^= 0x40;
    INFO("flipped byte " << i);
    RequireAuthenticationFailure(UnwrapKey(wrapping_key, altered, "ad"));
  }
  RequireAuthenticationFailure(UnwrapKey(wrapping_key, wrapped.substr(0, 10), "ad"));
  RequireAuthenticationFailure(
      UnwrapKey(wrapping_key, wrapped.substr(0, kWrapOverheadBytes), "ad"));
  RequireAuthenticationFailure(UnwrapKey(wrapping_key, "", "ad"));
  RequireAuthenticationFailure(UnwrapKey(wrapping_key, std::string(4096, 'w'), "ad"));
}

TEST_CASE("crypto aead: keys and nonces of the wrong size from the program abort") {
  RequireAbortMentioning([] { AeadSeal(std::string(16, 'k'), kDraftNonce, "p", ""); },
                         "AeadSeal: key must be 32 bytes, got 16");
  RequireAbortMentioning([] { AeadSeal(kDraftKey, std::string(12, 'n'), "p", ""); },
                         "AeadSeal: nonce must be 24 bytes, got 12");
  RequireAbortMentioning([] { (void)AeadOpen(std::string(33, 'k'), kDraftNonce, "", ""); },
                         "AeadOpen: key must be 32 bytes, got 33");
  RequireAbortMentioning(
      [] { AeadSeal(kDraftKey, kDraftNonce, "p", std::string(kAeadAssociatedDataBytesMax + 1, 'a')); },
      "AeadSeal: associated data is 4097 bytes");
  RequireAbortMentioning([] { WrapKey(std::string(31, 'k'), "key", ""); },
                         "WrapKey: wrapping key must be 32 bytes");
  RequireAbortMentioning([] { WrapKey(kDraftKey, "", ""); }, "key to wrap must be 1 to 256");
  RequireAbortMentioning([] { (void)UnwrapKey("", "wrapped", ""); },
                         "UnwrapKey: wrapping key must be 32 bytes");
}

}  // namespace
}  // namespace bitcontent::crypto
