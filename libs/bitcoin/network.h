// The Bitcoin networks a deployment can run on, and what each one names its addresses
// and keys with. A server is configured for exactly one network; anything from another
// network is refused, because coins sent across networks are lost.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::bitcoin {

enum class Network { kMainnet, kTestnet, kRegtest };

// "mainnet", "testnet" or "regtest", for messages.
absl::string_view NetworkName(Network network);

// The bech32 human-readable part of segwit addresses: "bc", "tb" or "bcrt".
absl::string_view SegwitHrp(Network network);

// Base58check version bytes of legacy pay-to-pubkey-hash and pay-to-script-hash
// addresses: 0x00/0x05 on mainnet, 0x6f/0xc4 on testnet and regtest.
uint8_t PubkeyHashVersion(Network network);
uint8_t ScriptHashVersion(Network network);

}  // namespace bitcontent::bitcoin
