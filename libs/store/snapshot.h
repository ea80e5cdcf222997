// Snapshot: a consistent, read-only view of a Store at one moment.
//
// Take one with Store::TakeSnapshot and pass it to Get, MultiGet or Scan: those reads see
// the data as it was when the snapshot was taken, whatever is written afterwards. Use a
// snapshot when several reads must agree with each other (a page of a listing and its
// total, a balance check across accounts). The snapshot is released when the object is
// destroyed; it must be destroyed before its Store. Holding one for long keeps old
// versions of overwritten keys from being compacted away.
#pragma once

namespace rocksdb {
class DB;
class Snapshot;
}  // namespace rocksdb

namespace bitcontent::store {

class Snapshot {
 public:
  Snapshot(Snapshot&& other) noexcept;
  Snapshot& operator=(Snapshot&& other) noexcept;
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  // Releases the snapshot.
  ~Snapshot();

 private:
  friend class Store;
  friend class PrefixIterator;

  Snapshot(rocksdb::DB* db, const rocksdb::Snapshot* snapshot);
  void Release();

  rocksdb::DB* db_;
  const rocksdb::Snapshot* snapshot_;  // Null after a move: reads see the latest state.
};

}  // namespace bitcontent::store
