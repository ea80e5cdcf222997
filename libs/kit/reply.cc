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

absl::Status FromCall(const grpc::Status& status, const grpc::ClientContext& context) {
  absl::Status result = FromGrpc(status);
  if (result.ok()) return result;
  const auto& trailing = context.GetServerTrailingMetadata();
  const auto found = trailing.find(kErrorDetailsTrailer);
  if (found == trailing.end()) return result;
  common::v1::ErrorDetails details;
  if (!details.ParseFromArray(found->second.data(), static_cast<int>(found->second.size()))) {
    return result;
  }
  // The request id is the caller's business: its own reply sets its own.
  details.clear_request_id();
  result.SetPayload(kErrorDetailsPayloadUrl, absl::Cord(details.SerializeAsString()));
  return result;
}

}  // namespace bitcontent::kit
