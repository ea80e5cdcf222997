// The filesystem provider on a real directory: round trips, idempotent and conflicting
// puts, key validation, listing in pages, crash leftovers, concurrent writers.
#include "services/blobs/filesystem_provider.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::blobs {
namespace {

namespace fs = std::filesystem;

std::string KeyOf(absl::string_view bytes) { return crypto::HexEncode(crypto::Blake2b256(bytes)); }

std::unique_ptr<FilesystemProvider> MustOpen(const fs::path& root) {
  absl::StatusOr<std::unique_ptr<FilesystemProvider>> provider = FilesystemProvider::Open(root);
  INFO(provider.status().ToString());
  REQUIRE(provider.ok());
  return *std::move(provider);
}

TEST_CASE("filesystem provider stores, reads, sizes and deletes objects", "[blobs][providers]") {
  store::TempDir dir;
  auto provider = MustOpen(dir.Sub("chunks"));
  const std::string bytes = crypto::RandomBytes(70000);
  const std::string key = KeyOf(bytes);
  bool existed = true;
  REQUIRE(provider->Put(key, bytes, &existed).ok());
  CHECK_FALSE(existed);
  CHECK(fs::exists(fs::path(dir.Sub("chunks")) / key.substr(0, 2) / key.substr(2, 2) / key));
  CHECK(provider->Get(key).value() == bytes);
  CHECK(provider->Size(key).value() == bytes.size());

  // The same bytes again: fine, and said. Other bytes: refused, the object unchanged.
  REQUIRE(provider->Put(key, bytes, &existed).ok());
  CHECK(existed);
  CHECK(provider->Put(key, "other bytes", nullptr).code() == absl::StatusCode::kAlreadyExists);
  CHECK(provider->Get(key).value() == bytes);

  REQUIRE(provider->Delete(key).ok());
  absl::StatusOr<ObjectBytes> gone = provider->Get(key);
  CHECK(gone.status().code() == absl::StatusCode::kNotFound);
  CHECK(gone.status().message().find(key) != absl::string_view::npos);
  CHECK(provider->Size(key).status().code() == absl::StatusCode::kNotFound);
  CHECK(provider->Delete(key).ok());  // Already gone is fine.
  // An empty object (an empty file's single chunk would never be empty, but the
  // provider does not care).
  REQUIRE(provider->Put(KeyOf(""), "", nullptr).ok());
  CHECK(provider->Get(KeyOf("")).value().size() == 0);
}

TEST_CASE("filesystem provider refuses bad keys and oversized objects", "[blobs][providers]") {
  store::TempDir dir;
  auto provider = MustOpen(dir.Sub("chunks"));
  const std::string good = KeyOf("x");
  for (const std::string& bad : {std::string("abc"), std::string(64, 'A'), std::string(64, 'g'),
                                 "../" + good.substr(3), good + "0", std::string()}) {
    INFO(bad);
    CHECK(provider->Put(bad, "x", nullptr).code() == absl::StatusCode::kInvalidArgument);
    CHECK(provider->Get(bad).status().code() == absl::StatusCode::kInvalidArgument);
  }
  CHECK(provider->Put(good, std::string(kObjectBytesMax + 1, 'x'), nullptr).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(provider->Put(good, std::string(kObjectBytesMax, 'x'), nullptr).ok());
}

TEST_CASE("filesystem provider lists every key once, in order, page by page",
          "[blobs][providers]") {
  store::TempDir dir;
  auto provider = MustOpen(dir.Sub("chunks"));
  std::set<std::string> stored;
  for (int i = 0; i < 250; ++i) {
    const std::string bytes = "object " + std::to_string(i);
    REQUIRE(provider->Put(KeyOf(bytes), bytes, nullptr).ok());
    stored.insert(KeyOf(bytes));
  }
  std::vector<std::string> listed;
  std::string after;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ObjectPage> page = provider->List(after, 100);
    REQUIRE(page.ok());
    listed.insert(listed.end(), page->keys.begin(), page->keys.end());
    if (page->next_after.empty()) break;
    after = page->next_after;
  }
  CHECK(listed == std::vector<std::string>(stored.begin(), stored.end()));
  CHECK(provider->List("", 0).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("filesystem provider removes what a crash left and never lists it",
          "[blobs][providers]") {
  store::TempDir dir;
  const std::string key = KeyOf("whole");
  {
    auto provider = MustOpen(dir.Sub("chunks"));
    REQUIRE(provider->Put(key, "whole", nullptr).ok());
  }
  // A write cut short by a crash: a temporary file next to the real object.
  const fs::path leftover =
      fs::path(dir.Sub("chunks")) / key.substr(0, 2) / key.substr(2, 2) / (key + ".tmp-dead");
  std::ofstream(leftover) << "half";
  REQUIRE(fs::exists(leftover));
  auto reopened = MustOpen(dir.Sub("chunks"));
  CHECK_FALSE(fs::exists(leftover));
  CHECK(reopened->List("", 10).value().keys == std::vector<std::string>{key});
  CHECK(reopened->Get(key).value() == "whole");
}

TEST_CASE("filesystem provider keeps one intact object when many write it at once",
          "[blobs][providers]") {
  store::TempDir dir;
  auto provider = MustOpen(dir.Sub("chunks"));
  const std::string bytes = crypto::RandomBytes(1 << 20);
  const std::string key = KeyOf(bytes);
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&] {
      if (!provider->Put(key, bytes, nullptr).ok()) failures.fetch_add(1);
    });
  }
  for (std::thread& writer : writers) writer.join();
  CHECK(failures.load() == 0);
  CHECK(provider->Get(key).value() == bytes);
  CHECK(provider->List("", 10).value().keys.size() == 1);
}

}  // namespace
}  // namespace bitcontent::blobs
