#include "libs/client/credential_store.h"

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/ids/ids.h"

namespace bitcontent::client {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(path);
  std::stringstream contents;
  contents << file.rdbuf();
  return contents.str();
}

}  // namespace

absl::StatusOr<std::string> DefaultConfigDirectory() {
  if (const char* own = std::getenv("BITCONTENT_CONFIG_DIR"); own != nullptr && *own != '\0') {
    return std::string(own);
  }
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') {
    return absl::StrCat(xdg, "/bitcontent");
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    return absl::StrCat(home, "/.config/bitcontent");
  }
  return absl::FailedPreconditionError(
      "no config directory: set BITCONTENT_CONFIG_DIR, XDG_CONFIG_HOME or HOME");
}

absl::Status CredentialStore::WritePrivateFile(const std::string& name,
                                               const std::string& contents) const {
  // Parents (~/.config) may not exist on a fresh machine; only our own directory needs
  // to be private.
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error || chmod(directory_.c_str(), 0700) != 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        "cannot create ", directory_, ": ", error ? error.message() : std::strerror(errno)));
  }
  const std::string final_path = absl::StrCat(directory_, "/", name);
  const std::string temporary = absl::StrCat(final_path, ".tmp");
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot write ", temporary, ": ", std::strerror(errno)));
  }
  // The mode of an existing file is not changed by open(); make sure it is private.
  const bool written =
      fchmod(fd, 0600) == 0 &&
      write(fd, contents.data(), contents.size()) == static_cast<ssize_t>(contents.size()) &&
      fsync(fd) == 0;
  close(fd);
  if (!written || rename(temporary.c_str(), final_path.c_str()) != 0) {
    unlink(temporary.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot save ", final_path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CredentialStore::ReadPrivateFile(const std::string& name) const {
  return ReadFile(absl::StrCat(directory_, "/", name));
}

absl::Status CredentialStore::RemovePrivateFile(const std::string& name) const {
  const std::string file = absl::StrCat(directory_, "/", name);
  if (unlink(file.c_str()) != 0 && errno != ENOENT) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot remove ", file, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::StatusOr<client::v1::Credentials> CredentialStore::Load() const {
  absl::StatusOr<std::string> json = ReadFile(path());
  if (!json.ok()) {
    return absl::NotFoundError("not logged in: run `bitcontent login EMAIL` (or `signup`)");
  }
  client::v1::Credentials credentials;
  if (!google::protobuf::util::JsonStringToMessage(*json, &credentials).ok()) {
    return absl::DataLossError(absl::StrCat(path(), " is damaged; run `bitcontent login` again"));
  }
  return credentials;
}

absl::Status CredentialStore::Save(const client::v1::Credentials& credentials) const {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  if (!google::protobuf::util::MessageToJsonString(credentials, &json, options).ok()) {
    return absl::InternalError("cannot encode the credentials");
  }
  return WritePrivateFile("credentials.json", json);
}

absl::Status CredentialStore::Clear() const { return RemovePrivateFile("credentials.json"); }

absl::StatusOr<std::string> CredentialStore::DeviceId() const {
  const std::string device_path = absl::StrCat(directory_, "/device-id");
  if (absl::StatusOr<std::string> existing = ReadFile(device_path); existing.ok()) {
    std::string id = *existing;
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    if (ids::IsValidId(id)) return id;
  }
  const std::string id = ids::NewRandomId();
  if (absl::Status saved = WritePrivateFile("device-id", id + "\n"); !saved.ok()) return saved;
  return id;
}

}  // namespace bitcontent::client
