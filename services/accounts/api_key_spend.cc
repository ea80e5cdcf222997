// ApiKeyStore's spend accounting: Charge and Refund against a wallet:pay key's limit.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/accounts/api_key_store.h"
#include "services/accounts/validation.h"

namespace bitcontent::accounts {
namespace {

using storage::ApiKeyRecord;
using storage::SpendChargeRecord;

// Moves the key's spend window to the period holding `now`, starting it empty when a
// new period began.
void RollPeriod(ApiKeyRecord* record, absl::Time now) {
  v1::SpendLimit& limit = *record->mutable_api_key()->mutable_spend_limit();
  const absl::Time start =
      SpendPeriodStart(limit.period(), auth::TimeFromProto(record->api_key().create_time()), now);
  if (auth::TimeFromProto(limit.period_start_time()) != start) {
    *limit.mutable_period_start_time() = auth::ProtoFromTime(start);
    limit.set_spent_msat(0);
  }
}

SpendState StateOf(const ApiKeyRecord& record) {
  const v1::SpendLimit& limit = record.api_key().spend_limit();
  return {.spent_msat = limit.spent_msat(),
          .remaining_msat = limit.limit_msat() > limit.spent_msat()
                                ? limit.limit_msat() - limit.spent_msat()
                                : 0};
}

absl::Status CheckPayingKey(const ApiKeyRecord& record, absl::Time now) {
  if (ApiKeyView(record, now).state() != v1::API_KEY_STATE_ACTIVE) {
    return absl::PermissionDeniedError(
        absl::StrCat(record.api_key().name(), " is revoked or expired and cannot pay"));
  }
  const auto& scopes = record.api_key().scopes();
  if (std::find(scopes.begin(), scopes.end(), common::v1::SCOPE_WALLET_PAY) == scopes.end()) {
    return kit::WithReason(absl::PermissionDeniedError(absl::StrCat(record.api_key().name(),
                                                                    " lacks the wallet:pay scope")),
                           common::v1::ERROR_REASON_SCOPE_MISSING);
  }
  return absl::OkStatus();
}

std::string ChargeKey(const ApiKeyRecord& record, absl::string_view request_id) {
  return store::JoinKey(record.user_id(), record.api_key_id(), request_id);
}

}  // namespace

absl::Time SpendPeriodStart(v1::SpendLimitPeriod period, absl::Time created, absl::Time now) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilSecond civil = absl::ToCivilSecond(now, utc);
  switch (period) {
    case v1::SPEND_LIMIT_PERIOD_DAY:
      return absl::FromCivil(absl::CivilDay(civil), utc);
    case v1::SPEND_LIMIT_PERIOD_MONTH:
      return absl::FromCivil(absl::CivilMonth(civil), utc);
    default:
      return created;
  }
}

absl::StatusOr<SpendState> ApiKeyStore::Charge(absl::string_view user_id,
                                               absl::string_view api_key_id, uint64_t amount_msat,
                                               absl::string_view request_id, absl::Time now) {
  if (request_id.empty()) return kit::FieldError("request_id", "is required");
  if (absl::Status s = ValidateRequestId(request_id, "request_id"); !s.ok()) return s;
  if (amount_msat == 0) return kit::FieldError("amount_msat", "must be above 0");
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<ApiKeyRecord> record = Get(user_id, api_key_id);
  if (!record.ok()) return record.status();
  if (absl::Status s = CheckPayingKey(*record, now); !s.ok()) return s;
  RollPeriod(&*record, now);

  const std::string charge_key = ChargeKey(*record, request_id);
  absl::StatusOr<std::optional<SpendChargeRecord>> earlier =
      store::FindRecord<SpendChargeRecord>(db_.store(), db_.api_key_charges, charge_key);
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) {
    if ((*earlier)->amount_msat() != amount_msat) {
      // FAILED_PRECONDITION, as the wallet and pricing say a reused key: the request is
      // well formed, only this key is spent.
      return kit::WithReason(
          absl::FailedPreconditionError(
              "this request_id (Idempotency-Key) was already used for a different amount; "
              "use a new one for a new request"),
          common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
    }
    return StateOf(*record);
  }
  const SpendState before = StateOf(*record);
  if (amount_msat > before.remaining_msat) {
    const v1::SpendLimit& limit = record->api_key().spend_limit();
    return kit::WithReason(
        absl::PermissionDeniedError(absl::StrCat(
            "the API key's spend limit would be exceeded: ", amount_msat, " msat asked, ",
            before.remaining_msat, " msat left of ", limit.limit_msat(), " msat ",
            limit.period() == v1::SPEND_LIMIT_PERIOD_DAY     ? "today (UTC)"
            : limit.period() == v1::SPEND_LIMIT_PERIOD_MONTH ? "this month (UTC)"
                                                             : "for the key's life")),
        common::v1::ERROR_REASON_SPEND_LIMIT_EXCEEDED,
        {{"limit_msat", absl::StrCat(limit.limit_msat())},
         {"remaining_msat", absl::StrCat(before.remaining_msat)}});
  }
  v1::SpendLimit& limit = *record->mutable_api_key()->mutable_spend_limit();
  limit.set_spent_msat(limit.spent_msat() + amount_msat);
  SpendChargeRecord charge;
  charge.set_amount_msat(amount_msat);
  *charge.mutable_period_start_time() = limit.period_start_time();
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.api_key_charges, charge_key, charge);
  store::PutRecord(&batch, db_.api_keys, store::JoinKey(user_id, api_key_id), *record);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return StateOf(*record);
}

absl::StatusOr<SpendState> ApiKeyStore::Refund(absl::string_view user_id,
                                               absl::string_view api_key_id, uint64_t amount_msat,
                                               absl::string_view charge_request_id,
                                               absl::Time now) {
  if (absl::Status s = ValidateRequestId(charge_request_id, "charge_request_id"); !s.ok()) {
    return s;
  }
  absl::MutexLock lock(&locks_->ForUser(user_id));
  absl::StatusOr<ApiKeyRecord> record = Get(user_id, api_key_id);
  if (!record.ok()) return record.status();
  RollPeriod(&*record, now);
  const std::string charge_key = ChargeKey(*record, charge_request_id);
  absl::StatusOr<std::optional<SpendChargeRecord>> charge =
      store::FindRecord<SpendChargeRecord>(db_.store(), db_.api_key_charges, charge_key);
  if (!charge.ok()) return charge.status();
  if (!charge->has_value()) {
    return absl::NotFoundError(absl::StrCat("no charge with request_id \"", charge_request_id,
                                            "\" on ", record->api_key().name()));
  }
  SpendChargeRecord& counted = **charge;
  if (amount_msat > counted.amount_msat()) {
    return kit::FieldError("amount_msat", absl::StrCat("is more than the charge counted (",
                                                       counted.amount_msat(), " msat)"));
  }
  if (amount_msat <= counted.refunded_msat()) return StateOf(*record);  // Already given back.
  const uint64_t give_back = amount_msat - counted.refunded_msat();
  counted.set_refunded_msat(amount_msat);
  v1::SpendLimit& limit = *record->mutable_api_key()->mutable_spend_limit();
  // A charge of an earlier period no longer counts against the current one.
  if (auth::TimeFromProto(counted.period_start_time()) ==
      auth::TimeFromProto(limit.period_start_time())) {
    limit.set_spent_msat(limit.spent_msat() - std::min(give_back, limit.spent_msat()));
  }
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.api_key_charges, charge_key, counted);
  store::PutRecord(&batch, db_.api_keys, store::JoinKey(user_id, api_key_id), *record);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return StateOf(*record);
}

}  // namespace bitcontent::accounts
