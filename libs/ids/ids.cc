#include "libs/ids/ids.h"

#include "absl/numeric/int128.h"
#include "absl/time/clock.h"
#include "libs/crypto/random.h"

namespace bitcontent::ids {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// 26 characters x 5 bits = 130 bits: the first character carries the top 3 bits.
std::string Encode(absl::uint128 value) {
  std::string id(kIdLength, '0');
  for (size_t i = kIdLength; i-- > 0;) {
    id[i] = kAlphabet[static_cast<size_t>(value & 31)];
    value >>= 5;
  }
  return id;
}

int DecodeCharacter(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

absl::uint128 RandomUint128() {
  const std::string bytes = crypto::RandomBytes(16);
  absl::uint128 value = 0;
  for (unsigned char byte : bytes) value = (value << 8) | byte;
  return value;
}

}  // namespace

std::string IdAt(absl::Time time, uint64_t random_high16, uint64_t random_low64) {
  const uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(time)) & ((1ULL << 48) - 1);
  const uint64_t high = (millis << 16) | (random_high16 & 0xffff);
  return Encode(absl::MakeUint128(high, random_low64));
}

std::string IdFloor(absl::Time time) { return IdAt(time, 0, 0); }

std::string NewId() {
  const absl::uint128 random = RandomUint128();
  return IdAt(absl::Now(), absl::Uint128High64(random), absl::Uint128Low64(random));
}

std::string NewRandomId() { return Encode(RandomUint128()); }

bool IsValidId(absl::string_view id) {
  if (id.size() != kIdLength || DecodeCharacter(id[0]) > 7) return false;
  for (char c : id) {
    if (DecodeCharacter(c) < 0) return false;
  }
  return true;
}

}  // namespace bitcontent::ids
