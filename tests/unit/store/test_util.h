// Helpers shared by the store tests: TempDir, a fresh empty directory removed with all
// its contents when the test ends, and OpenOrDie / FamilyOrDie, which open a real RocksDB
// database there and fail the test with the error's message when they cannot.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "libs/store/store.h"

namespace bitcontent::store {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "store_test_XXXXXX").string();
    path_ = mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    if (!path_.empty()) {
      std::filesystem::remove_all(path_, ignored);
    }
  }

  // The directory itself; empty if it could not be created.
  const std::string& path() const { return path_; }
  // A path inside the directory that does not exist yet.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::unique_ptr<Store> OpenOrDie(const std::string& path,
                                        std::vector<std::string> families) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open({.path = path, .column_families = std::move(families)});
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *std::move(store);
}

inline ColumnFamily FamilyOrDie(const Store& store, std::string_view name) {
  absl::StatusOr<ColumnFamily> family = store.Family(name);
  INFO(family.status().ToString());
  REQUIRE(family.ok());
  return *family;
}

inline constexpr WriteOptions kNoSync = {.sync = false};
inline constexpr WriteOptions kSync = {.sync = true};

}  // namespace bitcontent::store
