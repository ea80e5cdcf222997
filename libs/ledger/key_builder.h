// KeyBuilder: a key of ids and timestamps (the layout of keys.h) built in a fixed buffer.
// A commit makes tens of thousands of keys, and a std::string of more than 15 bytes is
// an allocation each.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "libs/ledger/id.h"

namespace bitcontent::ledger {

class KeyBuilder {
 public:
  std::string_view Of(const Id& id) {
    size_ = 0;
    Append(id.high);
    Append(id.low);
    return {bytes_, size_};
  }
  std::string_view Of(const Id& id, uint64_t timestamp_ns) {
    Of(id);
    Append(timestamp_ns);
    return {bytes_, size_};
  }

 private:
  void Append(uint64_t value) {
    const uint64_t big_endian = __builtin_bswap64(value);
    std::memcpy(bytes_ + size_, &big_endian, sizeof(big_endian));
    size_ += sizeof(big_endian);
  }
  char bytes_[24] = {};
  size_t size_ = 0;
};

}  // namespace bitcontent::ledger
