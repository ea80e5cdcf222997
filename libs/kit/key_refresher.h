// KeyRefresher: keeps a service's KeyRing of access-token signing keys in step with
// accounts (AccountsService.ListTokenSigningKeys). A background thread fetches the keys
// at start — retrying every second until the first success, so a service starts even
// when accounts is not up yet — then every refresh interval, and early (at most once per
// kEarlyRefreshInterval) when a token names a key the ring does not know, as happens
// right after accounts rotates its key.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/auth/key_ring.h"

namespace bitcontent::kit {

class KeyRefresher {
 public:
  static constexpr absl::Duration kRetryInterval = absl::Seconds(1);
  static constexpr absl::Duration kEarlyRefreshInterval = absl::Seconds(5);
  static constexpr absl::Duration kCallTimeout = absl::Seconds(2);

  // Fills `keys` (which must outlive this) from `accounts`; a null channel (no
  // --accounts_target) leaves the ring empty, so no token verifies.
  KeyRefresher(auth::KeyRing* keys, std::shared_ptr<grpc::Channel> accounts,
               absl::Duration interval);
  // Stops the thread.
  ~KeyRefresher();

  // Starts the background thread.
  void Start();

  // Asks for a refresh soon: a token named a key the ring lacks.
  void RequestRefresh();

  // True once a fetch has succeeded.
  bool loaded() const;

 private:
  void Run();
  // One fetch; true on success.
  bool Fetch();

  auth::KeyRing* const keys_;
  const std::shared_ptr<grpc::Channel> accounts_;
  const absl::Duration interval_;
  std::thread thread_;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool refresh_requested_ ABSL_GUARDED_BY(mu_) = false;
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_fetch_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace bitcontent::kit
