#include "services/accounts/reply.h"

#include <string>

#include "libs/kit/request_id.h"
#include "libs/kit/status.h"
#include "services/accounts/errors.h"

namespace bitcontent::accounts {

grpc::Status Reply(grpc::ServerContextBase* context, const absl::Status& status) {
  if (!status.ok()) {
    common::v1::ErrorDetails details = DetailsOf(status);
    details.set_request_id(kit::RequestIdOf(*context));
    context->AddTrailingMetadata(std::string(kErrorDetailsTrailer), details.SerializeAsString());
  }
  return kit::ToGrpc(status);
}

}  // namespace bitcontent::accounts
