// A file's bytes reach the blob service: metadata reserves the quota and grants an
// upload, then chunks go through the gateway's public gRPC to the real blob service,
// which checks the grant with metadata's key and each chunk's hash, stores them on its
// filesystem provider, says what is missing after an interruption, and makes the blob.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bitcontent/blobs/v1/blobs_admin_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_service.grpc.pb.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "libs/kit/channel.h"
#include "tests/integration/harness.h"
#include "tests/integration/member.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::Json;
using testing::Rest;

std::string Field(const google::protobuf::Struct& message, const std::string& name) {
  const auto found = message.fields().find(name);
  return found == message.fields().end() ? "" : found->second.string_value();
}

// The member's root folder, made over REST with stand-in sealed bytes; its name.
std::string CreateRoot(Rest& rest, const std::string& token) {
  const http::ClientResponse root =
      rest.Post("/v1/nodes:createRoot",
                absl::StrCat(R"({"wrappedKey":")", absl::Base64Escape(std::string(72, 'k')),
                             R"(","encryptedAttributes":")", absl::Base64Escape("sealed"), R"("})"),
                token);
  REQUIRE(root.status == 200);
  return Field(Json(root.body), "name");
}

// A call context for the public gRPC API with the member's token.
std::unique_ptr<grpc::ClientContext> AsMember(const std::string& token) {
  auto context = kit::NewCallContext(absl::Seconds(10));
  context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

TEST_CASE(
    "chunks of an upload go through the gateway to the blob service, checked by grant and "
    "hash, resumable, and become a blob",
    "[integration][blobs][uploads]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, testing::CheapAccounts());
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const std::string root = CreateRoot(rest, ada.token);
  // Three sealed chunks: two of 1,000 bytes and a last one of 10.
  const std::vector<std::string> chunks = {crypto::RandomBytes(1000), crypto::RandomBytes(1000),
                                           crypto::RandomBytes(10)};
  const http::ClientResponse begun = rest.Post(
      "/v1/uploads", absl::StrCat(R"({"parent":")", root, R"(","sizeBytes":"2010"})"), ada.token);
  INFO(begun.body);
  REQUIRE(begun.status == 200);
  const std::string grant = Field(Json(begun.body), "grant");
  const std::string session = Field(Json(begun.body), "uploadSession");

  auto blobs = blobs::v1::BlobsService::NewStub(
      kit::NewChannel(suite->addresses("gateway").at("public_grpc")));
  blobs::v1::BeginUploadSessionRequest layout;
  layout.set_grant(grant);
  layout.set_chunk_count(3);
  layout.set_chunk_size_bytes(1000);
  layout.set_last_chunk_size_bytes(10);
  blobs::v1::UploadSession opened;
  grpc::Status status = blobs->BeginUploadSession(AsMember(ada.token).get(), layout, &opened);
  INFO(status.error_message());
  REQUIRE(status.ok());
  CHECK(opened.name() == session);

  const auto put = [&](uint32_t index, const std::string& data, const std::string& hash) {
    blobs::v1::PutChunkRequest request;
    request.set_grant(grant);
    request.set_upload_session(session);
    request.set_index(index);
    request.set_hash(hash);
    request.set_data(data);
    blobs::v1::PutChunkResponse response;
    return blobs->PutChunk(AsMember(ada.token).get(), request, &response);
  };
  // A chunk damaged on the way is refused; the right one is taken.
  CHECK(put(0, chunks[0], crypto::Blake2b256(chunks[1])).error_code() ==
        grpc::StatusCode::INVALID_ARGUMENT);
  REQUIRE(put(0, chunks[0], crypto::Blake2b256(chunks[0])).ok());
  REQUIRE(put(2, chunks[2], crypto::Blake2b256(chunks[2])).ok());

  // "After a crash": what is missing.
  blobs::v1::GetUploadSessionRequest ask;
  ask.set_grant(grant);
  ask.set_name(session);
  blobs::v1::UploadSession progress;
  REQUIRE(blobs->GetUploadSession(AsMember(ada.token).get(), ask, &progress).ok());
  REQUIRE(progress.missing_chunks_size() == 1);
  CHECK(progress.missing_chunks(0).first_index() == 1);
  CHECK(progress.received_bytes() == 1010);

  blobs::v1::CommitUploadSessionRequest commit;
  commit.set_grant(grant);
  commit.set_name(session);
  blobs::v1::Blob blob;
  CHECK(blobs->CommitUploadSession(AsMember(ada.token).get(), commit, &blob).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  REQUIRE(put(1, chunks[1], crypto::Blake2b256(chunks[1])).ok());
  status = blobs->CommitUploadSession(AsMember(ada.token).get(), commit, &blob);
  INFO(status.error_message());
  REQUIRE(status.ok());
  CHECK(blob.size_bytes() == 2010);
  CHECK(blob.chunk_count() == 3);

  // Each chunk is a file named by its hash on the provider.
  const fs::path chunk_dir = suite.var_dir() / "data" / "blobs" / "chunks";
  for (const std::string& chunk : chunks) {
    const std::string key = crypto::HexEncode(crypto::Blake2b256(chunk));
    CHECK(fs::exists(chunk_dir / key.substr(0, 2) / key.substr(2, 2) / key));
  }

  // A grant for this session does not open another, nor does a forged one anything.
  blobs::v1::GetUploadSessionRequest elsewhere = ask;
  elsewhere.set_name("uploadSessions/01HXOTHER00000000000000000");
  CHECK(blobs->GetUploadSession(AsMember(ada.token).get(), elsewhere, &progress).error_code() ==
        grpc::StatusCode::PERMISSION_DENIED);
  blobs::v1::BeginUploadSessionRequest forged = layout;
  forged.set_grant(grant.substr(0, grant.size() - 4) + "AAAA");
  CHECK(blobs->BeginUploadSession(AsMember(ada.token).get(), forged, &opened).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);

  // The blob becomes a file; a READ grant streams any byte range of it, chunk edges and
  // all, and refuses one past the end.
  const http::ClientResponse made = rest.Post(
      absl::StrCat("/v1/", Field(Json(begun.body), "name"), ":commit"),
      absl::StrCat(R"({"blob":")", blob.name(), R"(","noncePrefix":")",
                   absl::Base64Escape(std::string(16, 'n')), R"(","versionEncryptedAttributes":")",
                   absl::Base64Escape("sealed"), R"(","newFile":{"wrappedKey":")",
                   absl::Base64Escape(std::string(72, 'w')), R"(","nameHmac":")",
                   absl::Base64Escape(std::string(32, 'h')), R"(","encryptedAttributes":")",
                   absl::Base64Escape("sealed name"), R"("}})"),
      ada.token);
  INFO(made.body);
  REQUIRE(made.status == 200);
  const google::protobuf::Struct node = Json(made.body).fields().at("node").struct_value();
  const http::ClientResponse granted =
      rest.Post(absl::StrCat("/v1/", Field(node, "name"), ":issueDownloadGrant"), "{}", ada.token);
  REQUIRE(granted.status == 200);
  const std::string read_grant = Field(Json(granted.body), "grant");
  const std::string whole = chunks[0] + chunks[1] + chunks[2];
  const auto read_range = [&](uint64_t offset, uint64_t length, std::string* bytes) {
    blobs::v1::ReadRangeRequest request;
    request.set_grant(read_grant);
    request.set_blob(blob.name());
    request.mutable_range()->set_offset(offset);
    request.mutable_range()->set_length(length);
    auto context = AsMember(ada.token);
    auto reader = blobs->ReadRange(context.get(), request);
    blobs::v1::ReadRangeResponse piece;
    bytes->clear();
    while (reader->Read(&piece)) {
      CHECK(piece.offset() == offset + bytes->size());
      *bytes += piece.data();
    }
    return reader->Finish();
  };
  std::string bytes;
  REQUIRE(read_range(990, 20, &bytes).ok());  // Across the edge of chunks 0 and 1.
  CHECK(bytes == whole.substr(990, 20));
  REQUIRE(read_range(1500, 0, &bytes).ok());  // To the end.
  CHECK(bytes == whole.substr(1500));
  REQUIRE(read_range(0, 1 << 20, &bytes).ok());  // Clipped to the blob.
  CHECK(bytes == whole);
  CHECK(read_range(2010, 1, &bytes).error_code() == grpc::StatusCode::OUT_OF_RANGE);

  // The same over REST, streamed: the whole body, one range (206), past the end (416).
  const std::string rest_address = suite->addresses("gateway").at("public_rest");
  const auto download = [&](const std::string& range, const std::string& with_grant) {
    http::ClientRequest request;
    request.target = absl::StrCat("/v1/", blob.name(), ":download");
    if (!with_grant.empty()) request.headers.Set("Bitcontent-Grant", with_grant);
    if (!range.empty()) request.headers.Set("Range", range);
    const size_t colon = rest_address.rfind(':');
    absl::StatusOr<http::ClientResponse> response =
        http::Fetch({.host = rest_address.substr(0, colon),
                     .port = static_cast<uint16_t>(std::stoi(rest_address.substr(colon + 1)))},
                    request);
    REQUIRE(response.ok());
    return *std::move(response);
  };
  http::ClientResponse got = download("", read_grant);
  CHECK(got.status == 200);
  CHECK(got.body == whole);
  got = download("bytes=990-1009", read_grant);
  CHECK(got.status == 206);
  CHECK(got.body == whole.substr(990, 20));
  CHECK(got.Header("Content-Range").value_or("") == "bytes 990-1009/2010");
  got = download("bytes=-10", read_grant);
  CHECK(got.status == 206);
  CHECK(got.body == whole.substr(2000));
  got = download("bytes=2010-", read_grant);
  CHECK(got.status == 416);
  CHECK(got.Header("Content-Range").value_or("") == "bytes */2010");
  CHECK(download("", "").status == 401);
}

TEST_CASE("an aborted upload's chunks are collected, and no committed blob's",
          "[integration][blobs][uploads]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, testing::CheapAccounts());
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const std::string root = CreateRoot(rest, ada.token);
  auto blobs = blobs::v1::BlobsService::NewStub(
      kit::NewChannel(suite->addresses("gateway").at("public_grpc")));
  const fs::path chunk_dir = suite.var_dir() / "data" / "blobs" / "chunks";
  const auto stored = [&](const std::string& chunk) {
    const std::string key = crypto::HexEncode(crypto::Blake2b256(chunk));
    return fs::exists(chunk_dir / key.substr(0, 2) / key.substr(2, 2) / key);
  };
  // Two uploads of two chunks each: one committed into a blob, one abandoned.
  const auto upload = [&](const std::vector<std::string>& chunks, bool commit) {
    const http::ClientResponse begun = rest.Post(
        "/v1/uploads", absl::StrCat(R"({"parent":")", root, R"(","sizeBytes":"200"})"), ada.token);
    REQUIRE(begun.status == 200);
    const std::string grant = Field(Json(begun.body), "grant");
    const std::string session = Field(Json(begun.body), "uploadSession");
    blobs::v1::BeginUploadSessionRequest layout;
    layout.set_grant(grant);
    layout.set_chunk_count(2);
    layout.set_chunk_size_bytes(100);
    layout.set_last_chunk_size_bytes(100);
    blobs::v1::UploadSession opened;
    REQUIRE(blobs->BeginUploadSession(AsMember(ada.token).get(), layout, &opened).ok());
    for (uint32_t i = 0; i < chunks.size(); ++i) {
      blobs::v1::PutChunkRequest put;
      put.set_grant(grant);
      put.set_upload_session(session);
      put.set_index(i);
      put.set_hash(crypto::Blake2b256(chunks[i]));
      put.set_data(chunks[i]);
      blobs::v1::PutChunkResponse response;
      REQUIRE(blobs->PutChunk(AsMember(ada.token).get(), put, &response).ok());
    }
    if (commit) {
      blobs::v1::CommitUploadSessionRequest request;
      request.set_grant(grant);
      request.set_name(session);
      blobs::v1::Blob blob;
      REQUIRE(blobs->CommitUploadSession(AsMember(ada.token).get(), request, &blob).ok());
    } else {
      REQUIRE(rest.Post(absl::StrCat("/v1/", Field(Json(begun.body), "name"), ":abort"), "{}",
                        ada.token)
                  .status == 200);
    }
  };
  const std::string shared = crypto::RandomBytes(100);  // In both uploads.
  const std::vector<std::string> kept = {crypto::RandomBytes(100), shared};
  const std::vector<std::string> dropped = {crypto::RandomBytes(100), shared};
  upload(kept, true);
  upload(dropped, false);

  auto admin = blobs::v1::BlobsAdminService::NewStub(kit::NewChannel(suite->grpc_address("blobs")));
  const auto collect = [&](bool dry_run) {
    blobs::v1::StartGarbageCollectionRequest request;
    request.set_dry_run(dry_run);
    blobs::v1::GarbageCollectionRun run;
    auto context = kit::NewCallContext(absl::Seconds(30));
    REQUIRE(admin->StartGarbageCollection(context.get(), request, &run).ok());
    CHECK(run.state() == blobs::v1::RUN_STATE_SUCCEEDED);
    return run;
  };
  const blobs::v1::GarbageCollectionRun dry = collect(true);
  CHECK(dry.deleted_chunk_count() == 1);
  CHECK(stored(dropped[0]));
  const blobs::v1::GarbageCollectionRun real = collect(false);
  CHECK(real.collected_session_count() == 1);
  CHECK(real.deleted_chunk_count() == 1);
  CHECK(real.freed_bytes() == 100);
  CHECK_FALSE(stored(dropped[0]));
  CHECK(stored(kept[0]));
  CHECK(stored(shared));  // The committed blob still needs it.
  CHECK(collect(false).deleted_chunk_count() == 0);
}

TEST_CASE("a member lists their open uploads, oldest first in pages, and aborting one frees it",
          "[integration][uploads]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, testing::CheapAccounts());
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  const testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const std::string root = CreateRoot(rest, ada.token);
  const auto begin = [&](const std::string& size) {
    const http::ClientResponse begun = rest.Post(
        "/v1/uploads", absl::StrCat(R"({"parent":")", root, R"(","sizeBytes":")", size, R"("})"),
        ada.token);
    REQUIRE(begun.status == 200);
    return Field(Json(begun.body), "name");
  };
  const auto list = [&](const std::string& query, const std::string& token) {
    const http::ClientResponse listed = rest.Get("/v1/users/me/uploads" + query, token);
    INFO(listed.body);
    REQUIRE(listed.status == 200);
    return Json(listed.body);
  };
  const auto names = [](const google::protobuf::Struct& page) {
    std::vector<std::string> found;
    const auto uploads = page.fields().find("uploads");
    if (uploads == page.fields().end()) return found;
    for (const auto& upload : uploads->second.list_value().values()) {
      CHECK(Field(upload.struct_value(), "grant").empty());  // Listings hand out no grants.
      CHECK(Field(upload.struct_value(), "state") == "UPLOAD_STATE_OPEN");
      found.push_back(Field(upload.struct_value(), "name"));
    }
    return found;
  };
  CHECK(names(list("", ada.token)).empty());
  const std::string first = begin("1000");
  const std::string second = begin("2000");
  const std::string third = begin("3000");
  CHECK(names(list("", ada.token)) == std::vector<std::string>{first, second, third});

  const google::protobuf::Struct page = list("?pageSize=2", ada.token);
  CHECK(names(page) == std::vector<std::string>{first, second});
  const std::string token = Field(page, "nextPageToken");
  REQUIRE_FALSE(token.empty());
  const google::protobuf::Struct rest_of_it = list("?pageSize=2&pageToken=" + token, ada.token);
  CHECK(names(rest_of_it) == std::vector<std::string>{third});
  CHECK(Field(rest_of_it, "nextPageToken").empty());

  // Others see only their own, and may not ask for someone else's.
  CHECK(names(list("", bob.token)).empty());
  CHECK(rest.Get(absl::StrCat("/v1/", ada.credentials.user(), "/uploads"), bob.token).status ==
        403);

  // Aborting one gives its reservation back and takes it off the list.
  const auto reserved = [&] {
    return testing::Unsigned(Json(rest.Get("/v1/users/me/quota", ada.token).body), "reservedBytes");
  };
  CHECK(reserved() == 6000);
  REQUIRE(rest.Post(absl::StrCat("/v1/", second, ":abort"), "{}", ada.token).status == 200);
  CHECK(names(list("", ada.token)) == std::vector<std::string>{first, third});
  CHECK(reserved() == 4000);
}

}  // namespace
}  // namespace bitcontent
