// Key encoding helpers for RocksDB keys.
//
// RocksDB orders keys by their bytes. Numbers written big-endian at a fixed width sort in
// numeric order, so an account id, a timestamp or a sequence number can be appended to a
// key prefix and a prefix scan returns the entries in numeric order. Use these helpers
// whenever a number is part of a key; never format numbers as decimal text in keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace bitcontent::store {

// The store takes std::string_view; Debian's Abseil has its own absl::string_view.
inline std::string_view KeyView(absl::string_view text) { return {text.data(), text.size()}; }

// a || b || ...: a composite key of fixed-width parts (ids, hashes, encoded numbers),
// which need no separator.
template <typename... Parts>
std::string JoinKey(const Parts&... parts) {
  return absl::StrCat(parts...);
}

inline constexpr size_t kUint32Size = 4;
inline constexpr size_t kUint64Size = 8;

// Appends `value` as 8 big-endian bytes to `*key`.
void AppendUint64(std::string* key, uint64_t value);

// Appends `value` as 4 big-endian bytes to `*key`.
void AppendUint32(std::string* key, uint32_t value);

// Returns `value` as 8 big-endian bytes.
std::string EncodeUint64(uint64_t value);

// Returns `value` as 4 big-endian bytes.
std::string EncodeUint32(uint32_t value);

// Reads 8 big-endian bytes from the start of `bytes`; nullopt when fewer than 8 remain.
std::optional<uint64_t> DecodeUint64(std::string_view bytes);

// Reads 4 big-endian bytes from the start of `bytes`; nullopt when fewer than 4 remain.
std::optional<uint32_t> DecodeUint32(std::string_view bytes);

// Returns the smallest key greater than every key that starts with `prefix`: the prefix
// with its trailing 0xff bytes removed and its last byte incremented. Returns nullopt when
// no such key exists (an empty prefix or one made only of 0xff bytes), in which case every
// key at or after `prefix` starts with it.
std::optional<std::string> PrefixUpperBound(std::string_view prefix);

// 8 big-endian bytes of microseconds since the epoch (times before it clamp to 0), so
// keys holding times sort by time.
std::string EncodeTime(absl::Time time);

}  // namespace bitcontent::store
