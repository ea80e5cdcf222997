#include "libs/bitcoin/segwit_address.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/bitcoin/bech32.h"

namespace bitcontent::bitcoin {
namespace {

Bech32Encoding EncodingFor(int version) {
  return version == 0 ? Bech32Encoding::kBech32 : Bech32Encoding::kBech32m;
}

absl::Status CheckWitness(int version, size_t program_size) {
  if (version < 0 || version > kWitnessVersionMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("witness version %d is out of range 0..16", version));
  }
  if (program_size < kWitnessProgramBytesMin || program_size > kWitnessProgramBytesMax) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "witness program is %d bytes; segwit programs are 2 to 40 bytes", program_size));
  }
  if (version == 0 && program_size != 20 && program_size != 32) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "witness version 0 program is %d bytes; it must be 20 (P2WPKH) or 32 (P2WSH)",
        program_size));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> EncodeSegwitAddress(absl::string_view hrp,
                                                const WitnessProgram& witness) {
  if (absl::Status status = CheckWitness(witness.version, witness.program.size()); !status.ok()) {
    return status;
  }
  const std::vector<uint8_t> bytes(witness.program.begin(), witness.program.end());
  absl::StatusOr<std::vector<uint8_t>> values = ConvertBits(bytes, 8, 5, /*pad=*/true);
  if (!values.ok()) return values.status();
  values->insert(values->begin(), static_cast<uint8_t>(witness.version));
  return Bech32Encode(EncodingFor(witness.version), hrp, *values);
}

absl::StatusOr<WitnessProgram> DecodeSegwitAddress(absl::string_view hrp,
                                                   absl::string_view address) {
  absl::StatusOr<Bech32Decoded> decoded = Bech32Decode(address);
  if (!decoded.ok()) return decoded.status();
  if (decoded->hrp != hrp) {
    return absl::InvalidArgumentError(
        absl::StrFormat("address starts with '%s1' but this network's addresses start with '%s1'",
                        decoded->hrp, hrp));
  }
  if (decoded->values.empty()) {
    return absl::InvalidArgumentError("address has no witness version and no program");
  }
  WitnessProgram witness;
  witness.version = decoded->values[0];
  if (witness.version > kWitnessVersionMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("witness version %d is out of range 0..16", witness.version));
  }
  const std::vector<uint8_t> values(decoded->values.begin() + 1, decoded->values.end());
  absl::StatusOr<std::vector<uint8_t>> bytes = ConvertBits(values, 5, 8, /*pad=*/false);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("witness program is malformed: ", bytes.status().message()));
  }
  witness.program.assign(bytes->begin(), bytes->end());
  if (absl::Status status = CheckWitness(witness.version, witness.program.size()); !status.ok()) {
    return status;
  }
  if (decoded->encoding != EncodingFor(witness.version)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "witness version %d needs a %s checksum but the address has a %s one (BIP350); the "
        "address was made by faulty software",
        witness.version, witness.version == 0 ? "bech32" : "bech32m",
        witness.version == 0 ? "bech32m" : "bech32"));
  }
  return witness;
}

std::string WitnessScript(const WitnessProgram& witness) {
  std::string script;
  // OP_0 is 0x00; OP_1..OP_16 are 0x51..0x60.
  script.push_back(static_cast<char>(witness.version == 0 ? 0x00 : 0x50 + witness.version));
  script.push_back(static_cast<char>(witness.program.size()));
  script += witness.program;
  return script;
}

}  // namespace bitcontent::bitcoin
