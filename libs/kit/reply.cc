#include "libs/kit/reply.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"
#include "libs/kit/log.h"
#include "libs/kit/request_id.h"
#include "libs/kit/status.h"

namespace bitcontent::kit {
namespace {

// How long a caller should wait before retrying a service that could not be reached.
constexpr uint32_t kUnreachableRetryAfterMs = 1000;

// A failed call that carries no ErrorDetails trailer (every service's own answer does,
// Reply) ended in transport: the service could not be reached, stopped, or did not
// answer in time. gRPC's words for that ("failed to connect to all addresses; ...
// ipv4:127.0.0.1:7740") name internal addresses and tell a person nothing; they go to
// the log, and the caller is told what to do.
absl::Status InTransport(const absl::Status& status) {
  const bool late = absl::IsDeadlineExceeded(status);
  if (!late && !absl::IsUnavailable(status) && !absl::IsCancelled(status) &&
      !absl::IsUnknown(status)) {
    return status;
  }
  Log(spdlog::level::warn, "a call to another service failed in transport",
      {{"code", absl::StatusCodeToString(status.code())}, {"error", status.message()}});
  absl::Status said(
      late ? absl::StatusCode::kDeadlineExceeded : absl::StatusCode::kUnavailable,
      absl::StrCat("a service this request needs ",
                   late ? "did not answer in time" : "could not be reached",
                   "; retry in a moment (with the same Idempotency-Key or request id, a retry "
                   "never does anything twice)"));
  common::v1::ErrorDetails details;
  details.set_retry_after_ms(kUnreachableRetryAfterMs);
  said.SetPayload(kErrorDetailsPayloadUrl, absl::Cord(details.SerializeAsString()));
  return said;
}

}  // namespace

grpc::Status Reply(grpc::ServerContextBase* context, const absl::Status& status) {
  if (!status.ok()) {
    common::v1::ErrorDetails details = DetailsOf(status);
    details.set_request_id(RequestIdOf(*context));
    context->AddTrailingMetadata(std::string(kErrorDetailsTrailer), details.SerializeAsString());
  }
  return ToGrpc(status);
}

std::optional<common::v1::ErrorDetails> ErrorDetailsOf(
    const std::multimap<grpc::string_ref, grpc::string_ref>& trailing_metadata) {
  const auto found = trailing_metadata.find(kErrorDetailsTrailer);
  if (found == trailing_metadata.end()) return std::nullopt;
  common::v1::ErrorDetails details;
  if (!details.ParseFromArray(found->second.data(), static_cast<int>(found->second.size()))) {
    return std::nullopt;
  }
  return details;
}

absl::Status FromCall(const grpc::Status& status, const grpc::ClientContext& context) {
  absl::Status result = FromGrpc(status);
  if (result.ok()) return result;
  std::optional<common::v1::ErrorDetails> details =
      ErrorDetailsOf(context.GetServerTrailingMetadata());
  if (!details.has_value()) return InTransport(result);
  // The request id is the caller's business: its own reply sets its own.
  details->clear_request_id();
  result.SetPayload(kErrorDetailsPayloadUrl, absl::Cord(details->SerializeAsString()));
  return result;
}

}  // namespace bitcontent::kit
