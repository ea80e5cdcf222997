// The gateway's own gRPC surface (proto/bitcontent/gateway/v1/gateway_service.proto).
// Its RPCs, and the public routing of the other services' member-facing RPCs, are
// built with accounts (issue 3); until then each answers UNIMPLEMENTED with a message
// naming the method.
#pragma once

#include "bitcontent/gateway/v1/gateway_service.grpc.pb.h"

namespace bitcontent::gateway {

class GatewayService final : public v1::GatewayService::Service {};

}  // namespace bitcontent::gateway
