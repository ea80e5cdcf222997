#include "libs/store/store.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>

#include "tests/unit/store/test_util.h"

namespace bitcontent::store {
namespace {

// Another process holding the fcntl lock that RocksDB takes on a database's LOCK file,
// from construction until Release() or destruction.
class LockHolderProcess {
 public:
  explicit LockHolderProcess(const std::string& lock_path) {
    int ready[2];
    int done[2];
    if (pipe(ready) != 0 || pipe(done) != 0) {
      return;
    }
    child_ = fork();
    if (child_ == 0) {
      HoldLock(lock_path, ready, done);
    }
    close(ready[1]);
    close(done[0]);
    release_fd_ = done[1];
    char locked = '0';
    locked_ = child_ > 0 && read(ready[0], &locked, 1) == 1 && locked == '1';
    close(ready[0]);
  }
  LockHolderProcess(const LockHolderProcess&) = delete;
  LockHolderProcess& operator=(const LockHolderProcess&) = delete;
  ~LockHolderProcess() { Release(); }

  // True once the child holds the lock.
  bool locked() const { return locked_; }

  // Lets the child release the lock and exit, and waits for it.
  void Release() {
    if (release_fd_ >= 0) {
      close(std::exchange(release_fd_, -1));
    }
    if (child_ > 0) {
      waitpid(std::exchange(child_, -1), nullptr, 0);
    }
  }

 private:
  // Runs in the child, which only makes system calls, as a child forked from a threaded
  // process must: lock, report, wait until the parent closes its end of `done`, exit.
  [[noreturn]] static void HoldLock(const std::string& lock_path, int ready[2], int done[2]) {
    close(ready[0]);
    close(done[1]);
    const int fd = open(lock_path.c_str(), O_RDWR);
    struct flock lock = {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    const char locked = (fd >= 0 && fcntl(fd, F_SETLK, &lock) == 0) ? '1' : '0';
    (void)!write(ready[1], &locked, 1);
    char ignored;
    (void)!read(done[0], &ignored, 1);
    _exit(0);
  }

  pid_t child_ = -1;
  int release_fd_ = -1;
  bool locked_ = false;
};

TEST_CASE("store: Data survives close and reopen", "[store]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  {
    std::unique_ptr<Store> store = OpenOrDie(path, {"users"});
    ColumnFamily users = FamilyOrDie(*store, "users");
    REQUIRE(store->Put(users, "alice", "1", kNoSync).ok());
    REQUIRE(store->Put(users, "bob", "2", kNoSync).ok());
    REQUIRE(store->Delete(users, "bob", kNoSync).ok());
  }
  std::unique_ptr<Store> store = OpenOrDie(path, {"users"});
  ColumnFamily users = FamilyOrDie(*store, "users");
  REQUIRE(store->Get(users, "alice").value() == "1");
  REQUIRE(absl::IsNotFound(store->Get(users, "bob").status()));
}

TEST_CASE("store: A write that skips the WAL lasts once the store closes, never synced",
          "[store]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  {
    std::unique_ptr<Store> store = OpenOrDie(path, {"index"});
    ColumnFamily index = FamilyOrDie(*store, "index");
    WriteBatch batch;
    batch.Put(index, "a", "1");
    REQUIRE(store->Write(&batch, {.skip_wal = true}).ok());
    REQUIRE(store->Put(index, "b", "2", {.skip_wal = true}).ok());
    // Synced means in the WAL: asking for both is refused and writes nothing.
    const absl::Status both = store->Put(index, "c", "3", {.sync = true, .skip_wal = true});
    CHECK(both.code() == absl::StatusCode::kInvalidArgument);
    CHECK(absl::IsNotFound(store->Get(index, "c").status()));
  }
  std::unique_ptr<Store> store = OpenOrDie(path, {"index"});
  ColumnFamily index = FamilyOrDie(*store, "index");
  CHECK(store->Get(index, "a").value() == "1");
  CHECK(store->Get(index, "b").value() == "2");
}

TEST_CASE("store: Column families are created on first open and present on reopen", "[store]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  {
    std::unique_ptr<Store> store = OpenOrDie(path, {"users", "sessions"});
    REQUIRE(FamilyOrDie(*store, "users").name() == "users");
    REQUIRE(FamilyOrDie(*store, "sessions").name() == "sessions");
    REQUIRE(store->Put(FamilyOrDie(*store, "sessions"), "s1", "alice", kNoSync).ok());
  }
  // A service that no longer lists "sessions" can still open the database and reach it.
  std::unique_ptr<Store> store = OpenOrDie(path, {"users", "devices"});
  REQUIRE(FamilyOrDie(*store, "devices").name() == "devices");
  REQUIRE(store->Get(FamilyOrDie(*store, "sessions"), "s1").value() == "alice");
  REQUIRE(FamilyOrDie(*store, "default").name() == "default");
  REQUIRE(absl::IsNotFound(store->Family("nope").status()));
}

TEST_CASE("store: Families keep their keys apart", "[store]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"a", "b"});
  ColumnFamily a = FamilyOrDie(*store, "a");
  ColumnFamily b = FamilyOrDie(*store, "b");
  REQUIRE(store->Put(a, "k", "in a", kNoSync).ok());
  REQUIRE(store->Get(a, "k").value() == "in a");
  REQUIRE(absl::IsNotFound(store->Get(b, "k").status()));
}

TEST_CASE("store: Get of a missing key is NotFound naming the family", "[store]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"users"});
  absl::StatusOr<std::string> value = store->Get(FamilyOrDie(*store, "users"), "ghost");
  REQUIRE(value.status().code() == absl::StatusCode::kNotFound);
  REQUIRE_THAT(std::string(value.status().message()), Catch::Contains("Get users"));
}

TEST_CASE("store: MultiGet returns values in key order and nullopt for missing keys", "[store]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {"users"});
  ColumnFamily users = FamilyOrDie(*store, "users");
  REQUIRE(store->Put(users, "a", "1", kNoSync).ok());
  REQUIRE(store->Put(users, "c", "3", kNoSync).ok());
  const std::vector<std::string_view> keys = {"c", "b", "a"};
  auto values = store->MultiGet(users, keys);
  REQUIRE(values.ok());
  REQUIRE(values->size() == 3);
  REQUIRE((*values)[0] == "3");
  REQUIRE_FALSE((*values)[1].has_value());
  REQUIRE((*values)[2] == "1");

  const std::vector<std::string_view> too_many(kMultiGetKeysMax + 1, "a");
  REQUIRE(absl::IsInvalidArgument(store->MultiGet(users, too_many).status()));
}

TEST_CASE("store: Opening a directory twice in one process gives the lock error", "[store]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  std::unique_ptr<Store> first = OpenOrDie(path, {"users"});
  absl::StatusOr<std::unique_ptr<Store>> second =
      Store::Open({.path = path, .column_families = {"users"}});
  REQUIRE(second.status().code() == absl::StatusCode::kUnavailable);
  const std::string message(second.status().message());
  REQUIRE_THAT(message, Catch::Contains(path));
  REQUIRE_THAT(message, Catch::Contains("another process holds the lock"));
}

TEST_CASE("store: Opening a directory locked by another process gives the lock error", "[store]") {
  TempDir dir;
  const std::string path = dir.Sub("db");
  OpenOrDie(path, {"users"}).reset();  // Create the database, then let go of it.

  LockHolderProcess holder(path + "/LOCK");
  REQUIRE(holder.locked());
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open({.path = path});
  holder.Release();

  REQUIRE(store.status().code() == absl::StatusCode::kUnavailable);
  REQUIRE_THAT(std::string(store.status().message()), Catch::Contains(path));
  REQUIRE_THAT(std::string(store.status().message()),
               Catch::Contains("another process holds the lock"));
}

TEST_CASE("store: Open without create_if_missing on an empty directory is NotFound", "[store]") {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<Store>> store =
      Store::Open({.path = dir.Sub("db"), .create_if_missing = false});
  REQUIRE(absl::IsNotFound(store.status()));
}

TEST_CASE("store: Open rejects invalid options", "[store]") {
  TempDir dir;
  REQUIRE(absl::IsInvalidArgument(Store::Open({.path = ""}).status()));
  REQUIRE(absl::IsInvalidArgument(
      Store::Open({.path = dir.Sub("db"), .column_families = {"a", "a"}}).status()));
  REQUIRE(absl::IsInvalidArgument(
      Store::Open({.path = dir.Sub("db"), .column_families = {""}}).status()));
}

TEST_CASE("store: Property reads RocksDB properties", "[store]") {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.Sub("db"), {});
  REQUIRE(store->Property("rocksdb.estimate-num-keys").ok());
  REQUIRE(absl::IsNotFound(store->Property("rocksdb.no-such-property").status()));
}

}  // namespace
}  // namespace bitcontent::store
