// The gRPC surface of the metadata service. Its RPCs are declared in
// proto/bitcontent/metadata/v1/ and are built in the issues that need them; until then
// each answers UNIMPLEMENTED with a message naming the method (see the kit's
// interceptor), never a silent success.
#pragma once

#include "bitcontent/metadata/v1/metadata_internal_service.grpc.pb.h"
#include "bitcontent/metadata/v1/metadata_service.grpc.pb.h"

namespace bitcontent::metadata {

class MetadataService final : public v1::MetadataService::Service {};
class MetadataInternalService final : public v1::MetadataInternalService::Service {};

}  // namespace bitcontent::metadata
