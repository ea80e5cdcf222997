#include "libs/crypto/sealed_box.h"

#include <catch2/catch.hpp>
#include <string>

#include "libs/crypto/aead.h"
#include "libs/crypto/random.h"
#include "tests/unit/crypto/expect_abort.h"
#include "tests/unit/crypto/test_bytes.h"

namespace bitcontent::crypto {
namespace {

using testing::RequireAbortMentioning;

void RequireAuthenticationFailure(const absl::StatusOr<std::string>& opened) {
  CHECK(absl::IsDataLoss(opened.status()));
  CHECK(opened.status().message() == kAuthenticationFailedMessage);
}

TEST_CASE("crypto sealed_box: only the recipient opens what was sealed to it") {
  const BoxKeyPair recipient = NewBoxKeyPair();
  REQUIRE(recipient.public_key.size() == kBoxPublicKeyBytes);
  REQUIRE(recipient.secret_key.size() == kBoxSecretKeyBytes);
  const std::string file_key = RandomBytes(32);
  const std::string sealed = SealTo(recipient.public_key, file_key);
  CHECK(sealed.size() == file_key.size() + kSealOverheadBytes);
  // Anonymous and randomised: sealing the same key twice gives different boxes.
  CHECK(sealed != SealTo(recipient.public_key, file_key));
  absl::StatusOr<std::string> opened = OpenSealed(recipient, sealed);
  REQUIRE(opened.ok());
  CHECK(*opened == file_key);
  RequireAuthenticationFailure(OpenSealed(NewBoxKeyPair(), sealed));
}

TEST_CASE("crypto sealed_box: a key pair rebuilt from its secret key opens the box") {
  const BoxKeyPair original = NewBoxKeyPair();
  const BoxKeyPair rebuilt = BoxKeyPairFromSecretKey(original.secret_key);
  CHECK(rebuilt.public_key == original.public_key);
  absl::StatusOr<std::string> opened = OpenSealed(rebuilt, SealTo(original.public_key, "k"));
  REQUIRE(opened.ok());
  CHECK(*opened == "k");
}

TEST_CASE("crypto sealed_box: altered, truncated and oversized boxes are refused") {
  const BoxKeyPair recipient = NewBoxKeyPair();
  const std::string sealed = SealTo(recipient.public_key, "node key");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] ^= 0x01;
    INFO("flipped byte " << i);
    RequireAuthenticationFailure(OpenSealed(recipient, altered));
  }
  RequireAuthenticationFailure(OpenSealed(recipient, sealed.substr(0, sealed.size() - 1)));
  RequireAuthenticationFailure(OpenSealed(recipient, sealed.substr(0, kSealOverheadBytes - 1)));
  RequireAuthenticationFailure(OpenSealed(recipient, ""));
  CHECK(absl::IsInvalidArgument(
      OpenSealed(recipient, std::string(kSealPlaintextBytesMax + kSealOverheadBytes + 1, 's'))
          .status()));
}

TEST_CASE("crypto sealed_box: untrusted public keys are validated, low-order points refused") {
  CHECK(ValidateBoxPublicKey(NewBoxKeyPair().public_key).ok());
  CHECK(absl::IsInvalidArgument(ValidateBoxPublicKey(std::string(31, 'p'))));
  // The all-zero point and the point of order 1 (u = 1) share no secret with anyone.
  std::string one(kBoxPublicKeyBytes, '\0');
  one[0] = 1;
  for (const std::string& low_order : {std::string(kBoxPublicKeyBytes, '\0'), one}) {
    CHECK(absl::IsInvalidArgument(ValidateBoxPublicKey(low_order)));
    CHECK(absl::IsInvalidArgument(TrySealTo(low_order, "secret").status()));
  }
  CHECK(absl::IsInvalidArgument(
      TrySealTo(NewBoxKeyPair().public_key, std::string(kSealPlaintextBytesMax + 1, 'x'))
          .status()));
}

TEST_CASE("crypto sealed_box: bad keys from the program abort") {
  RequireAbortMentioning([] { SealTo(std::string(kBoxPublicKeyBytes, '\0'), "x"); },
                         "SealTo: X25519 public key is a low-order point");
  RequireAbortMentioning([] { SealTo("short", "x"); }, "must be 32 bytes, got 5");
  RequireAbortMentioning([] { BoxKeyPairFromSecretKey("short"); },
                         "BoxKeyPairFromSecretKey: secret key must be 32 bytes");
  RequireAbortMentioning([] { (void)OpenSealed(BoxKeyPair{}, std::string(60, 's')); },
                         "OpenSealed: public key must be 32 bytes, got 0");
}

}  // namespace
}  // namespace bitcontent::crypto
