// Conversions between the ledger engine's structs (libs/ledger) and their protos in
// proto/bitcontent/wallet/v1/ledger.proto, for the internal API.
//
// An id field on the wire is 16 bytes big-endian, or empty for zero (which the engine's
// checks then refuse with their own result code); any other length is the caller's
// mistake and fails the whole call with INVALID_ARGUMENT naming the field.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "bitcontent/wallet/v1/ledger.pb.h"
#include "libs/ledger/account.h"
#include "libs/ledger/id.h"
#include "libs/ledger/results.h"
#include "libs/ledger/transfer.h"

namespace bitcontent::wallet {

// The id in `bytes` (empty or 16 bytes); `field` names it in the error.
absl::StatusOr<ledger::Id> IdFromField(std::string_view bytes, std::string_view field);

absl::StatusOr<ledger::Account> AccountFromProto(const v1::LedgerAccount& account);
v1::LedgerAccount AccountToProto(const ledger::Account& account);

absl::StatusOr<ledger::Transfer> TransferFromProto(const v1::Transfer& transfer);
v1::Transfer TransferToProto(const ledger::Transfer& transfer);

v1::TransferEvent EventToProto(const ledger::TransferEvent& event);

// The engine's result codes have the proto's numbers.
inline v1::CreateAccountResult ResultToProto(ledger::CreateAccountResult result) {
  return static_cast<v1::CreateAccountResult>(result);
}
inline v1::CreateTransferResult ResultToProto(ledger::CreateTransferResult result) {
  return static_cast<v1::CreateTransferResult>(result);
}

}  // namespace bitcontent::wallet
