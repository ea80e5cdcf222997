#include "libs/auth/key_ring.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "tests/unit/auth/token_test_keys.h"

namespace bitcontent::auth {
namespace {

using testing::TestNow;
using testing::TestPublicKey;
using testing::TestSigningKey;

common::v1::PublicKey AccessKey(absl::string_view key_id, char seed_byte) {
  return TestPublicKey(TestSigningKey(key_id, seed_byte), common::v1::KEY_PURPOSE_ACCESS_TOKEN);
}

TEST_CASE("auth key_ring: added keys are found by id and listed in id order") {
  KeyRing ring;
  CHECK(ring.Find("acc-1") == nullptr);
  REQUIRE(ring.Add(AccessKey("acc-2", 2)).ok());
  REQUIRE(ring.Add(AccessKey("acc-1", 1)).ok());
  const common::v1::PublicKey* found = ring.Find("acc-1");
  REQUIRE(found != nullptr);
  CHECK(found->public_key() == TestSigningKey("acc-1", 1).key_pair.public_key);
  CHECK(ring.Find("acc-3") == nullptr);
  const std::vector<common::v1::PublicKey> listed = ring.List();
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].key_id() == "acc-1");
  CHECK(listed[1].key_id() == "acc-2");
}

TEST_CASE("auth key_ring: a changed key replaces the old one, whose pointer stays valid") {
  KeyRing ring;
  common::v1::PublicKey key = AccessKey("acc-1", 1);
  REQUIRE(ring.Add(key).ok());
  const common::v1::PublicKey* before = ring.Find("acc-1");
  REQUIRE(before != nullptr);
  *key.mutable_not_after_time() = ProtoFromTime(TestNow());
  REQUIRE(ring.Add(key).ok());
  const common::v1::PublicKey* after = ring.Find("acc-1");
  REQUIRE(after != nullptr);
  CHECK(after->has_not_after_time());
  CHECK_FALSE(before->has_not_after_time());  // The old version is still readable.
  CHECK(ring.List().size() == 1);
}

TEST_CASE("auth key_ring: malformed keys are refused and leave the ring unchanged") {
  KeyRing ring;
  common::v1::PublicKey no_id = AccessKey("", 1);
  common::v1::PublicKey long_id = AccessKey(std::string(kKeyIdBytesMax + 1, 'k'), 1);
  common::v1::PublicKey short_key = AccessKey("acc-1", 1);
  short_key.set_public_key("too short");
  common::v1::PublicKey x25519_signer = AccessKey("acc-1", 1);
  x25519_signer.set_algorithm(common::v1::KEY_ALGORITHM_X25519);
  common::v1::PublicKey no_purpose = AccessKey("acc-1", 1);
  no_purpose.set_purpose(common::v1::KEY_PURPOSE_UNSPECIFIED);
  common::v1::PublicKey ed25519_escrow = AccessKey("acc-1", 1);
  ed25519_escrow.set_purpose(common::v1::KEY_PURPOSE_KEY_ESCROW);
  for (const common::v1::PublicKey& bad :
       {no_id, long_id, short_key, x25519_signer, no_purpose, ed25519_escrow}) {
    INFO("key: " << bad.ShortDebugString());
    CHECK(absl::IsInvalidArgument(ring.Add(bad)));
  }
  CHECK(ring.List().empty());
  common::v1::PublicKey escrow = AccessKey("escrow-1", 1);
  escrow.set_algorithm(common::v1::KEY_ALGORITHM_X25519);
  escrow.set_purpose(common::v1::KEY_PURPOSE_KEY_ESCROW);
  CHECK(ring.Add(escrow).ok());
}

TEST_CASE("auth key_ring: re-adding the same key is free, new versions are bounded") {
  KeyRing ring;
  const common::v1::PublicKey key = AccessKey("acc-1", 1);
  for (size_t i = 0; i < kKeyRingVersionsMax + 10; ++i) {
    REQUIRE(ring.Add(key).ok());
  }
  for (size_t i = 1; i < kKeyRingVersionsMax; ++i) {
    REQUIRE(ring.Add(AccessKey(absl::StrCat("acc-", i + 1), 1)).ok());
  }
  const absl::Status full = ring.Add(AccessKey("one-too-many", 1));
  CHECK(absl::IsResourceExhausted(full));
  CHECK(full.message().find("one-too-many") != absl::string_view::npos);
  CHECK(ring.Find("one-too-many") == nullptr);
  CHECK(ring.Add(key).ok());  // An unchanged key still needs no room.
}

TEST_CASE("auth key_ring: lookups stay correct while another thread adds keys") {
  KeyRing ring;
  REQUIRE(ring.Add(AccessKey("stable", 9)).ok());
  const std::string stable_public_key = TestSigningKey("stable", 9).key_pair.public_key;
  std::atomic<bool> done{false};
  std::atomic<int> bad_lookups{0};
  std::vector<std::thread> readers;
  readers.reserve(2);
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const common::v1::PublicKey* key = ring.Find("stable");
        if (key == nullptr || key->public_key() != stable_public_key) ++bad_lookups;
        ring.List();
      }
    });
  }
  for (int i = 0; i < 500; ++i) {
    REQUIRE(ring.Add(AccessKey(absl::StrCat("rotating-", i), static_cast<char>(i))).ok());
  }
  done.store(true);
  for (std::thread& reader : readers) reader.join();
  CHECK(bad_lookups.load() == 0);
  CHECK(ring.List().size() == 501);
}

}  // namespace
}  // namespace bitcontent::auth
