#include "libs/crypto/password_kdf.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/match.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"

namespace bitcontent::crypto {
namespace {

constexpr absl::string_view kPassword = "correct horse battery staple";
constexpr absl::string_view kSalt = "bitcontent-salt!";  // 16 bytes

// Known answers computed with the Argon2 reference implementation's command line
// (Debian package argon2), a second implementation independent of libsodium:
//   echo -n "correct horse battery staple" | argon2 "bitcontent-salt!" -id -t 1 -k 8 -p 1 -l 32
//   echo -n "correct horse battery staple" | argon2 "bitcontent-salt!" -id -t 2 -k 65536 -p 1 -l 32
constexpr absl::string_view kTestParamsKey =
    "a6d3d0e7fd712e056152b587b111baec2efe3b55a61c2ab7412d7df27af6d31b";
constexpr absl::string_view kInteractiveParamsKey =
    "05f6e5ee353b9e7a7f8d21fd5c4d7feb83bcf24760f56d414447f7a1cffc8ad3";
// The same command's "Encoded" output for the test parameters.
constexpr absl::string_view kReferenceEncodedHash =
    "$argon2id$v=19$m=8,t=1,p=1$Yml0Y29udGVudC1zYWx0IQ$ptPQ5/"
    "1xLgVhUrWHsRG67C7+O1WmHCq3QS198nr20xs";

TEST_CASE("crypto password_kdf: parameter presets are libsodium's interactive and minimum") {
  CHECK(InteractiveKdfParams().ops_limit == 2);
  CHECK(InteractiveKdfParams().mem_limit_bytes == 64ull << 20);
  CHECK(TestKdfParams().ops_limit == 1);
  CHECK(TestKdfParams().mem_limit_bytes == 8192);
  CHECK(ValidateKdfParams(InteractiveKdfParams()).ok());
  CHECK(ValidateKdfParams(TestKdfParams()).ok());
}

TEST_CASE("crypto password_kdf: Argon2id with test parameters matches the reference") {
  absl::StatusOr<std::string> key = DeriveKeyFromPassword(kPassword, kSalt, TestKdfParams());
  REQUIRE(key.ok());
  CHECK(HexEncode(*key) == kTestParamsKey);
}

TEST_CASE("crypto password_kdf: Argon2id with interactive parameters matches the reference") {
  absl::StatusOr<std::string> key = DeriveKeyFromPassword(kPassword, kSalt, InteractiveKdfParams());
  REQUIRE(key.ok());
  CHECK(HexEncode(*key) == kInteractiveParamsKey);
}

TEST_CASE("crypto password_kdf: the key depends on password, salt, parameters and size") {
  const KdfParams params = TestKdfParams();
  const std::string salt = RandomBytes(kSaltBytes);
  absl::StatusOr<std::string> first = DeriveKeyFromPassword("hunter2", salt, params);
  absl::StatusOr<std::string> again = DeriveKeyFromPassword("hunter2", salt, params);
  absl::StatusOr<std::string> other_salt =
      DeriveKeyFromPassword("hunter2", RandomBytes(kSaltBytes), params);
  absl::StatusOr<std::string> other_password = DeriveKeyFromPassword("hunter3", salt, params);
  absl::StatusOr<std::string> more_passes =
      DeriveKeyFromPassword("hunter2", salt, {.ops_limit = 2, .mem_limit_bytes = 8192});
  absl::StatusOr<std::string> longer = DeriveKeyFromPassword("hunter2", salt, params, 64);
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  REQUIRE(other_salt.ok());
  REQUIRE(other_password.ok());
  REQUIRE(more_passes.ok());
  REQUIRE(longer.ok());
  CHECK(first->size() == 32);
  CHECK(*first == *again);
  CHECK(*first != *other_salt);
  CHECK(*first != *other_password);
  CHECK(*first != *more_passes);
  CHECK(longer->size() == 64);
}

TEST_CASE("crypto password_kdf: bad salts, sizes and parameters are InvalidArgument") {
  const KdfParams params = TestKdfParams();
  CHECK(absl::IsInvalidArgument(DeriveKeyFromPassword("pw", "short", params).status()));
  CHECK(absl::IsInvalidArgument(
      DeriveKeyFromPassword("pw", RandomBytes(kSaltBytes + 1), params).status()));
  CHECK(absl::IsInvalidArgument(DeriveKeyFromPassword("pw", kSalt, params, 15).status()));
  CHECK(absl::IsInvalidArgument(DeriveKeyFromPassword("pw", kSalt, params, 65).status()));
  CHECK(absl::IsInvalidArgument(
      DeriveKeyFromPassword(std::string(kPasswordBytesMax + 1, 'x'), kSalt, params).status()));
  for (const KdfParams& bad :
       {KdfParams{.ops_limit = 0, .mem_limit_bytes = 8192},
        KdfParams{.ops_limit = 1, .mem_limit_bytes = 8191},
        KdfParams{.ops_limit = kKdfOpsLimitMax + 1, .mem_limit_bytes = 8192},
        KdfParams{.ops_limit = 1, .mem_limit_bytes = kKdfMemLimitBytesMax + 1}, KdfParams{}}) {
    INFO("ops " << bad.ops_limit << " mem " << bad.mem_limit_bytes);
    absl::Status status = ValidateKdfParams(bad);
    CHECK(absl::IsInvalidArgument(status));
    CHECK(absl::IsInvalidArgument(DeriveKeyFromPassword("pw", kSalt, bad).status()));
    CHECK(absl::IsInvalidArgument(HashSecret("pw", bad).status()));
  }
}

TEST_CASE("crypto password_kdf: HashSecret verifies the right secret only") {
  const std::string secret = RandomBytes(32);
  absl::StatusOr<std::string> hash = HashSecret(secret, TestKdfParams());
  REQUIRE(hash.ok());
  CHECK(absl::StartsWith(*hash, "$argon2id$v=19$m=8,t=1,p=1$"));
  CHECK(hash->find(HexEncode(secret)) == std::string::npos);
  CHECK(VerifySecret(*hash, secret));
  std::string wrong = secret;
  wrong[0] ^= 1;
  CHECK_FALSE(VerifySecret(*hash, wrong));
  CHECK_FALSE(VerifySecret(*hash, ""));
  CHECK_FALSE(VerifySecret(*hash, secret.substr(1)));

  // A fresh random salt each time: the same secret never hashes to the same string.
  absl::StatusOr<std::string> second = HashSecret(secret, TestKdfParams());
  REQUIRE(second.ok());
  CHECK(*second != *hash);
  CHECK(VerifySecret(*second, secret));
}

TEST_CASE("crypto password_kdf: VerifySecret accepts the reference implementation's hash") {
  CHECK(VerifySecret(kReferenceEncodedHash, kPassword));
  CHECK_FALSE(VerifySecret(kReferenceEncodedHash, "correct horse battery stapler"));
}

TEST_CASE("crypto password_kdf: malformed hashes verify nothing and never crash") {
  const std::string good = std::string(kReferenceEncodedHash);
  for (const std::string& bad :
       {std::string(), std::string("$argon2id$"), good.substr(0, good.size() - 5),
        good.substr(0, 20) + std::string(1, '\0') + good.substr(21), std::string(4096, '$'),
        // An Argon2i hash of the same input: only Argon2id is accepted.
        std::string("$argon2i$v=19$m=8,t=1,p=1$Yml0Y29udGVudC1zYWx0IQ$AAAA"),
        std::string("$argon2id$v=19$m=8,t=1,p=1$!!!$ptPQ5")}) {
    INFO("hash: " << bad);
    CHECK_FALSE(VerifySecret(bad, kPassword));
    CHECK(SecretHashNeedsRehash(bad, TestKdfParams()));
  }
}

TEST_CASE("crypto password_kdf: SecretHashNeedsRehash tells when parameters changed") {
  absl::StatusOr<std::string> hash = HashSecret("secret", TestKdfParams());
  REQUIRE(hash.ok());
  CHECK_FALSE(SecretHashNeedsRehash(*hash, TestKdfParams()));
  CHECK(SecretHashNeedsRehash(*hash, {.ops_limit = 2, .mem_limit_bytes = 8192}));
  CHECK(SecretHashNeedsRehash(*hash, InteractiveKdfParams()));
}

}  // namespace
}  // namespace bitcontent::crypto
