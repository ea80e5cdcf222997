#include "libs/client/transfer_workers.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace bitcontent::client {
namespace {

bool Transient(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
}

bool GrantExpired(const absl::Status& status) {
  return absl::IsUnauthenticated(status) && absl::StrContains(status.message(), "grant expired");
}

}  // namespace

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat("cannot ", what, " ", path, ": ", strerror(errno)));
}

absl::Status ReadFully(int fd, std::string& buffer, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = pread(fd, buffer.data() + done, buffer.size() - done, offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read", path);
    if (n == 0)
      return absl::FailedPreconditionError(absl::StrCat(path, " shrank while it was read"));
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status WriteFully(int fd, absl::string_view bytes, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = pwrite(fd, bytes.data() + done, bytes.size() - done, offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("write", path);
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

TransferEndpoint MemberEndpoint(AccountClient& account) {
  // AccessToken() reads and parses the stored credentials, a cost per chunk that showed
  // in a download's profile; a token it returns stays valid for at least its refresh
  // margin (a minute), so reusing it for half that is safe.
  constexpr absl::Duration kReuse = absl::Seconds(30);
  struct Cached {
    absl::Mutex mutex;
    std::string token ABSL_GUARDED_BY(mutex);
    absl::Time fresh_until ABSL_GUARDED_BY(mutex) = absl::InfinitePast();
  };
  auto cached = std::make_shared<Cached>();
  return {.server = account.options().server,
          .timeout = account.options().timeout,
          .bearer = [&account, cached]() -> absl::StatusOr<std::string> {
            absl::MutexLock lock(&cached->mutex);
            const absl::Time now = absl::Now();
            if (now < cached->fresh_until) return cached->token;
            absl::StatusOr<std::string> token = account.AccessToken();
            if (!token.ok()) return token.status();
            cached->token = *token;
            cached->fresh_until = now + kReuse;
            return token;
          }};
}

absl::Status RunParallel(
    const TransferEndpoint& endpoint, int parallel, const std::vector<uint32_t>& indexes,
    SharedGrant& grant,
    const std::function<absl::Status(uint32_t, ApiClient&, const std::string& grant,
                                     const std::string& bearer)>& work,
    const std::function<void()>& on_failure) {
  absl::Mutex mutex;
  absl::Status failure;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  const auto fail = [&](absl::Status status) {
    {
      absl::MutexLock lock(&mutex);
      if (failure.ok()) failure = std::move(status);
      stop = true;
    }
    if (on_failure) on_failure();
  };
  const auto run = [&] {
    absl::StatusOr<std::unique_ptr<ApiClient>> api =
        ApiClient::Connect(endpoint.server, endpoint.timeout);
    if (!api.ok()) return fail(api.status());
    while (!stop) {
      const size_t at = next.fetch_add(1);
      if (at >= indexes.size()) return;
      absl::Status status;
      bool renewed = false;
      for (int attempt = 0; attempt < FileTransfer::kAttemptsMax; ++attempt) {
        if (attempt > 0) absl::SleepFor(absl::Milliseconds(100) * (1 << (2 * attempt)));
        absl::StatusOr<std::string> token = endpoint.bearer();
        if (!token.ok()) return fail(token.status());
        const std::string used = grant.Current();
        status = work(indexes[at], **api, used, *token);
        if (GrantExpired(status) && !renewed) {
          renewed = true;
          if (absl::Status fresh = grant.Renew(used); !fresh.ok()) return fail(fresh);
          --attempt;
          continue;
        }
        if (!Transient(status)) break;
      }
      if (!status.ok()) return fail(status);
    }
  };
  std::vector<std::thread> threads;
  const int count = std::max(1, std::min<int>(parallel, static_cast<int>(indexes.size())));
  for (int i = 0; i < count; ++i) threads.emplace_back(run);
  for (std::thread& thread : threads) thread.join();
  return failure;
}

http::Headers GrantHeaders(const std::string& grant) {
  http::Headers headers;
  headers.Set("Bitcontent-Grant", grant);
  return headers;
}

}  // namespace bitcontent::client
