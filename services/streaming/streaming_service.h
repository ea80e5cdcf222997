// The gRPC surface of the streaming service. Its RPCs are declared in
// proto/bitcontent/streaming/v1/ and are built in the issues that need them; until then
// each answers UNIMPLEMENTED with a message naming the method (see the kit's
// interceptor), never a silent success.
#pragma once

#include "bitcontent/streaming/v1/streaming_service.grpc.pb.h"

namespace bitcontent::streaming {

class StreamingService final : public v1::StreamingService::Service {};

}  // namespace bitcontent::streaming
