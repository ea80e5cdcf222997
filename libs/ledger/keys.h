// The ledger's column families and key formats (docs/ledger.md draws the layout).
//
// Every number and id in a key is fixed-width big-endian, so keys sort numerically:
// an account's history is one prefix, ordered by timestamp.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "libs/ledger/id.h"
#include "libs/store/store_options.h"

namespace bitcontent::ledger {

// id -> account record.
inline constexpr std::string_view kAccountsFamily = "ledger_accounts";
// id -> transfer record or failure record.
inline constexpr std::string_view kTransfersFamily = "ledger_transfers";
// pending transfer id -> pending state record.
inline constexpr std::string_view kPendingFamily = "ledger_pending";
// deadline_ns || pending id -> expiry record (what to release).
inline constexpr std::string_view kExpiryFamily = "ledger_expiry";
// account id || timestamp_ns -> side byte ('d' or 'c') || transfer id.
inline constexpr std::string_view kAccountTransfersFamily = "ledger_account_transfers";
// user_data_128 || timestamp_ns -> transfer id (only for non-zero user_data_128).
inline constexpr std::string_view kReferencesFamily = "ledger_references";
// timestamp_ns of the block's last event -> the commit's events, in order.
inline constexpr std::string_view kEventsFamily = "ledger_events";
// "totals" -> totals record.
inline constexpr std::string_view kMetaFamily = "ledger_meta";

inline constexpr std::string_view kTotalsKey = "totals";

// Every family above; open the Store with these (plus the service's own).
std::vector<std::string> ColumnFamilies();
// How the ledger reads its families, for StoreOptions::family_options: accounts are
// written on every commit and only scanned at Open, the transfers family is probed for
// every new transfer id, which is almost never there, and an account's history only
// grows at its end. Without these the ledger works the same, at about three quarters of
// the speed.
std::map<std::string, store::FamilyOptions> ColumnFamilyOptions();

inline constexpr char kDebitSide = 'd';
inline constexpr char kCreditSide = 'c';

void AppendId(std::string* key, const Id& id);
std::string IdKey(const Id& id);
// id || timestamp_ns: an account's history and the reference index.
std::string IdTimestampKey(const Id& id, uint64_t timestamp_ns);
std::string ExpiryKey(uint64_t deadline_ns, const Id& pending_id);

}  // namespace bitcontent::ledger
