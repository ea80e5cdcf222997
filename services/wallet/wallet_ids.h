// The wallet's ledger ids: the one ledger it uses, its system accounts, and the ids of
// member accounts and of the transfers the wallet makes, derived so that a retry of the
// same request always names the same transfer (the ledger then answers EXISTS instead
// of moving money twice).
//
// A derived id is the first 16 bytes of BLAKE2b-256 over a purpose and the request's
// key. System accounts have small fixed ids, which no derived id can hit in practice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bitcontent/wallet/v1/ledger.pb.h"
#include "libs/ledger/id.h"

namespace bitcontent::wallet {

// The ledger code of bitcoin amounts in millisatoshi; every wallet account uses it.
inline constexpr uint32_t kBitcoinLedger = 1;

// The platform's own accounts; the id is {0, account code}.
ledger::Id SystemAccountId(v1::AccountCode code);
// "system/platformFees" and so on, for history's counterparty; empty for other ids.
std::string SystemAccountName(const ledger::Id& id);

// The ledger account of the member's wallet.
ledger::Id MemberAccountId(std::string_view user_id);
// The transfer of a member's payment made with `request_id`.
ledger::Id PaymentTransferId(std::string_view payer_user_id, std::string_view request_id);
// The hold of a member's payout request made with `request_id`.
ledger::Id PayoutHoldId(std::string_view user_id, std::string_view request_id);
// The post or void that settles the payout hold `hold`.
ledger::Id PayoutDecisionId(const ledger::Id& hold);
// The credit of the on-chain output txid:vout.
ledger::Id DepositTransferId(std::string_view txid, uint32_t vout);
// The one welcome credit of a member's new wallet.
ledger::Id WelcomeCreditId(std::string_view user_id);

// 32 lowercase hex characters; the form ids take in resource names.
std::string IdToHex(const ledger::Id& id);
// Parses IdToHex's form; nullopt for anything else.
std::optional<ledger::Id> IdFromHex(std::string_view hex);

}  // namespace bitcontent::wallet
