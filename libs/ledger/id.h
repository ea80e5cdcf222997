// Id: the ledger's 128-bit identifier of accounts and transfers, and the 128-bit user
// data fields, as two 64-bit halves.
//
// Ids are chosen by clients. Zero and all-ones are reserved (the checks refuse them). On
// the wire and in keys an id is 16 bytes big-endian, so ids sort as numbers. Ids hash
// with absl::Hash and compare with the usual operators.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace bitcontent::ledger {

struct Id {
  uint64_t high = 0;
  uint64_t low = 0;

  bool IsZero() const { return high == 0 && low == 0; }
  bool IsMax() const {
    return high == std::numeric_limits<uint64_t>::max() &&
           low == std::numeric_limits<uint64_t>::max();
  }
  friend auto operator<=>(const Id&, const Id&) = default;
  friend bool operator==(const Id&, const Id&) = default;

  template <typename H>
  friend H AbslHashValue(H state, const Id& id) {
    return H::combine(std::move(state), id.high, id.low);
  }
};

inline constexpr Id kIdMax = {std::numeric_limits<uint64_t>::max(),
                              std::numeric_limits<uint64_t>::max()};

// The id as 16 big-endian bytes.
std::string IdToBytes(const Id& id);
// Reads 16 big-endian bytes; requires bytes.size() >= 16.
Id IdFromBytes(std::string_view bytes);

}  // namespace bitcontent::ledger
