// KeyRefresher: keeps a service's KeyRing in step with the keys another service
// publishes: accounts' access-token keys (AccountsService.ListTokenSigningKeys) or
// metadata's grant keys (MetadataInternalService.ListGrantSigningKeys). A background
// thread fetches them at start — retrying every second until the first success, so a
// service starts even when the other is not up yet — then every refresh interval, and
// early (at most once per kEarlyRefreshInterval) when a token names a key the ring does
// not know, as happens right after the issuer rotates its key.
#pragma once

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/keys.pb.h"
#include "libs/auth/key_ring.h"

namespace bitcontent::kit {

// Where keys come from: what they are, for logs, and how to fetch them (within
// KeyRefresher::kCallTimeout). `fetch` is null when the issuer is not configured.
struct KeySource {
  std::string what;          // "access-token keys from accounts"
  std::string missing_flag;  // "--accounts_target", for the warning when `fetch` is null
  std::function<absl::StatusOr<std::vector<common::v1::PublicKey>>()> fetch;
};

// Accounts' access-token keys over `accounts` (null: not configured).
KeySource AccessTokenKeys(std::shared_ptr<grpc::Channel> accounts);

// Metadata's capability-grant keys over `metadata` (null: not configured).
KeySource GrantKeys(std::shared_ptr<grpc::Channel> metadata);

class KeyRefresher {
 public:
  static constexpr absl::Duration kRetryInterval = absl::Seconds(1);
  static constexpr absl::Duration kEarlyRefreshInterval = absl::Seconds(5);
  static constexpr absl::Duration kCallTimeout = absl::Seconds(2);

  // Fills `keys` (which must outlive this) from `source`; an unconfigured source leaves
  // the ring empty, so nothing verifies.
  KeyRefresher(auth::KeyRing* keys, KeySource source, absl::Duration interval);
  // Stops the thread.
  ~KeyRefresher();

  // Starts the background thread.
  void Start();

  // Asks for a refresh soon: a token named a key the ring lacks.
  void RequestRefresh();

  // True once a fetch has succeeded.
  bool loaded() const;

  // Waits at most `timeout` for the first successful fetch; true once loaded, false at
  // once when the source is not configured.
  bool AwaitLoaded(absl::Duration timeout) const;

 private:
  void Run();
  // One fetch; true on success.
  bool Fetch();

  auth::KeyRing* const keys_;
  const KeySource source_;
  const absl::Duration interval_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool refresh_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_fetch_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace bitcontent::kit
