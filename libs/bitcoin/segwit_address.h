// Native segwit addresses (BIP173 for witness version 0, BIP350 for 1..16): a witness
// version and a 2..40-byte witness program under a network's human-readable part.
// Version 0 uses the bech32 checksum and a 20-byte (P2WPKH) or 32-byte (P2WSH) program;
// versions 1..16 use bech32m.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bitcontent::bitcoin {

inline constexpr int kWitnessVersionMax = 16;
inline constexpr size_t kWitnessProgramBytesMin = 2, kWitnessProgramBytesMax = 40;

struct WitnessProgram {
  int version = 0;
  std::string program;  // bytes
};

// The address of `witness` under `hrp` ("bc", "tb", "bcrt"), lower case. Fails when
// the version or the program length breaks the rules above.
absl::StatusOr<std::string> EncodeSegwitAddress(absl::string_view hrp,
                                                const WitnessProgram& witness);

// The witness program of `address`, which must carry `hrp` (either case) and satisfy
// every rule of BIP173 and BIP350.
absl::StatusOr<WitnessProgram> DecodeSegwitAddress(absl::string_view hrp,
                                                   absl::string_view address);

// The scriptPubKey a witness program pays to: OP_n, a push of the program.
std::string WitnessScript(const WitnessProgram& witness);

}  // namespace bitcontent::bitcoin
