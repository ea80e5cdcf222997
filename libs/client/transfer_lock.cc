#include "libs/client/transfer_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "libs/client/transfer_workers.h"

namespace bitcontent::client {
namespace {

// Opens of a path that another run removes between our open and our lock; each such
// turn means a run finished, so a handful is plenty.
constexpr int kOpenAttemptsMax = 8;
// A Held() probe holds the lock for an instant; a run that meets one tries again this
// many times, 10 ms apart, before it says another run holds it.
constexpr int kLockAttemptsMax = 5;

// Takes the exclusive lock on `fd` without waiting for a holder, only for a probe.
bool LockSoon(int fd) {
  for (int attempt = 1;; ++attempt) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno != EWOULDBLOCK || attempt == kLockAttemptsMax) return false;
    usleep(10'000);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<TransferLock>> TransferLock::Acquire(const std::string& path,
                                                                    absl::string_view busy,
                                                                    mode_t mode) {
  for (int attempt = 0; attempt < kOpenAttemptsMax; ++attempt) {
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, mode);
    if (fd < 0) return Errno("open", path);
    if (!LockSoon(fd)) {
      const int error = errno;
      close(fd);
      if (error == EWOULDBLOCK) return absl::FailedPreconditionError(busy);
      errno = error;
      return Errno("lock", path);
    }
    // The holder we waited for may have removed (RemoveFile) or renamed the file after we
    // opened it: then our lock is on a file no longer at `path`, and worth nothing.
    struct stat held = {};
    struct stat named = {};
    if (fstat(fd, &held) == 0 && stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
        held.st_dev == named.st_dev) {
      return std::unique_ptr<TransferLock>(new TransferLock(path, fd));
    }
    close(fd);
  }
  return absl::UnavailableError(
      absl::StrCat("cannot lock ", path, ": other runs keep replacing it; try again"));
}

TransferLock::~TransferLock() { close(fd_); }

void TransferLock::RemoveFile() { unlink(path_.c_str()); }

bool TransferLock::Held(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd);
  return held;
}

}  // namespace bitcontent::client
