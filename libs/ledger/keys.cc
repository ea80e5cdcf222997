#include "libs/ledger/keys.h"

#include "libs/store/key_encoding.h"

namespace bitcontent::ledger {

std::vector<std::string> ColumnFamilies() {
  return {std::string(kAccountsFamily), std::string(kTransfersFamily), std::string(kPendingFamily),
          std::string(kExpiryFamily),   std::string(kEventsFamily),    std::string(kMetaFamily)};
}

std::map<std::string, store::FamilyOptions> ColumnFamilyOptions() {
  return {{std::string(kAccountsFamily), {.read_by_scans_only = true}},
          {std::string(kTransfersFamily), {.reads_mostly_miss = true}}};
}

std::vector<std::string> IndexColumnFamilies() {
  return {std::string(kAccountTransfersFamily), std::string(kReferencesFamily),
          std::string(kIndexMetaFamily)};
}

std::map<std::string, store::FamilyOptions> IndexColumnFamilyOptions() {
  return {{std::string(kAccountTransfersFamily),
           {.ascending_under_prefix_bytes = 16,
            .memtable_size_bytes = kAccountTransfersMemtableBytes,
            .lz4_only = true}},
          {std::string(kReferencesFamily), {.lz4_only = true}}};
}

void AppendId(std::string* key, const Id& id) {
  store::AppendUint64(key, id.high);
  store::AppendUint64(key, id.low);
}

std::string IdKey(const Id& id) {
  std::string key;
  key.reserve(16);
  AppendId(&key, id);
  return key;
}

std::string IdTimestampKey(const Id& id, uint64_t timestamp_ns) {
  std::string key;
  key.reserve(24);
  AppendId(&key, id);
  store::AppendUint64(&key, timestamp_ns);
  return key;
}

std::string ExpiryKey(uint64_t deadline_ns, const Id& pending_id) {
  std::string key;
  key.reserve(24);
  store::AppendUint64(&key, deadline_ns);
  AppendId(&key, pending_id);
  return key;
}

std::string IdToBytes(const Id& id) { return IdKey(id); }

Id IdFromBytes(std::string_view bytes) {
  const uint64_t high = *store::DecodeUint64(bytes);
  return Id{high, *store::DecodeUint64(bytes.substr(8))};
}

}  // namespace bitcontent::ledger
