// The ledger's column families and key formats (docs/ledger.md draws the layout).
//
// Every number and id in a key is fixed-width big-endian, so keys sort numerically:
// an account's history is one prefix, ordered by timestamp.
#pragma once

#include <cstddef>
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
// timestamp_ns of the block's last event -> the commit's events, in order.
inline constexpr std::string_view kEventsFamily = "ledger_events";
// "totals" -> totals record.
inline constexpr std::string_view kMetaFamily = "ledger_meta";

inline constexpr std::string_view kTotalsKey = "totals";

// The index store (index_writer.h): a second Store, written without a WAL and rebuilt
// from the events family after a crash.
// account id || timestamp_ns -> side byte ('d' or 'c') || transfer id.
inline constexpr std::string_view kAccountTransfersFamily = "ledger_account_transfers";
// user_data_128 || timestamp_ns -> transfer id (only for non-zero user_data_128).
inline constexpr std::string_view kReferencesFamily = "ledger_references";
// "indexed_through" -> timestamp_ns (8 bytes): every commit up to it is indexed.
inline constexpr std::string_view kIndexMetaFamily = "ledger_index_meta";

inline constexpr std::string_view kIndexedThroughKey = "indexed_through";

// The families of the ledger's store above the index store's; open the Store with these
// (plus the service's own).
std::vector<std::string> ColumnFamilies();
// How the ledger reads its families, for StoreOptions::family_options: accounts are
// written on every commit and only scanned at Open, and the transfers family is probed
// for every new transfer id, which is almost never there. Without these the ledger works
// the same, at about three quarters of the speed.
std::map<std::string, store::FamilyOptions> ColumnFamilyOptions();
// The index store's families and options: an account's history only grows at its end.
// Its keys spread over every account, so each compaction into the last level rewrites
// all of it: the history family gets a large memtable (fewer flushes, so fewer such
// compactions) and LZ4 everywhere (ZSTD there cost more CPU than the rest of the
// compaction; docs/benchmarks.md, 2026-12-08).
inline constexpr size_t kAccountTransfersMemtableBytes = size_t{64} << 20;
// Every memtable of the index store together (the history's, the references', meta).
inline constexpr size_t kIndexMemtablesBytesMax = size_t{128} << 20;
std::vector<std::string> IndexColumnFamilies();
std::map<std::string, store::FamilyOptions> IndexColumnFamilyOptions();

inline constexpr char kDebitSide = 'd';
inline constexpr char kCreditSide = 'c';

void AppendId(std::string* key, const Id& id);
std::string IdKey(const Id& id);
// id || timestamp_ns: an account's history and the reference index.
std::string IdTimestampKey(const Id& id, uint64_t timestamp_ns);
std::string ExpiryKey(uint64_t deadline_ns, const Id& pending_id);

}  // namespace bitcontent::ledger
