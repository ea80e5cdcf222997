#include "libs/kit/key_refresher.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"
#include "bitcontent/metadata/v1/metadata_internal_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/log.h"
#include "libs/kit/status.h"

namespace bitcontent::kit {

KeySource AccessTokenKeys(std::shared_ptr<grpc::Channel> accounts) {
  KeySource source{.what = "access-token keys from accounts", .missing_flag = "--accounts_target"};
  if (accounts == nullptr) return source;
  source.fetch = [accounts]() -> absl::StatusOr<std::vector<common::v1::PublicKey>> {
    auto context = NewCallContext(KeyRefresher::kCallTimeout);
    accounts::v1::ListTokenSigningKeysResponse response;
    const grpc::Status status =
        accounts::v1::AccountsService::NewStub(accounts)->ListTokenSigningKeys(
            context.get(), accounts::v1::ListTokenSigningKeysRequest(), &response);
    if (!status.ok()) return FromGrpc(status);
    return std::vector<common::v1::PublicKey>(response.keys().begin(), response.keys().end());
  };
  return source;
}

KeySource GrantKeys(std::shared_ptr<grpc::Channel> metadata) {
  KeySource source{.what = "grant keys from metadata", .missing_flag = "--metadata_target"};
  if (metadata == nullptr) return source;
  source.fetch = [metadata]() -> absl::StatusOr<std::vector<common::v1::PublicKey>> {
    auto context = NewCallContext(KeyRefresher::kCallTimeout);
    metadata::v1::ListGrantSigningKeysResponse response;
    const grpc::Status status =
        metadata::v1::MetadataInternalService::NewStub(metadata)->ListGrantSigningKeys(
            context.get(), metadata::v1::ListGrantSigningKeysRequest(), &response);
    if (!status.ok()) return FromGrpc(status);
    return std::vector<common::v1::PublicKey>(response.keys().begin(), response.keys().end());
  };
  return source;
}

KeyRefresher::KeyRefresher(auth::KeyRing* keys, KeySource source, absl::Duration interval)
    : keys_(keys), source_(std::move(source)), interval_(interval) {}

KeyRefresher::~KeyRefresher() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void KeyRefresher::Start() {
  if (!source_.fetch) {
    Log(spdlog::level::warn, absl::StrCat("no ", source_.missing_flag, ": no ", source_.what,
                                          ", so nothing they sign will verify"));
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

bool KeyRefresher::AwaitLoaded(absl::Duration timeout) const {
  if (source_.fetch == nullptr) return false;  // Nothing will ever load.
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(&loaded_), timeout);
}

bool KeyRefresher::Fetch() {
  absl::StatusOr<std::vector<common::v1::PublicKey>> keys = source_.fetch();
  if (!keys.ok()) {
    Log(spdlog::level::warn, absl::StrCat("cannot fetch the ", source_.what, "; retrying"),
        {{"error", keys.status().message()}});
    return false;
  }
  for (const common::v1::PublicKey& key : *keys) {
    if (absl::Status added = keys_->Add(key); !added.ok()) {
      Log(spdlog::level::err,
          absl::StrCat("a published key this service refuses among the ", source_.what),
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
      Log(spdlog::level::info, absl::StrCat(source_.what, " loaded"));
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
