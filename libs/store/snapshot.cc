#include "libs/store/snapshot.h"

#include <utility>

#include "rocksdb/db.h"

namespace bitcontent::store {

Snapshot::Snapshot(rocksdb::DB* db, const rocksdb::Snapshot* snapshot)
    : db_(db), snapshot_(snapshot) {}

Snapshot::Snapshot(Snapshot&& other) noexcept
    : db_(other.db_), snapshot_(std::exchange(other.snapshot_, nullptr)) {}

Snapshot& Snapshot::operator=(Snapshot&& other) noexcept {
  if (this != &other) {
    Release();
    db_ = other.db_;
    snapshot_ = std::exchange(other.snapshot_, nullptr);
  }
  return *this;
}

Snapshot::~Snapshot() { Release(); }

void Snapshot::Release() {
  if (snapshot_ != nullptr) {
    db_->ReleaseSnapshot(std::exchange(snapshot_, nullptr));
  }
}

}  // namespace bitcontent::store
