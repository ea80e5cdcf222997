// The blob service's operator API in the integration tests: the calls several tests
// make of BlobsAdminService, each failing the test (REQUIRE) when the call fails.
#pragma once

#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"

namespace bitcontent::testing {

// Every configured provider, as ListProviders answers.
blobs::v1::ListProvidersResponse ListProviders(blobs::v1::BlobsAdminService::Stub& admin);

// A scrub of every provider (repairing with `repair`), run to the end; it must succeed.
blobs::v1::ScrubRun Scrub(blobs::v1::BlobsAdminService::Stub& admin, bool repair);

}  // namespace bitcontent::testing
