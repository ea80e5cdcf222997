#include "libs/kit/reply.h"

#include <string>

#include "libs/kit/error_details.h"
#include "libs/kit/request_id.h"
#include "libs/kit/status.h"

namespace bitcontent::kit {

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
  if (!details.has_value()) return result;
  // The request id is the caller's business: its own reply sets its own.
  details->clear_request_id();
  result.SetPayload(kErrorDetailsPayloadUrl, absl::Cord(details->SerializeAsString()));
  return result;
}

}  // namespace bitcontent::kit
