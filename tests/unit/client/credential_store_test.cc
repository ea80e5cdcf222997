#include "libs/client/credential_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

namespace bitcontent::client {
namespace {

namespace fs = std::filesystem;

fs::path TempConfigDir() {
  fs::path dir = fs::temp_directory_path() / ("bitcontent-cli-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  return dir / "bitcontent";
}

TEST_CASE("credentials are saved privately and read back") {
  const fs::path dir = TempConfigDir();
  CredentialStore store(dir.string());
  CHECK(store.Load().status().code() == absl::StatusCode::kNotFound);

  client::v1::Credentials credentials;
  credentials.set_email("a@example.com");
  credentials.set_master_key(std::string(32, '\x07'));
  REQUIRE(store.Save(credentials).ok());

  struct stat file {};
  REQUIRE(stat(store.path().c_str(), &file) == 0);
  CHECK((file.st_mode & 0777) == 0600);
  struct stat folder {};
  REQUIRE(stat(dir.c_str(), &folder) == 0);
  CHECK((folder.st_mode & 0777) == 0700);

  absl::StatusOr<client::v1::Credentials> loaded = store.Load();
  REQUIRE(loaded.ok());
  CHECK(loaded->email() == "a@example.com");
  CHECK(loaded->master_key() == credentials.master_key());

  REQUIRE(store.Clear().ok());
  CHECK(store.Load().status().code() == absl::StatusCode::kNotFound);
  CHECK(store.Clear().ok());
  fs::remove_all(dir.parent_path());
}

TEST_CASE("a device keeps its id") {
  const fs::path dir = TempConfigDir();
  CredentialStore store(dir.string());
  absl::StatusOr<std::string> first = store.DeviceId();
  REQUIRE(first.ok());
  CHECK(store.DeviceId().value_or("") == *first);
  CHECK(CredentialStore(TempConfigDir().string() + "-other").DeviceId().value_or("") != *first);
  fs::remove_all(dir.parent_path());
}

TEST_CASE("the config directory follows BITCONTENT_CONFIG_DIR, then XDG, then HOME") {
  setenv("BITCONTENT_CONFIG_DIR", "/tmp/own", 1);
  CHECK(DefaultConfigDirectory().value_or("") == "/tmp/own");
  unsetenv("BITCONTENT_CONFIG_DIR");
  setenv("XDG_CONFIG_HOME", "/tmp/xdg", 1);
  CHECK(DefaultConfigDirectory().value_or("") == "/tmp/xdg/bitcontent");
  unsetenv("XDG_CONFIG_HOME");
  const std::string home = std::getenv("HOME") != nullptr ? std::getenv("HOME") : "";
  setenv("HOME", "/tmp/home", 1);
  CHECK(DefaultConfigDirectory().value_or("") == "/tmp/home/.config/bitcontent");
  setenv("HOME", home.c_str(), 1);
}

}  // namespace
}  // namespace bitcontent::client
