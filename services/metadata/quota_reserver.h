// QuotaReserver: metadata's side of the owner's storage quota, which accounts keeps. An
// upload reserves its size before any byte is accepted (so a member cannot fill more
// than their quota by uploading in parallel) and releases it on abort; a commit turns
// the reservation into used bytes. Reservations are named by the upload id, so a retry
// reserves once.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/quota.pb.h"

namespace bitcontent::metadata {

class QuotaReserver {
 public:
  static constexpr absl::Duration kCallTimeout = absl::Seconds(5);

  // Calls AccountsInternalService on `accounts`; null means no --accounts_target, and
  // every call answers UNAVAILABLE saying so.
  explicit QuotaReserver(std::shared_ptr<grpc::Channel> accounts)
      : accounts_(std::move(accounts)) {}

  // Reserves `size_bytes` of `user_id`'s quota until `expire`, as reservation
  // `reservation_id`. RESOURCE_EXHAUSTED (QUOTA_EXCEEDED, with the free bytes in the
  // details) when it does not fit.
  absl::StatusOr<accounts::v1::QuotaReservation> Reserve(absl::string_view user_id,
                                                         absl::string_view reservation_id,
                                                         uint64_t size_bytes, absl::Time expire);

  // Turns the reservation into `used_bytes` of usage (at most the reserved size).
  // Idempotent: committing again changes nothing.
  absl::Status Commit(absl::string_view user_id, absl::string_view reservation_id,
                      uint64_t used_bytes);

  // Changes the owner's used bytes by `delta_bytes` (negative: given back), once per
  // `request_id`.
  absl::Status Adjust(absl::string_view user_id, int64_t delta_bytes, absl::string_view request_id);

  // Gives the reservation back.
  absl::Status Release(absl::string_view user_id, absl::string_view reservation_id);

 private:
  const std::shared_ptr<grpc::Channel> accounts_;
};

}  // namespace bitcontent::metadata
