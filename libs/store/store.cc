#include "libs/store/store.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/store/errors.h"
#include "libs/store/rocksdb_options.h"
#include "rocksdb/db.h"

namespace bitcontent::store {
namespace {

constexpr size_t kMemtableSizeBytesMin = size_t{1} << 20;

rocksdb::Slice ToSlice(std::string_view bytes) { return {bytes.data(), bytes.size()}; }

rocksdb::WriteOptions ToRocksDb(WriteOptions options) {
  rocksdb::WriteOptions write_options;
  write_options.sync = options.sync;
  write_options.disableWAL = options.skip_wal;
  return write_options;
}

absl::Status Validate(const StoreOptions& options) {
  const absl::StatusCode invalid = absl::StatusCode::kInvalidArgument;
  if (options.path.empty()) {
    return StoreError(invalid, "Open", "", "path is empty");
  }
  if (options.column_families.size() > kColumnFamiliesMax) {
    return StoreError(invalid, "Open", options.path,
                      absl::StrCat("more than ", kColumnFamiliesMax, " column families"));
  }
  const std::vector<std::string>& names = options.column_families;
  for (const std::string& name : names) {
    if (name.empty() || std::count(names.begin(), names.end(), name) > 1) {
      return StoreError(invalid, "Open", options.path,
                        "column family names must be non-empty and unique");
    }
  }
  for (const auto& [name, family] : options.family_options) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return StoreError(invalid, "Open", options.path,
                        absl::StrCat("family_options names ", name, ", not a column family"));
    }
    if (family.memtable_size_bytes > options.memtable_size_bytes_max) {
      return StoreError(invalid, "Open", options.path,
                        absl::StrCat("the memtable of ", name, " (", family.memtable_size_bytes,
                                     " bytes) is larger than memtable_size_bytes_max (",
                                     options.memtable_size_bytes_max, ")"));
    }
  }
  if (options.memtable_size_bytes_max < kMemtableSizeBytesMin || options.background_jobs_max < 1) {
    return StoreError(invalid, "Open", options.path,
                      absl::StrCat("memtable_size_bytes_max must be >= ", kMemtableSizeBytesMin,
                                   " and background_jobs_max >= 1"));
  }
  return absl::OkStatus();
}

// The families to open: "default", those the service asked for, then any others the
// database already has (RocksDB refuses to open a database without all of them).
absl::StatusOr<std::vector<std::string>> FamiliesToOpen(const StoreOptions& options,
                                                        const rocksdb::DBOptions& database) {
  std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName};
  for (const std::string& name : options.column_families) {
    if (name != rocksdb::kDefaultColumnFamilyName) {
      names.push_back(name);
    }
  }
  std::error_code error;
  if (!std::filesystem::exists(std::filesystem::path(options.path) / "CURRENT", error)) {
    if (options.create_if_missing) {
      return names;
    }
    return StoreError(absl::StatusCode::kNotFound, "Open", options.path,
                      "no database there and create_if_missing is false");
  }
  std::vector<std::string> existing;
  rocksdb::Status status = rocksdb::DB::ListColumnFamilies(database, options.path, &existing);
  if (!status.ok()) {
    return ToAbslStatus(status, "Open", options.path);
  }
  for (std::string& name : existing) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  if (absl::Status valid = Validate(options); !valid.ok()) {
    return valid;
  }
  RocksDbOptions rocksdb_options = MakeRocksDbOptions(options);
  absl::StatusOr<std::vector<std::string>> names =
      FamiliesToOpen(options, rocksdb_options.database);
  if (!names.ok()) {
    return names.status();
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(names->size());
  for (const std::string& name : *names) {
    descriptors.emplace_back(name, MakeFamilyOptionsFor(rocksdb_options, options, name));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status status =
      rocksdb::DB::Open(rocksdb_options.database, options.path, descriptors, &handles, &db);
  if (!status.ok()) {
    return ToAbslStatus(status, "Open", options.path);
  }
  return std::unique_ptr<Store>(
      new Store(options.path, std::unique_ptr<rocksdb::DB>(db), std::move(handles)));
}

Store::Store(std::string path, std::unique_ptr<rocksdb::DB> db,
             std::vector<rocksdb::ColumnFamilyHandle*> handles)
    : path_(std::move(path)), db_(std::move(db)), handles_(std::move(handles)) {}

Store::~Store() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  // Errors cannot be reported from a destructor; the WAL makes the data safe regardless.
  db_->Close().PermitUncheckedError();
}

absl::StatusOr<ColumnFamily> Store::Family(std::string_view name) const {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    if (handle->GetName() == name) {
      return ColumnFamily(handle, handle->GetName());
    }
  }
  return StoreError(absl::StatusCode::kNotFound, "Family", name,
                    "no such column family in " + path_);
}

ColumnFamily Store::MustFamily(std::string_view name) const {
  absl::StatusOr<ColumnFamily> family = Family(name);
  if (!family.ok()) {
    std::fprintf(stderr, "%s\n", std::string(family.status().message()).c_str());
    std::abort();
  }
  return *family;
}

absl::StatusOr<std::string> Store::Get(ColumnFamily family, std::string_view key,
                                       const Snapshot* snapshot) const {
  rocksdb::ReadOptions read_options;
  if (snapshot != nullptr) {
    read_options.snapshot = snapshot->snapshot_;
  }
  std::string value;
  rocksdb::Status status = db_->Get(read_options, family.handle_, ToSlice(key), &value);
  if (!status.ok()) {
    return ToAbslStatus(status, "Get", family.name());
  }
  return value;
}

absl::StatusOr<std::vector<std::optional<std::string>>> Store::MultiGet(
    ColumnFamily family, absl::Span<const std::string_view> keys, const Snapshot* snapshot) const {
  if (keys.size() > kMultiGetKeysMax) {
    return StoreError(absl::StatusCode::kInvalidArgument, "MultiGet", family.name(),
                      absl::StrCat(keys.size(), " keys, at most ", kMultiGetKeysMax));
  }
  rocksdb::ReadOptions read_options;
  if (snapshot != nullptr) {
    read_options.snapshot = snapshot->snapshot_;
  }
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (std::string_view key : keys) {
    slices.push_back(ToSlice(key));
  }
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(read_options, family.handle_, keys.size(), slices.data(), values.data(),
                statuses.data());

  std::vector<std::optional<std::string>> results(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) {
      continue;
    }
    if (!statuses[i].ok()) {
      return ToAbslStatus(statuses[i], "MultiGet", family.name());
    }
    results[i] = values[i].ToString();
  }
  return results;
}

absl::Status Store::Put(ColumnFamily family, std::string_view key, std::string_view value,
                        WriteOptions options) {
  return ToAbslStatus(db_->Put(ToRocksDb(options), family.handle_, ToSlice(key), ToSlice(value)),
                      "Put", family.name());
}

absl::Status Store::Delete(ColumnFamily family, std::string_view key, WriteOptions options) {
  return ToAbslStatus(db_->Delete(ToRocksDb(options), family.handle_, ToSlice(key)), "Delete",
                      family.name());
}

absl::Status Store::Write(WriteBatch* batch, WriteOptions options) {
  if (!batch->status().ok()) {
    return batch->status();
  }
  return ToAbslStatus(db_->Write(ToRocksDb(options), &batch->batch_), "Write", "");
}

Snapshot Store::TakeSnapshot() const { return Snapshot(db_.get(), db_->GetSnapshot()); }

PrefixIterator Store::Scan(ColumnFamily family, const ScanOptions& options) const {
  return PrefixIterator::Start(db_.get(), family, options);
}

absl::StatusOr<std::string> Store::Property(std::string_view name) const {
  std::string value;
  if (!db_->GetProperty(ToSlice(name), &value)) {
    return StoreError(absl::StatusCode::kNotFound, "Property", name, "unknown property");
  }
  return value;
}

}  // namespace bitcontent::store
