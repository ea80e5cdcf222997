// RIPEMD-160 as specified by Dobbertin, Bosselaers and Preneel (1996): two parallel
// lines of 80 steps over each 64-byte block, little-endian words, MD4-style padding.
#include <array>
#include <cstdint>

#include "libs/bitcoin/hash.h"

namespace bitcontent::bitcoin {
namespace {

// Word selection, left and right lines, for steps 0..79.
constexpr std::array<uint8_t, 80> kWordLeft = {
    0,  1, 2,  3, 4,  5,  6, 7,  8, 9,  10, 11, 12, 13, 14, 15, 7,  4,  13, 1,
    10, 6, 15, 3, 12, 0,  9, 5,  2, 14, 11, 8,  3,  10, 14, 4,  9,  15, 8,  1,
    2,  7, 0,  6, 13, 11, 5, 12, 1, 9,  11, 10, 0,  8,  12, 4,  13, 3,  7,  15,
    14, 5, 6,  2, 4,  0,  5, 9,  7, 12, 2,  10, 14, 1,  3,  8,  11, 6,  15, 13};
constexpr std::array<uint8_t, 80> kWordRight = {
    5,  14, 7,  0,  9,  2,  11, 4,  13, 6, 15, 8, 1,  10, 3,  12, 6, 11, 3, 7,
    0,  13, 5,  10, 14, 15, 8,  12, 4,  9, 1,  2, 15, 5,  1,  3,  7, 14, 6, 9,
    11, 8,  12, 2,  10, 0,  4,  13, 8,  6, 4,  1, 3,  11, 15, 0,  5, 12, 2, 13,
    9,  7,  10, 14, 12, 15, 10, 4,  1,  5, 8,  7, 6,  2,  13, 14, 0, 3,  9, 11};
// Rotation amounts, left and right lines.
constexpr std::array<uint8_t, 80> kShiftLeft = {
    11, 14, 15, 12, 5, 8,  7,  9,  11, 13, 14, 15, 6,  7,  9,  8,  7,  6,  8,  13,
    11, 9,  7,  15, 7, 12, 15, 9,  11, 7,  13, 12, 11, 13, 6,  7,  14, 9,  13, 15,
    14, 8,  13, 6,  5, 12, 7,  5,  11, 12, 14, 15, 14, 15, 9,  8,  9,  14, 5,  6,
    8,  6,  5,  12, 9, 15, 5,  11, 6,  8,  13, 12, 5,  12, 13, 14, 11, 8,  5,  6};
constexpr std::array<uint8_t, 80> kShiftRight = {
    8,  9,  9,  11, 13, 15, 15, 5, 7,  7,  8,  11, 14, 14, 12, 6,  9,  13, 15, 7,
    12, 8,  9,  11, 7,  7,  12, 7, 6,  15, 13, 11, 9,  7,  15, 11, 8,  6,  6,  14,
    12, 13, 5,  14, 13, 13, 7,  5, 15, 5,  8,  11, 14, 14, 6,  14, 6,  9,  12, 9,
    12, 5,  15, 8,  8,  5,  12, 9, 12, 5,  14, 6,  8,  13, 6,  5,  15, 13, 11, 11};
// Additive constants per round of 16 steps.
constexpr std::array<uint32_t, 5> kConstantLeft = {0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC,
                                                   0xA953FD4E};
constexpr std::array<uint32_t, 5> kConstantRight = {0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9,
                                                    0x00000000};

uint32_t RotateLeft(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

// The five boolean functions; the left line uses them in order 0..4, the right in 4..0.
uint32_t Mix(int function, uint32_t x, uint32_t y, uint32_t z) {
  switch (function) {
    case 0:
      return x ^ y ^ z;
    case 1:
      return (x & y) | (~x & z);
    case 2:
      return (x | ~y) ^ z;
    case 3:
      return (x & z) | (y & ~z);
    default:
      return x ^ (y | ~z);
  }
}

void Compress(std::array<uint32_t, 5>& state, const unsigned char* block) {
  uint32_t words[16];
  for (size_t i = 0; i < 16; ++i) {
    const unsigned char* word = block + 4 * i;
    words[i] = uint32_t{word[0]} | uint32_t{word[1]} << 8 | uint32_t{word[2]} << 16 |
               uint32_t{word[3]} << 24;
  }
  uint32_t al = state[0], bl = state[1], cl = state[2], dl = state[3], el = state[4];
  uint32_t ar = al, br = bl, cr = cl, dr = dl, er = el;
  for (int step = 0; step < 80; ++step) {
    const int round = step / 16;
    uint32_t t =
        RotateLeft(al + Mix(round, bl, cl, dl) + words[kWordLeft[step]] + kConstantLeft[round],
                   kShiftLeft[step]) +
        el;
    al = el, el = dl, dl = RotateLeft(cl, 10), cl = bl, bl = t;
    t = RotateLeft(
            ar + Mix(4 - round, br, cr, dr) + words[kWordRight[step]] + kConstantRight[round],
            kShiftRight[step]) +
        er;
    ar = er, er = dr, dr = RotateLeft(cr, 10), cr = br, br = t;
  }
  const uint32_t t = state[1] + cl + dr;
  state[1] = state[2] + dl + er;
  state[2] = state[3] + el + ar;
  state[3] = state[4] + al + br;
  state[4] = state[0] + bl + cr;
  state[0] = t;
}

}  // namespace

std::string Ripemd160(absl::string_view data) {
  std::array<uint32_t, 5> state = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  size_t whole = data.size() / 64 * 64;
  for (size_t offset = 0; offset < whole; offset += 64) Compress(state, bytes + offset);

  // Padding: 0x80, zeros up to 56 mod 64, then the length in bits, little-endian.
  unsigned char tail[128] = {};
  const size_t rest = data.size() - whole;
  for (size_t i = 0; i < rest; ++i) tail[i] = bytes[whole + i];
  tail[rest] = 0x80;
  const size_t tail_size = rest < 56 ? 64 : 128;
  const uint64_t bits = static_cast<uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 8 + i] = static_cast<unsigned char>(bits >> (8 * i));
  for (size_t offset = 0; offset < tail_size; offset += 64) Compress(state, tail + offset);

  std::string digest(kRipemd160Bytes, '\0');
  for (int i = 0; i < 20; ++i) digest[i] = static_cast<char>(state[i / 4] >> (8 * (i % 4)));
  return digest;
}

}  // namespace bitcontent::bitcoin
