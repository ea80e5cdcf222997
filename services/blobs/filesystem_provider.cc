#include "services/blobs/filesystem_provider.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"
#include "libs/direct_io/direct_io.h"

namespace bitcontent::blobs {
namespace {

namespace fs = std::filesystem;

constexpr absl::string_view kTempMarker = ".tmp-";
constexpr size_t kKeyChars = 64;

absl::Status Failure(absl::string_view what, const fs::path& path, int error) {
  return absl::UnavailableError(absl::StrCat("filesystem provider: cannot ", what, " ",
                                             path.string(), ": ", std::strerror(error)));
}

// Writes all of `bytes` to the new, empty file `fd` and makes them durable; false with
// errno set when that failed. Through the page cache, not straight to the disk: a chunk
// just uploaded is then read from memory, which is when most downloads come (the
// gateway sends it from there, chunk_file.h), and the copy into the cache costs the
// upload less than a read from the disk costs the download (docs/benchmarks.md).
bool WriteDurably(int fd, absl::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(written));
  }
  return ::fsync(fd) == 0;
}

absl::Status SyncDirectory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return Failure("open directory", dir, errno);
  const bool synced = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  return synced ? absl::OkStatus() : Failure("sync directory", dir, error);
}

// The whole object, read straight from the disk into a buffer it is then sent from
// where the file system allows it, else in one allocation and (nearly always) one read
// through the page cache.
absl::StatusOr<ObjectBytes> ReadFile(const fs::path& path, absl::string_view key) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no object ", key));
    return Failure("read", path, errno);
  }
  struct stat info = {};
  if (fstat(fd, &info) != 0 || info.st_size < 0 ||
      static_cast<uint64_t>(info.st_size) > kObjectBytesMax) {
    const int error = errno;
    close(fd);
    return Failure("read", path, error == 0 ? EFBIG : error);
  }
  const size_t size = static_cast<size_t>(info.st_size);
  if (size != 0 && direct_io::Enable(fd)) {
    auto buffer = std::make_shared<direct_io::AlignedBuffer>(size);
    const int error = direct_io::Read(fd, size, *buffer);
    if (error == 0) {
      close(fd);
      const absl::string_view bytes(buffer->data(), size);
      return ObjectBytes(std::move(buffer), bytes);
    }
    const int flags = fcntl(fd, F_GETFL);
    if (error != EINVAL || flags < 0 || fcntl(fd, F_SETFL, flags & ~O_DIRECT) != 0) {
      close(fd);
      return Failure("read", path, error);
    }
  }
  std::string bytes(size, '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = pread(fd, bytes.data() + done, bytes.size() - done, done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      close(fd);
      return Failure("read", path, error);
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  return bytes;
}

// Sorted names of the entries of `dir` (empty when it does not exist).
std::vector<std::string> SortedNames(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

absl::Status ValidateObjectKey(absl::string_view key) {
  const bool valid = key.size() == kKeyChars && std::all_of(key.begin(), key.end(), [](char c) {
                       return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
                     });
  if (valid) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("an object key is 64 lowercase hex characters (a BLAKE2b-256), not \"",
                   key.substr(0, 80), "\""));
}

absl::StatusOr<std::unique_ptr<FilesystemProvider>> FilesystemProvider::Open(const fs::path& root) {
  std::error_code error;
  fs::create_directories(root, error);
  if (error) return Failure("create", root, error.value());
  // A crash may have left temporary files: they were never objects.
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file() && absl::StrContains(it->path().filename().string(), kTempMarker)) {
      fs::remove(it->path(), error);
    }
  }
  const fs::path probe =
      root / absl::StrCat("probe", kTempMarker, crypto::HexEncode(crypto::RandomBytes(8)));
  const int fd = ::open(probe.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);
  if (fd < 0) return Failure("write into", root, errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return std::unique_ptr<FilesystemProvider>(new FilesystemProvider(root));
}

std::string FilesystemProvider::name() const { return absl::StrCat("filesystem:", root_.string()); }

fs::path FilesystemProvider::PathOf(absl::string_view key) const {
  return root_ / std::string(key.substr(0, 2)) / std::string(key.substr(2, 2)) / std::string(key);
}

absl::Status FilesystemProvider::Put(absl::string_view key, absl::string_view bytes,
                                     bool* existed) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  if (bytes.size() > kObjectBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("an object is at most ", kObjectBytesMax, " bytes, not ", bytes.size()));
  }
  if (existed != nullptr) *existed = false;
  const fs::path path = PathOf(key);
  const fs::path dir = path.parent_path();
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return Failure("create", dir, error.value());

  const fs::path temp =
      dir / absl::StrCat(key, kTempMarker, crypto::HexEncode(crypto::RandomBytes(8)));
  const int fd = ::open(temp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return Failure("create", temp, errno);
  const bool written = WriteDurably(fd, bytes);
  const int write_error = errno;
  ::close(fd);
  if (!written) {
    ::unlink(temp.c_str());
    return Failure("write", temp, write_error);
  }
  // link() never replaces: a concurrent or earlier Put of this key keeps its object.
  const bool linked = ::link(temp.c_str(), path.c_str()) == 0;
  const int link_error = errno;
  ::unlink(temp.c_str());
  if (!linked && link_error != EEXIST) return Failure("link", path, link_error);
  if (!linked) {
    absl::StatusOr<ObjectBytes> stored = ReadFile(path, key);
    if (!stored.ok()) return stored.status();
    if (stored->view() != bytes) {
      return absl::AlreadyExistsError(
          absl::StrCat("object ", key, " already holds other bytes; it is left as it was"));
    }
    if (existed != nullptr) *existed = true;
    return absl::OkStatus();
  }
  return SyncDirectory(dir);
}

absl::StatusOr<ObjectBytes> FilesystemProvider::Get(absl::string_view key) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  return ReadFile(PathOf(key), key);
}

absl::StatusOr<uint64_t> FilesystemProvider::Size(absl::string_view key) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  std::error_code error;
  const uintmax_t size = fs::file_size(PathOf(key), error);
  if (error == std::errc::no_such_file_or_directory) {
    return absl::NotFoundError(absl::StrCat("no object ", key));
  }
  if (error) return Failure("stat", PathOf(key), error.value());
  return static_cast<uint64_t>(size);
}

absl::StatusOr<ObjectFile> FilesystemProvider::File(absl::string_view key) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  std::error_code error;
  const fs::path path = fs::absolute(PathOf(key), error);
  if (error) return Failure("find", PathOf(key), error.value());
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return absl::NotFoundError(absl::StrCat("no object ", key));
    return Failure("open", path, errno);
  }
  struct stat info = {};
  const bool stated = ::fstat(fd, &info) == 0;
  const int stat_error = errno;
  // The reader (the gateway's sendfile) would otherwise wait for the disk in its own
  // network thread; the data is on its way while this answer travels.
  if (stated) ::readahead(fd, 0, static_cast<size_t>(info.st_size));
  ::close(fd);
  if (!stated) return Failure("stat", path, stat_error);
  return ObjectFile{.path = path.string(), .size = static_cast<uint64_t>(info.st_size)};
}

absl::Status FilesystemProvider::Delete(absl::string_view key) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  const fs::path path = PathOf(key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Failure("delete", path, errno);
  return absl::OkStatus();
}

absl::StatusOr<ObjectPage> FilesystemProvider::List(absl::string_view after, size_t limit) {
  if (limit == 0 || limit > kListPageMax) {
    return absl::InvalidArgumentError(absl::StrCat("list 1 to ", kListPageMax, " keys at once"));
  }
  ObjectPage page;
  // Walk the fan-out directories in order, skipping those wholly before `after`.
  for (const std::string& first : SortedNames(root_)) {
    if (first.size() != 2 || absl::string_view(first) < after.substr(0, 2)) continue;
    for (const std::string& second : SortedNames(root_ / first)) {
      if (second.size() != 2 ||
          absl::string_view(absl::StrCat(first, second)) < after.substr(0, 4)) {
        continue;
      }
      for (const std::string& key : SortedNames(root_ / first / second)) {
        // Temporaries are not keys; keys up to `after` were listed before.
        if (!ValidateObjectKey(key).ok() || absl::string_view(key) <= after) continue;
        if (page.keys.size() == limit) {
          page.next_after = page.keys.back();
          return page;
        }
        page.keys.push_back(key);
      }
    }
  }
  return page;
}

}  // namespace bitcontent::blobs
