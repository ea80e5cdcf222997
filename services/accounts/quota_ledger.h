// Storage quota per member: a limit (the operator's default unless set for the member),
// committed usage, and reservations held by uploads in progress. An upload reserves its
// size before any byte is accepted (Reserve never lets used + reserved pass the limit),
// then commits what it stored or releases the rest; a reservation not committed by its
// expire time is given back on its own. Every call is idempotent: Reserve by reservation
// id, Commit and Release by state, Adjust by request id.
//
// The limit, usage and reservations of a member change under the member's lock, each
// change one synced WriteBatch. Expired reservations are swept lazily whenever the
// member's quota is read or changed, through an index ordered by expiry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/quota.pb.h"
#include "services/accounts/accounts_db.h"
#include "services/accounts/records.pb.h"
#include "services/accounts/user_locks.h"

namespace bitcontent::accounts {

// A reservation's life when the caller names no expire time.
inline constexpr absl::Duration kReservationLifetimeDefault = absl::Hours(24);

class QuotaLedger {
 public:
  // `default_limit_bytes` applies to every member without a limit of their own.
  QuotaLedger(const AccountsDb& db, UserLocks* locks, uint64_t default_limit_bytes)
      : db_(db), locks_(locks), default_limit_bytes_(default_limit_bytes) {}

  // The member's limit, usage, reservations and what is free.
  absl::StatusOr<v1::Quota> Get(absl::string_view user_id, absl::Time now);

  // Holds `size_bytes` for `reservation_id` until `expire_time` (default
  // kReservationLifetimeDefault, at most kReservationLifetimeMax ahead).
  // RESOURCE_EXHAUSTED (QUOTA_EXCEEDED) saying how much is free when it does not fit. A
  // repeated call with the same id and size returns the reservation as it is now.
  absl::StatusOr<v1::QuotaReservation> Reserve(absl::string_view user_id,
                                               absl::string_view reservation_id,
                                               uint64_t size_bytes,
                                               std::optional<absl::Time> expire_time,
                                               absl::Time now);

  // Turns a held reservation into `used_bytes` of usage (at most its size) and gives
  // the rest back. FAILED_PRECONDITION once released or expired.
  absl::StatusOr<v1::QuotaReservation> Commit(absl::string_view user_id,
                                              absl::string_view reservation_id, uint64_t used_bytes,
                                              absl::Time now);

  // Gives a held reservation back. FAILED_PRECONDITION once committed.
  absl::StatusOr<v1::QuotaReservation> Release(absl::string_view user_id,
                                               absl::string_view reservation_id, absl::Time now);

  // Adds `delta_bytes` to usage (floored at 0), once per `request_id`.
  absl::StatusOr<v1::Quota> Adjust(absl::string_view user_id, int64_t delta_bytes,
                                   absl::string_view request_id, absl::Time now);

  // Sets the member's own limit. Usage above it stays; new reservations stop fitting.
  absl::StatusOr<v1::Quota> SetLimit(absl::string_view user_id, uint64_t limit_bytes,
                                     absl::Time now);

 private:
  absl::StatusOr<storage::QuotaRecord> Load(absl::string_view user_id) const;
  absl::StatusOr<storage::ReservationRecord> LoadReservation(
      absl::string_view user_id, absl::string_view reservation_id) const;
  // Marks held reservations past their expire time EXPIRED, giving their bytes back.
  absl::Status StageSweep(store::WriteBatch* batch, absl::string_view user_id,
                          storage::QuotaRecord* quota, absl::Time now) const;
  // Stages the end of a held reservation (commit, release or expiry).
  void StageEndHold(store::WriteBatch* batch, absl::string_view user_id,
                    storage::ReservationRecord* reservation, storage::QuotaRecord* quota,
                    v1::QuotaReservationState state) const;
  v1::Quota View(absl::string_view user_id, const storage::QuotaRecord& quota) const;

  const AccountsDb& db_;
  UserLocks* const locks_;
  const uint64_t default_limit_bytes_;
};

}  // namespace bitcontent::accounts
