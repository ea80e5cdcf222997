// The blob service in the integration tests: the calls several tests make of its
// operator API (BlobsAdminService), each failing the test (REQUIRE) when the call fails,
// and the chunk files its filesystem providers hold.
#pragma once

#include <filesystem>
#include <vector>

#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"
#include "tests/integration/harness.h"

namespace bitcontent::testing {

// Every configured provider, as ListProviders answers.
blobs::v1::ListProvidersResponse ListProviders(blobs::v1::BlobsAdminService::Stub& admin);

// A scrub of every provider (repairing with `repair`), run to the end; it must succeed.
blobs::v1::ScrubRun Scrub(blobs::v1::BlobsAdminService::Stub& admin, bool repair);

// The chunk files (named by their 64 hex digit hash) under a filesystem provider's
// directory `dir`; none when it does not exist.
std::vector<std::filesystem::path> ChunkFiles(const std::filesystem::path& dir);

// The chunk files of `suite`'s blob service with its default filesystem provider.
std::vector<std::filesystem::path> ChunkFiles(const TestSuite& suite);

}  // namespace bitcontent::testing
