// Watch-only deposit addresses and payout address checks for one Bitcoin network.
//
// The operator gives the server the extended public key of a BIP84 account
// (m/84'/coin'/account', exported as a zpub or xpub on mainnet, a vpub or tpub on
// testnet and regtest). From it the server derives native segwit (P2WPKH) receive
// addresses account/0/i and change addresses account/1/i; it never sees a private key,
// so a compromised server cannot spend deposits. Payout addresses typed by users are
// checked against the network before a payout request is accepted.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/bitcoin/extended_key.h"
#include "libs/bitcoin/network.h"

namespace bitcontent::bitcoin {

// BIP44 levels: purpose' / coin_type' / account' puts an account key at depth 3.
inline constexpr uint8_t kAccountDepth = 3;
// Chains below an account: external (receive) and internal (change).
inline constexpr uint32_t kReceiveChain = 0, kChangeChain = 1;
// Longest payout address text looked at; a segwit address is at most 90 characters.
inline constexpr size_t kPayoutAddressLengthMax = 100;

struct AccountKey {
  Network network = Network::kMainnet;
  ExtendedPublicKey key;  // depth 3, hardened child number
};

// The account key `text` serialises, for `network`. Accepts xpub or zpub on mainnet,
// tpub or vpub on testnet and regtest; surrounding whitespace is ignored. Refuses
// private keys, keys of another network, and keys that are not at the account level.
absl::StatusOr<AccountKey> ParseAccountXpub(absl::string_view text, Network network);

// The P2WPKH address of account/0/index (index below 2^31).
absl::StatusOr<std::string> ReceiveAddress(const AccountKey& account, uint32_t index);

// The P2WPKH address of account/1/index (index below 2^31).
absl::StatusOr<std::string> ChangeAddress(const AccountKey& account, uint32_t index);

// OK when coins can be sent to `address` on `network`: segwit v0 (P2WPKH, P2WSH), v1
// (taproot), or legacy base58 P2PKH / P2SH. Otherwise InvalidArgument with the reason:
// another network, a bad checksum, a witness version not in use, a malformed program.
absl::Status ValidatePayoutAddress(absl::string_view address, Network network);

}  // namespace bitcontent::bitcoin
