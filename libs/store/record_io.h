// Reading and writing protobuf records in a Store: one place that turns "missing" into
// NOT_FOUND (or nullopt) and "unparsable" into DATA_LOSS naming the family, so a
// service's domain classes read as plain lookups.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/store/key_encoding.h"
#include "libs/store/store.h"
#include "libs/store/write_batch.h"

namespace bitcontent::store {

// Parses a stored value; DATA_LOSS naming the family when it is not a `Record`.
template <typename Record>
absl::StatusOr<Record> ParseRecord(ColumnFamily family, std::string_view value) {
  Record record;
  if (!record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(
        absl::StrCat("store: unreadable record in family ", std::string(family.name())));
  }
  return record;
}

// The record at `key`; nullopt when there is none.
template <typename Record>
absl::StatusOr<std::optional<Record>> FindRecord(const Store& store, ColumnFamily family,
                                                 absl::string_view key) {
  absl::StatusOr<std::string> value = store.Get(family, KeyView(key));
  if (absl::IsNotFound(value.status())) return std::optional<Record>();
  if (!value.ok()) return value.status();
  absl::StatusOr<Record> record = ParseRecord<Record>(family, *value);
  if (!record.ok()) return record.status();
  return std::optional<Record>(std::move(*record));
}

// Adds `key` = serialized `record` to `batch`.
template <typename Record>
void PutRecord(WriteBatch* batch, ColumnFamily family, absl::string_view key,
               const Record& record) {
  batch->Put(family, KeyView(key), record.SerializeAsString());
}

}  // namespace bitcontent::store
