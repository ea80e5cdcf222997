// How the store library reports errors (internal to it).
//
// Every RocksDB call in this library passes its result through ToAbslStatus, the one
// translation from rocksdb::Status to absl::Status, so each error reaches callers with a
// precise absl code. Every error message, RocksDB's or the library's own (StoreError),
// reads "store <operation> <target>: <detail>", naming the column family or, for Open,
// the database path. Services never see rocksdb::Status; they map absl codes to gRPC
// codes at their edge.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "rocksdb/status.h"

namespace bitcontent::store {

// An error with `code` whose message reads "store <operation> <target>: <detail>".
absl::Status StoreError(absl::StatusCode code, std::string_view operation, std::string_view target,
                        std::string_view detail);

// Returns OK for an OK `status`; otherwise an error whose message reads
// "store <operation> <target>: <what RocksDB said>". `target` is the column family name,
// the database path for Open, or empty for operations that span families (Write).
// A LOCK-file failure maps to Unavailable and says that another process holds the lock.
absl::Status ToAbslStatus(const rocksdb::Status& status, std::string_view operation,
                          std::string_view target);

}  // namespace bitcontent::store
