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

}  // namespace bitcontent::kit
