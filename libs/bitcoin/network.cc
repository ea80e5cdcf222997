#include "libs/bitcoin/network.h"

namespace bitcontent::bitcoin {

absl::string_view NetworkName(Network network) {
  switch (network) {
    case Network::kMainnet:
      return "mainnet";
    case Network::kTestnet:
      return "testnet";
    case Network::kRegtest:
      return "regtest";
  }
  return "unknown";
}

absl::string_view SegwitHrp(Network network) {
  switch (network) {
    case Network::kMainnet:
      return "bc";
    case Network::kTestnet:
      return "tb";
    case Network::kRegtest:
      return "bcrt";
  }
  return "";
}

uint8_t PubkeyHashVersion(Network network) { return network == Network::kMainnet ? 0x00 : 0x6f; }

uint8_t ScriptHashVersion(Network network) { return network == Network::kMainnet ? 0x05 : 0xc4; }

}  // namespace bitcontent::bitcoin
