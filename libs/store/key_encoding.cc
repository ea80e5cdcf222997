#include "libs/store/key_encoding.h"

namespace bitcontent::store {
namespace {

// Writes the low `width` bytes of `value`, most significant first.
void AppendBigEndian(std::string* key, uint64_t value, size_t width) {
  for (size_t shift_bits = width * 8; shift_bits > 0; shift_bits -= 8) {
    key->push_back(static_cast<char>((value >> (shift_bits - 8)) & 0xff));
  }
}

uint64_t ReadBigEndian(std::string_view bytes, size_t width) {
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

}  // namespace

void AppendUint64(std::string* key, uint64_t value) { AppendBigEndian(key, value, kUint64Size); }

void AppendUint32(std::string* key, uint32_t value) { AppendBigEndian(key, value, kUint32Size); }

std::string EncodeUint64(uint64_t value) {
  std::string key;
  key.reserve(kUint64Size);
  AppendUint64(&key, value);
  return key;
}

std::string EncodeUint32(uint32_t value) {
  std::string key;
  key.reserve(kUint32Size);
  AppendUint32(&key, value);
  return key;
}

std::optional<uint64_t> DecodeUint64(std::string_view bytes) {
  if (bytes.size() < kUint64Size) {
    return std::nullopt;
  }
  return ReadBigEndian(bytes, kUint64Size);
}

std::optional<uint32_t> DecodeUint32(std::string_view bytes) {
  if (bytes.size() < kUint32Size) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(ReadBigEndian(bytes, kUint32Size));
}

std::optional<std::string> PrefixUpperBound(std::string_view prefix) {
  std::string bound(prefix);
  while (!bound.empty() && static_cast<unsigned char>(bound.back()) == 0xff) {
    bound.pop_back();
  }
  if (bound.empty()) {
    return std::nullopt;
  }
  bound.back() = static_cast<char>(static_cast<unsigned char>(bound.back()) + 1);
  return bound;
}

std::string EncodeTime(absl::Time time) {
  const int64_t micros = absl::ToUnixMicros(time);
  return EncodeUint64(micros < 0 ? 0 : static_cast<uint64_t>(micros));
}

}  // namespace bitcontent::store
