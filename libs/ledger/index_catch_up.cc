// Ledger::CatchUpIndexes: at Open, indexes the commits the index store does not reach
// (all of them for a new index store, the last few after a crash), from the events
// family, which lists every new transfer of every commit in order.
#include <string>
#include <vector>

#include "libs/ledger/ledger.h"
#include "libs/ledger/record_codec.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::ledger {

absl::Status Ledger::CatchUpIndexes(uint64_t committed_ns) {
  absl::StatusOr<uint64_t> stored = index_.StoredThrough();
  if (!stored.ok()) return stored.status();
  if (*stored >= committed_ns) return absl::OkStatus();
  std::vector<Id> ids;
  // Indexes the transfers in `ids`, up to the end of the last block read.
  auto index = [&](uint64_t through_ns) -> absl::Status {
    absl::StatusOr<std::vector<std::optional<Transfer>>> found = ReadTransfers(ids);
    if (!found.ok()) return found.status();
    std::vector<Transfer> transfers;
    transfers.reserve(found->size());
    for (std::optional<Transfer>& t : *found) {
      if (!t.has_value()) return absl::DataLossError("ledger: an event names a missing transfer");
      transfers.push_back(*std::move(t));
    }
    ids.clear();
    return index_.Write(transfers, through_ns);
  };
  // Blocks are keyed by their last event's timestamp, and the mark is always the end of
  // a commit, so every block after the mark is wholly past it.
  store::PrefixIterator it =
      store_->Scan(families_.events, {.start_after = store::EncodeUint64(*stored)});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<std::vector<EventEntry>> block = DecodeEventBlock(it.value());
    if (!block.ok()) return block.status();
    for (const EventEntry& e : *block) {
      if (e.type == TransferEventType::kCreated) ids.push_back(e.transfer_id);
    }
    if (ids.size() >= kBatchEventsMax) {
      if (absl::Status status = index(*store::DecodeUint64(it.key())); !status.ok()) {
        return status;
      }
    }
  }
  if (!it.status().ok()) return it.status();
  return index(committed_ns);
}

}  // namespace bitcontent::ledger
