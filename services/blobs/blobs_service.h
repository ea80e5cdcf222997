// The gRPC surface of the blobs service. Its RPCs are declared in
// proto/bitcontent/blobs/v1/ and are built in the issues that need them; until then
// each answers UNIMPLEMENTED with a message naming the method (see the kit's
// interceptor), never a silent success.
#pragma once

#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_internal_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_service.grpc.pb.h"

namespace bitcontent::blobs {

class BlobsService final : public v1::BlobsService::Service {};
class BlobsInternalService final : public v1::BlobsInternalService::Service {};
class BlobsAdminService final : public v1::BlobsAdminService::Service {};

}  // namespace bitcontent::blobs
