#include "services/metadata/quota_reserver.h"

#include "absl/strings/str_cat.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/channel.h"
#include "libs/kit/reply.h"

namespace bitcontent::metadata {
namespace {

absl::Status NoAccounts() {
  return absl::UnavailableError(
      "metadata has no --accounts_target, so it cannot reserve quota for uploads");
}

std::string ReservationName(absl::string_view user_id, absl::string_view reservation_id) {
  return absl::StrCat("users/", user_id, "/quotaReservations/", reservation_id);
}

}  // namespace

absl::StatusOr<accounts::v1::QuotaReservation> QuotaReserver::Reserve(
    absl::string_view user_id, absl::string_view reservation_id, uint64_t size_bytes,
    absl::Time expire) {
  if (accounts_ == nullptr) return NoAccounts();
  accounts::v1::ReserveQuotaRequest request;
  request.set_user(absl::StrCat("users/", user_id));
  request.set_reservation_id(std::string(reservation_id));
  request.set_size_bytes(size_bytes);
  *request.mutable_expire_time() = auth::ProtoFromTime(expire);
  accounts::v1::QuotaReservation reservation;
  auto context = kit::NewCallContext(kCallTimeout);
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts_)->ReserveQuota(
          context.get(), request, &reservation);
  if (!status.ok()) return kit::FromCall(status, *context);
  return reservation;
}

absl::Status QuotaReserver::Commit(absl::string_view user_id, absl::string_view reservation_id,
                                   uint64_t used_bytes) {
  if (accounts_ == nullptr) return NoAccounts();
  accounts::v1::CommitQuotaReservationRequest request;
  request.set_name(ReservationName(user_id, reservation_id));
  request.set_used_bytes(used_bytes);
  accounts::v1::QuotaReservation reservation;
  auto context = kit::NewCallContext(kCallTimeout);
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts_)->CommitQuotaReservation(
          context.get(), request, &reservation);
  return kit::FromCall(status, *context);
}

absl::Status QuotaReserver::Adjust(absl::string_view user_id, int64_t delta_bytes,
                                   absl::string_view request_id) {
  if (accounts_ == nullptr) return NoAccounts();
  accounts::v1::AdjustQuotaUsageRequest request;
  request.set_user(absl::StrCat("users/", user_id));
  request.set_delta_bytes(delta_bytes);
  request.set_request_id(std::string(request_id));
  accounts::v1::Quota quota;
  auto context = kit::NewCallContext(kCallTimeout);
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts_)->AdjustQuotaUsage(context.get(),
                                                                                  request, &quota);
  return kit::FromCall(status, *context);
}

absl::Status QuotaReserver::Release(absl::string_view user_id, absl::string_view reservation_id) {
  if (accounts_ == nullptr) return NoAccounts();
  accounts::v1::ReleaseQuotaReservationRequest request;
  request.set_name(ReservationName(user_id, reservation_id));
  accounts::v1::QuotaReservation reservation;
  auto context = kit::NewCallContext(kCallTimeout);
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts_)->ReleaseQuotaReservation(
          context.get(), request, &reservation);
  return kit::FromCall(status, *context);
}

}  // namespace bitcontent::metadata
