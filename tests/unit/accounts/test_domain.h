// A real accounts domain on a real RocksDB in a fresh temporary directory, for the unit
// tests: Argon2id at TestKdfParams (server hash and client floor), everything else as
// in production. Reopen() closes and reopens the store, as a restart would.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "libs/kit/resource_names.h"
#include "services/accounts/accounts_domain.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts::testing {

inline DomainOptions TestDomainOptions() {
  return {.auth_key_hash_params = crypto::TestKdfParams(),
          .client_kdf_min = crypto::TestKdfParams()};
}

class TestDomain {
 public:
  explicit TestDomain(DomainOptions options = TestDomainOptions()) : options_(options) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "accounts_test_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    Open();
  }
  ~TestDomain() {
    domain_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TestDomain(const TestDomain&) = delete;
  TestDomain& operator=(const TestDomain&) = delete;

  AccountsDomain* operator->() { return domain_.get(); }
  AccountsDomain& operator*() { return *domain_; }
  store::Store& store() { return *store_; }
  const std::filesystem::path& dir() const { return dir_; }

  // Closes everything and opens the same directory again.
  void Reopen() {
    domain_.reset();
    store_.reset();
    Open();
  }

 private:
  void Open() {
    absl::StatusOr<std::unique_ptr<store::Store>> store = AccountsDb::OpenStore(dir_.string());
    REQUIRE(store.ok());
    store_ = std::move(*store);
    absl::StatusOr<std::unique_ptr<AccountsDomain>> domain =
        AccountsDomain::Open(store_.get(), options_, nullptr, absl::Now());
    REQUIRE(domain.ok());
    domain_ = std::move(*domain);
  }

  const DomainOptions options_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<AccountsDomain> domain_;
};

}  // namespace bitcontent::accounts::testing
