// Resource ids: 128-bit values written as 26 Crockford base32 characters (0-9, A-Z
// without I, L, O, U). The first 48 bits are the creation time in milliseconds, the rest
// random, so ids sort by creation time (handy for RocksDB keys and "newest first"
// listings) and cannot be guessed. Use NewId() for users, nodes, sessions, API keys...
// Anything that must not reveal its creation time (public link ids) uses
// NewRandomId().
#pragma once

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace bitcontent::ids {

inline constexpr size_t kIdLength = 26;

// A new time-ordered id: creation millisecond, then 80 random bits; each id a process
// makes sorts after the one it made before.
std::string NewId();

// A new id with all 128 bits random.
std::string NewRandomId();

// The id NewId() would make at `time` with the given random bits (for tests and for
// range scans: IdFloor(t) sorts before every id made at or after t).
std::string IdAt(absl::Time time, uint64_t random_high16, uint64_t random_low64);
std::string IdFloor(absl::Time time);

// True when `id` is 26 characters of the Crockford alphabet in upper case whose value
// fits 128 bits (the first character is at most '7').
bool IsValidId(absl::string_view id);

// True when `text` is not empty and holds only characters of the Crockford alphabet in
// upper case (a whole id, or a part of one such as the trash's short ids).
bool IsIdText(absl::string_view text);

}  // namespace bitcontent::ids
