#include "libs/bitcoin/deposit_address.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/bitcoin/base58.h"
#include "libs/bitcoin/hash.h"
#include "libs/bitcoin/segwit_address.h"

namespace bitcontent::bitcoin {
namespace {

constexpr Network kNetworks[] = {Network::kMainnet, Network::kTestnet, Network::kRegtest};

bool IsMainnetVersion(uint32_t version) {
  return version == kXpubVersion || version == kZpubVersion;
}

absl::string_view VersionName(uint32_t version) {
  switch (version) {
    case kXpubVersion:
      return "xpub";
    case kZpubVersion:
      return "zpub";
    case kTpubVersion:
      return "tpub";
    default:
      return "vpub";
  }
}

absl::StatusOr<std::string> DeriveAddress(const AccountKey& account, uint32_t chain,
                                          uint32_t index) {
  if (index >= kHardenedIndex) {
    return absl::InvalidArgumentError(absl::StrFormat("address index %d is not below 2^31", index));
  }
  absl::StatusOr<ExtendedPublicKey> chain_key = DerivePublicChild(account.key, chain);
  if (!chain_key.ok()) return chain_key.status();
  absl::StatusOr<ExtendedPublicKey> leaf = DerivePublicChild(*chain_key, index);
  if (!leaf.ok()) return leaf.status();
  return EncodeSegwitAddress(SegwitHrp(account.network),
                             WitnessProgram{0, Hash160(leaf->public_key)});
}

absl::Status Invalid(absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat("payout address is not usable: ", reason));
}

absl::Status ValidateSegwit(absl::string_view address, absl::string_view hrp, Network network) {
  if (hrp != SegwitHrp(network)) {
    for (Network other : kNetworks) {
      if (hrp == SegwitHrp(other)) {
        return Invalid(absl::StrFormat(
            "it is a %s address (starts with '%s1') but this server runs on %s, whose addresses "
            "start with '%s1'",
            NetworkName(other), hrp, NetworkName(network), SegwitHrp(network)));
      }
    }
  }
  absl::StatusOr<WitnessProgram> witness = DecodeSegwitAddress(SegwitHrp(network), address);
  if (!witness.ok()) return Invalid(witness.status().message());
  if (witness->version == 0) return absl::OkStatus();
  if (witness->version == 1 && witness->program.size() == 32) return absl::OkStatus();
  return Invalid(absl::StrFormat(
      "witness version %d with a %d-byte program is not a kind of output in use on the network "
      "yet, and coins sent to it could be lost; give a P2WPKH, P2WSH or taproot address",
      witness->version, witness->program.size()));
}

absl::Status ValidateBase58(absl::string_view address, Network network) {
  absl::StatusOr<std::string> payload = Base58CheckDecode(address);
  if (!payload.ok()) {
    return Invalid(absl::StrCat("it is neither a segwit address (", SegwitHrp(network),
                                "1...) nor a valid base58 address: ", payload.status().message()));
  }
  if (payload->size() != 1 + kRipemd160Bytes) {
    return Invalid(
        absl::StrFormat("base58 payload is %d bytes; an address has 21", payload->size()));
  }
  const auto version = static_cast<uint8_t>((*payload)[0]);
  if (version == PubkeyHashVersion(network) || version == ScriptHashVersion(network)) {
    return absl::OkStatus();
  }
  const Network other = network == Network::kMainnet ? Network::kTestnet : Network::kMainnet;
  if (version == PubkeyHashVersion(other) || version == ScriptHashVersion(other)) {
    return Invalid(absl::StrFormat("it is a %s address but this server runs on %s",
                                   other == Network::kMainnet ? "mainnet" : "testnet or regtest",
                                   NetworkName(network)));
  }
  return Invalid(absl::StrFormat("base58 version byte 0x%02x is not a Bitcoin address", version));
}

}  // namespace

absl::StatusOr<AccountKey> ParseAccountXpub(absl::string_view text, Network network) {
  absl::StatusOr<ExtendedPublicKey> key = ParseExtendedPublicKey(absl::StripAsciiWhitespace(text));
  if (!key.ok()) return key.status();
  const bool mainnet_key = IsMainnetVersion(key->version);
  if (mainnet_key != (network == Network::kMainnet)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "this %s is a %s key but the server runs on %s; export the account key for %s (%s)",
        VersionName(key->version), mainnet_key ? "mainnet" : "testnet/regtest",
        NetworkName(network), NetworkName(network),
        network == Network::kMainnet ? "zpub or xpub" : "vpub or tpub"));
  }
  if (key->depth != kAccountDepth || key->child_number < kHardenedIndex) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "this key is at depth %d (child %d%s); an account key is the hardened depth-3 key "
        "m/84'/coin'/account': export the account's extended public key from the wallet",
        key->depth, key->child_number % kHardenedIndex,
        key->child_number >= kHardenedIndex ? "'" : ""));
  }
  return AccountKey{network, *std::move(key)};
}

absl::StatusOr<std::string> ReceiveAddress(const AccountKey& account, uint32_t index) {
  return DeriveAddress(account, kReceiveChain, index);
}

absl::StatusOr<std::string> ChangeAddress(const AccountKey& account, uint32_t index) {
  return DeriveAddress(account, kChangeChain, index);
}

absl::Status ValidatePayoutAddress(absl::string_view address, Network network) {
  if (address.empty()) return Invalid("it is empty");
  if (address.size() > kPayoutAddressLengthMax) {
    return Invalid(
        absl::StrFormat("it is %d characters; addresses are at most 90", address.size()));
  }
  for (char c : address) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      return Invalid("it contains whitespace; copy the address alone");
    }
  }
  // By its start: a segwit address mistyped may hold another '1' later on (bech32's
  // alphabet has it), and must still be told as one, with bech32's reason. No base58
  // address begins with a segwit prefix (theirs begin with 1, 3, m, n or 2).
  const std::string folded = absl::AsciiStrToLower(address);
  for (Network any : kNetworks) {
    const absl::string_view hrp = SegwitHrp(any);
    if (absl::StartsWith(folded, absl::StrCat(hrp, "1"))) {
      return ValidateSegwit(address, hrp, network);
    }
  }
  return ValidateBase58(address, network);
}

}  // namespace bitcontent::bitcoin
