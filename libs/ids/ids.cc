#include "libs/ids/ids.h"

#include <algorithm>

#include "absl/base/thread_annotations.h"
#include "absl/numeric/int128.h"
#include "absl/synchronization/mutex.h"
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
  // Ids made in one process sort in the order they were made, even within a millisecond
  // (or when the clock steps back): such an id takes the last one's millisecond and its
  // random bits plus a random step of up to 2^32, so versions of a file made in quick
  // succession still list newest first, and the next id is still not guessable.
  static absl::Mutex mu(absl::kConstInit);
  static uint64_t last_millis ABSL_GUARDED_BY(mu) = 0;
  static absl::uint128 last_random ABSL_GUARDED_BY(mu) = 0;
  constexpr absl::uint128 kRandomMax = (absl::uint128(1) << 80) - 1;
  const absl::uint128 fresh = RandomUint128();
  uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(absl::Now()));
  absl::uint128 random = fresh & kRandomMax;
  {
    absl::MutexLock lock(&mu);
    const absl::uint128 step = 1 + (absl::Uint128High64(fresh) & 0xffffffff);
    if (millis <= last_millis && last_random <= kRandomMax - step) {
      millis = last_millis;
      random = last_random + step;
    } else if (millis <= last_millis) {
      millis = last_millis + 1;  // That millisecond is full: borrow the next one.
    }
    last_millis = millis;
    last_random = random;
  }
  return IdAt(absl::FromUnixMillis(static_cast<int64_t>(millis)),
              absl::Uint128High64(random) & 0xffff, absl::Uint128Low64(random));
}

std::string NewRandomId() { return Encode(RandomUint128()); }

bool IsValidId(absl::string_view id) {
  return id.size() == kIdLength && DecodeCharacter(id[0]) <= 7 && IsIdText(id);
}

bool IsIdText(absl::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return DecodeCharacter(c) >= 0; });
}

}  // namespace bitcontent::ids
