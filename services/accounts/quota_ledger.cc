#include "services/accounts/quota_ledger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/accounts/limits.h"
#include "services/accounts/resource_names.h"
#include "services/accounts/validation.h"

namespace bitcontent::accounts {
namespace {

using storage::QuotaRecord;
using storage::ReservationRecord;

std::string HoldKey(absl::string_view user_id, const v1::QuotaReservation& reservation,
                    absl::string_view reservation_id) {
  return store::JoinKey(user_id, store::EncodeTime(auth::TimeFromProto(reservation.expire_time())),
                        reservation_id);
}

absl::Status CommitSynced(const AccountsDb& db, store::WriteBatch* batch) {
  return db.store().Write(batch, {.sync = true});
}

}  // namespace

absl::StatusOr<QuotaRecord> QuotaLedger::Load(absl::string_view user_id) const {
  absl::StatusOr<std::optional<QuotaRecord>> quota =
      store::FindRecord<QuotaRecord>(db_.store(), db_.quotas, user_id);
  if (!quota.ok()) return quota.status();
  // A member who never reserved anything has no record yet: nothing used, default limit.
  return quota->value_or(QuotaRecord());
}

absl::StatusOr<ReservationRecord> QuotaLedger::LoadReservation(
    absl::string_view user_id, absl::string_view reservation_id) const {
  absl::StatusOr<std::optional<ReservationRecord>> reservation =
      store::FindRecord<ReservationRecord>(db_.store(), db_.quota_reservations,
                                           store::JoinKey(user_id, reservation_id));
  if (!reservation.ok()) return reservation.status();
  if (!reservation->has_value()) {
    return absl::NotFoundError(
        absl::StrCat(ReservationName(user_id, reservation_id), " does not exist"));
  }
  return std::move(**reservation);
}

v1::Quota QuotaLedger::View(absl::string_view user_id, const QuotaRecord& quota) const {
  v1::Quota view;
  view.set_name(QuotaName(user_id));
  const uint64_t limit = quota.has_limit() ? quota.limit_bytes() : default_limit_bytes_;
  view.set_limit_bytes(limit);
  view.set_used_bytes(quota.used_bytes());
  view.set_reserved_bytes(quota.reserved_bytes());
  const uint64_t taken = quota.used_bytes() + quota.reserved_bytes();
  view.set_available_bytes(limit > taken ? limit - taken : 0);
  *view.mutable_update_time() = quota.update_time();
  return view;
}

void QuotaLedger::StageEndHold(store::WriteBatch* batch, absl::string_view user_id,
                               ReservationRecord* reservation, QuotaRecord* quota,
                               v1::QuotaReservationState state) const {
  const std::string reservation_id(kit::IdOfName(reservation->reservation().name()));
  // The ledger's invariant: reserved_bytes is the sum of the held reservations.
  const uint64_t size = reservation->reservation().size_bytes();
  quota->set_reserved_bytes(quota->reserved_bytes() - std::min(size, quota->reserved_bytes()));
  quota->set_held_count(quota->held_count() - std::min<uint64_t>(1, quota->held_count()));
  batch->Delete(db_.quota_holds, HoldKey(user_id, reservation->reservation(), reservation_id));
  reservation->mutable_reservation()->set_state(state);
  store::PutRecord(batch, db_.quota_reservations, store::JoinKey(user_id, reservation_id),
                   *reservation);
}

absl::Status QuotaLedger::StageSweep(store::WriteBatch* batch, absl::string_view user_id,
                                     QuotaRecord* quota, absl::Time now) const {
  store::PrefixIterator it = db_.store().Scan(
      db_.quota_holds, {.prefix = store::KeyView(user_id), .limit = kExpiredHoldsSweptPerCallMax});
  for (; it.Valid(); it.Next()) {
    const std::string_view key = it.key();
    const std::optional<uint64_t> expire_micros = store::DecodeUint64(key.substr(ids::kIdLength));
    if (!expire_micros.has_value() || absl::FromUnixMicros(*expire_micros) > now) break;
    const size_t offset = ids::kIdLength + store::kUint64Size;
    const absl::string_view reservation_id(key.data() + offset, key.size() - offset);
    absl::StatusOr<ReservationRecord> reservation = LoadReservation(user_id, reservation_id);
    if (!reservation.ok()) return reservation.status();
    StageEndHold(batch, user_id, &*reservation, quota, v1::QUOTA_RESERVATION_STATE_EXPIRED);
  }
  return it.status();
}

absl::StatusOr<v1::Quota> QuotaLedger::Get(absl::string_view user_id, absl::Time now) {
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<QuotaRecord> quota = Load(user_id);
  if (!quota.ok()) return quota.status();
  store::WriteBatch batch;
  if (absl::Status s = StageSweep(&batch, user_id, &*quota, now); !s.ok()) return s;
  if (batch.count() > 0) {
    *quota->mutable_update_time() = auth::ProtoFromTime(now);
    store::PutRecord(&batch, db_.quotas, user_id, *quota);
    if (absl::Status s = CommitSynced(db_, &batch); !s.ok()) return s;
  }
  return View(user_id, *quota);
}

absl::StatusOr<v1::QuotaReservation> QuotaLedger::Reserve(absl::string_view user_id,
                                                          absl::string_view reservation_id,
                                                          uint64_t size_bytes,
                                                          std::optional<absl::Time> expire_time,
                                                          absl::Time now) {
  if (!IsValidReservationId(reservation_id)) {
    return kit::FieldError("reservation_id", absl::StrCat("must be 1 to ", kReservationIdLengthMax,
                                                          " characters of [A-Za-z0-9._-]"));
  }
  const absl::Time expire = expire_time.value_or(now + kReservationLifetimeDefault);
  if (expire <= now || expire > now + kReservationLifetimeMax) {
    return kit::FieldError("expire_time", "must be in the future and at most 7 days ahead");
  }
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<ReservationRecord> existing = LoadReservation(user_id, reservation_id);
  if (existing.ok()) {
    if (existing->reservation().size_bytes() != size_bytes) {
      return kit::WithReason(
          kit::FieldError("reservation_id",
                          absl::StrCat("already reserves ", existing->reservation().size_bytes(),
                                       " bytes, not ", size_bytes)),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
    }
    return existing->reservation();
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();

  absl::StatusOr<QuotaRecord> quota = Load(user_id);
  if (!quota.ok()) return quota.status();
  store::WriteBatch batch;
  if (absl::Status s = StageSweep(&batch, user_id, &*quota, now); !s.ok()) return s;
  const v1::Quota view = View(user_id, *quota);
  if (size_bytes > view.available_bytes()) {
    return kit::WithReason(
        absl::ResourceExhaustedError(absl::StrCat(
            "storage quota exceeded: ", size_bytes, " bytes needed but only ",
            view.available_bytes(), " bytes are free (limit ", view.limit_bytes(), ", used ",
            view.used_bytes(), ", held by uploads in progress ", view.reserved_bytes(), ")")),
        common::v1::ERROR_REASON_QUOTA_EXCEEDED,
        {{"required_bytes", absl::StrCat(size_bytes)},
         {"available_bytes", absl::StrCat(view.available_bytes())}});
  }
  if (quota->held_count() >= kHeldReservationsPerUserMax) {
    return absl::ResourceExhaustedError(
        absl::StrCat("a member may hold ", kHeldReservationsPerUserMax,
                     " reservations at once; commit or release some first"));
  }
  ReservationRecord reservation;
  v1::QuotaReservation& view_out = *reservation.mutable_reservation();
  view_out.set_name(ReservationName(user_id, reservation_id));
  view_out.set_size_bytes(size_bytes);
  view_out.set_state(v1::QUOTA_RESERVATION_STATE_HELD);
  *view_out.mutable_create_time() = auth::ProtoFromTime(now);
  *view_out.mutable_expire_time() = auth::ProtoFromTime(expire);
  quota->set_reserved_bytes(quota->reserved_bytes() + size_bytes);
  quota->set_held_count(quota->held_count() + 1);
  *quota->mutable_update_time() = auth::ProtoFromTime(now);
  store::PutRecord(&batch, db_.quota_reservations, store::JoinKey(user_id, reservation_id),
                   reservation);
  batch.Put(db_.quota_holds, HoldKey(user_id, view_out, reservation_id), "");
  store::PutRecord(&batch, db_.quotas, user_id, *quota);
  if (absl::Status s = CommitSynced(db_, &batch); !s.ok()) return s;
  return view_out;
}

absl::StatusOr<v1::QuotaReservation> QuotaLedger::Commit(absl::string_view user_id,
                                                         absl::string_view reservation_id,
                                                         uint64_t used_bytes, absl::Time now) {
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<QuotaRecord> quota = Load(user_id);
  if (!quota.ok()) return quota.status();
  store::WriteBatch batch;
  if (absl::Status s = StageSweep(&batch, user_id, &*quota, now); !s.ok()) return s;
  if (batch.count() > 0) {
    store::PutRecord(&batch, db_.quotas, user_id, *quota);
    if (absl::Status s = CommitSynced(db_, &batch); !s.ok()) return s;
    batch.Clear();
  }
  absl::StatusOr<ReservationRecord> reservation = LoadReservation(user_id, reservation_id);
  if (!reservation.ok()) return reservation.status();
  const v1::QuotaReservation& held = reservation->reservation();
  switch (held.state()) {
    case v1::QUOTA_RESERVATION_STATE_HELD:
      break;
    case v1::QUOTA_RESERVATION_STATE_COMMITTED:
      if (reservation->committed_bytes() == used_bytes) return held;
      return absl::FailedPreconditionError(absl::StrCat(held.name(), " was already committed with ",
                                                        reservation->committed_bytes(), " bytes"));
    default:
      return absl::FailedPreconditionError(absl::StrCat(
          held.name(), " was released or expired; reserve again before storing the data"));
  }
  if (used_bytes > held.size_bytes()) {
    return kit::FieldError("used_bytes",
                           absl::StrCat("is more than the ", held.size_bytes(), " bytes reserved"));
  }
  reservation->set_committed_bytes(used_bytes);
  quota->set_used_bytes(quota->used_bytes() + used_bytes);
  StageEndHold(&batch, user_id, &*reservation, &*quota, v1::QUOTA_RESERVATION_STATE_COMMITTED);
  *quota->mutable_update_time() = auth::ProtoFromTime(now);
  store::PutRecord(&batch, db_.quotas, user_id, *quota);
  if (absl::Status s = CommitSynced(db_, &batch); !s.ok()) return s;
  return reservation->reservation();
}

absl::StatusOr<v1::QuotaReservation> QuotaLedger::Release(absl::string_view user_id,
                                                          absl::string_view reservation_id,
                                                          absl::Time now) {
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<ReservationRecord> reservation = LoadReservation(user_id, reservation_id);
  if (!reservation.ok()) return reservation.status();
  switch (reservation->reservation().state()) {
    case v1::QUOTA_RESERVATION_STATE_HELD:
      break;
    case v1::QUOTA_RESERVATION_STATE_COMMITTED:
      return absl::FailedPreconditionError(
          absl::StrCat(reservation->reservation().name(), " was committed; its bytes are in use"));
    default:
      return reservation->reservation();  // Released or expired: already given back.
  }
  absl::StatusOr<QuotaRecord> quota = Load(user_id);
  if (!quota.ok()) return quota.status();
  store::WriteBatch batch;
  StageEndHold(&batch, user_id, &*reservation, &*quota, v1::QUOTA_RESERVATION_STATE_RELEASED);
  *quota->mutable_update_time() = auth::ProtoFromTime(now);
  store::PutRecord(&batch, db_.quotas, user_id, *quota);
  if (absl::Status s = CommitSynced(db_, &batch); !s.ok()) return s;
  return reservation->reservation();
}

absl::StatusOr<v1::Quota> QuotaLedger::Adjust(absl::string_view user_id, int64_t delta_bytes,
                                              absl::string_view request_id, absl::Time now) {
  if (request_id.empty()) return kit::FieldError("request_id", "is required");
  if (absl::Status s = ValidateRequestId(request_id, "request_id"); !s.ok()) return s;
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<QuotaRecord> quota = Load(user_id);
  if (!quota.ok()) return quota.status();
  const std::string adjustment_key = store::JoinKey(user_id, request_id);
  absl::StatusOr<std::optional<storage::AdjustmentRecord>> earlier =
      store::FindRecord<storage::AdjustmentRecord>(db_.store(), db_.quota_adjustments,
                                                   adjustment_key);
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) {
    if ((*earlier)->delta_bytes() != delta_bytes) {
      return kit::WithReason(
          kit::FieldError("request_id", "was already used for a different delta"),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
    }
    return View(user_id, *quota);
  }
  const uint64_t used = quota->used_bytes();
  if (delta_bytes >= 0) {
    quota->set_used_bytes(used + static_cast<uint64_t>(delta_bytes));
  } else {
    const uint64_t give_back = static_cast<uint64_t>(-(delta_bytes + 1)) + 1;
    quota->set_used_bytes(used - std::min(used, give_back));
  }
  *quota->mutable_update_time() = auth::ProtoFromTime(now);
  storage::AdjustmentRecord adjustment;
  adjustment.set_delta_bytes(delta_bytes);
  *adjustment.mutable_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.quota_adjustments, adjustment_key, adjustment);
  store::PutRecord(&batch, db_.quotas, user_id, *quota);
  if (absl::Status s = CommitSynced(db_, &batch); !s.ok()) return s;
  return View(user_id, *quota);
}

absl::StatusOr<v1::Quota> QuotaLedger::SetLimit(absl::string_view user_id, uint64_t limit_bytes,
                                                absl::Time now) {
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<QuotaRecord> quota = Load(user_id);
  if (!quota.ok()) return quota.status();
  quota->set_has_limit(true);
  quota->set_limit_bytes(limit_bytes);
  *quota->mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.quotas, user_id, *quota);
  if (absl::Status s = CommitSynced(db_, &batch); !s.ok()) return s;
  return View(user_id, *quota);
}

}  // namespace bitcontent::accounts
