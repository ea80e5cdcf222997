#include "libs/kit/key_refresher.h"

#include "absl/time/clock.h"
#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/log.h"

namespace bitcontent::kit {

KeyRefresher::KeyRefresher(auth::KeyRing* keys, std::shared_ptr<grpc::Channel> accounts,
                           absl::Duration interval)
    : keys_(keys), accounts_(std::move(accounts)), interval_(interval) {}

KeyRefresher::~KeyRefresher() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void KeyRefresher::Start() {
  if (accounts_ == nullptr) {
    Log(spdlog::level::warn, "no --accounts_target: no access token will verify");
    return;
  }
  thread_ = std::thread([this] { Run(); });
}

void KeyRefresher::RequestRefresh() {
  absl::MutexLock lock(&mu_);
  refresh_requested_ = true;
}

bool KeyRefresher::loaded() const {
  absl::MutexLock lock(&mu_);
  return loaded_;
}

bool KeyRefresher::Fetch() {
  auto stub = accounts::v1::AccountsService::NewStub(accounts_);
  auto context = NewCallContext(kCallTimeout);
  accounts::v1::ListTokenSigningKeysResponse response;
  const grpc::Status status = stub->ListTokenSigningKeys(
      context.get(), accounts::v1::ListTokenSigningKeysRequest(), &response);
  if (!status.ok()) {
    Log(spdlog::level::warn, "cannot fetch the token signing keys from accounts; retrying",
        {{"error", status.error_message()}});
    return false;
  }
  for (const common::v1::PublicKey& key : response.keys()) {
    if (absl::Status added = keys_->Add(key); !added.ok()) {
      Log(spdlog::level::err, "accounts published a signing key this service refuses",
          {{"key_id", key.key_id()}, {"error", added.message()}});
    }
  }
  return true;
}

void KeyRefresher::Run() {
  for (;;) {
    const bool fetched = Fetch();
    absl::MutexLock lock(&mu_);
    if (fetched && !loaded_) {
      Log(spdlog::level::info, "token signing keys loaded");
    }
    loaded_ = loaded_ || fetched;
    last_fetch_ = absl::Now();
    refresh_requested_ = false;
    // Next: the retry interval until the first success, then the refresh interval; an
    // early refresh no sooner than kEarlyRefreshInterval after the last fetch.
    const absl::Time next = last_fetch_ + (loaded_ ? interval_ : kRetryInterval);
    const absl::Time early = last_fetch_ + kEarlyRefreshInterval;
    while (!stopping_ && absl::Now() < next) {
      if (refresh_requested_ && absl::Now() >= early) break;
      const absl::Time wake = refresh_requested_ ? std::min(early, next) : next;
      const auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || refresh_requested_;
      };
      mu_.AwaitWithDeadline(absl::Condition(&woken), wake);
      if (refresh_requested_ && absl::Now() < early) {
        // Requested too soon after the last fetch: sleep until it may run.
        const auto stop = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
        mu_.AwaitWithDeadline(absl::Condition(&stop), early);
      }
    }
    if (stopping_) return;
  }
}

}  // namespace bitcontent::kit
