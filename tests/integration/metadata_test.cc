// The file tree through the gateway's REST API, as any HTTP client sees it: the real
// bitcontent-gateway, accounts and metadata binaries and Redis. Members sign up with the
// client engine; the tree's keys, names and attributes are opaque bytes to the server,
// so the test sends bytes of the right sizes.
#include <array>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bitcontent/blobs/v1/blobs_service.grpc.pb.h"
#include "bitcontent/metadata/v1/metadata_internal_service.grpc.pb.h"
#include "bitcontent/metadata/v1/metadata_service.grpc.pb.h"
#include "libs/auth/grant.h"
#include "libs/client/account_client.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/password_kdf.h"
#include "libs/kit/channel.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/metadata/metadata_db.h"
#include "tests/integration/harness.h"
#include "tests/integration/member.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

using google::protobuf::Struct;
using testing::CheckError;
using testing::Json;
using testing::ReasonOf;
using testing::Rest;

std::string B64(absl::string_view bytes) { return absl::Base64Escape(bytes); }
std::string WrappedKey() { return B64(std::string(72, 'k')); }
std::string NameHmac(absl::string_view name) {
  std::string hmac(name);
  hmac.resize(32, '.');
  return B64(hmac);
}

std::string Field(const Struct& message, const std::string& name) {
  const auto found = message.fields().find(name);
  return found == message.fields().end() ? "" : found->second.string_value();
}

// The id in "nodes/{id}", for building paths.
std::string IdOf(const Struct& node) { return Field(node, "name").substr(6); }

class TreeApi {
 public:
  TreeApi(Rest& rest, std::string token) : rest_(rest), token_(std::move(token)) {}

  http::ClientResponse CreateFolder(const Struct& parent, absl::string_view name) {
    return rest_.Post(
        "/v1/nodes:createFolder",
        absl::StrCat(R"({"parent":")", Field(parent, "name"), R"(","wrappedKey":")", WrappedKey(),
                     R"(","nameHmac":")", NameHmac(name), R"(","encryptedAttributes":")",
                     B64(absl::StrCat("sealed ", name)), R"("})"),
        token_);
  }

  Struct MustCreateFolder(const Struct& parent, absl::string_view name) {
    const http::ClientResponse created = CreateFolder(parent, name);
    INFO(created.body);
    REQUIRE(created.status == 200);
    return Json(created.body);
  }

  // The names ("nodes/...") of a folder's children.
  std::vector<std::string> Children(const Struct& folder, bool show_trashed = false) {
    const http::ClientResponse listed =
        rest_.Get(absl::StrCat("/v1/nodes/", IdOf(folder), "/children",
                               show_trashed ? "?showTrashed=true" : ""),
                  token_);
    INFO(listed.body);
    REQUIRE(listed.status == 200);
    std::vector<std::string> names;
    const Struct page = Json(listed.body);
    const auto nodes = page.fields().find("nodes");
    if (nodes == page.fields().end()) return names;
    for (const auto& node : nodes->second.list_value().values()) {
      names.push_back(Field(node.struct_value(), "name"));
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  const std::string& token() const { return token_; }

 private:
  Rest& rest_;
  std::string token_;
};

Struct CreateRoot(Rest& rest, const std::string& token) {
  const http::ClientResponse made =
      rest.Post("/v1/nodes:createRoot",
                absl::StrCat(R"({"wrappedKey":")", WrappedKey(), R"(","encryptedAttributes":")",
                             B64("sealed root"), R"("})"),
                token);
  INFO(made.body);
  REQUIRE(made.status == 200);
  return Json(made.body);
}

TEST_CASE(
    "a member builds a tree through the gateway: root, folders, name conflict, move, trash, "
    "change log, privacy, scoped API key",
    "[integration][metadata]") {
  testing::TestSuite suite({"accounts", "metadata", "gateway"}, testing::CheapAccounts());
  const std::string address = suite->addresses("gateway").at("public_rest");
  Rest rest(address);
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  const std::string& ada_token = ada.token;
  TreeApi tree(rest, ada_token);

  const Struct root = CreateRoot(rest, ada_token);
  CHECK(Field(root, "type") == "NODE_TYPE_FOLDER");
  const http::ClientResponse fetched_root = rest.Get("/v1/users/me/rootNode", ada_token);
  REQUIRE(fetched_root.status == 200);
  CHECK(Field(Json(fetched_root.body), "name") == Field(root, "name"));

  const Struct photos = tree.MustCreateFolder(root, "photos");
  const Struct docs = tree.MustCreateFolder(root, "docs");
  const Struct clash = CheckError(tree.CreateFolder(root, "photos"), 409, 6);
  CHECK(ReasonOf(clash) == "ERROR_REASON_NAME_CONFLICT");
  CHECK(tree.Children(root).size() == 2);

  const http::ClientResponse moved =
      rest.Post(absl::StrCat("/v1/nodes/", IdOf(docs), ":move"),
                absl::StrCat(R"({"newParent":")", Field(photos, "name"), R"(","wrappedKey":")",
                             WrappedKey(), R"(","nameHmac":")", NameHmac("docs"), R"("})"),
                ada_token);
  INFO(moved.body);
  REQUIRE(moved.status == 200);
  CHECK(Field(Json(moved.body), "parent") == Field(photos, "name"));
  CHECK(tree.Children(photos) == std::vector<std::string>{Field(docs, "name")});
  // Into itself: refused.
  CheckError(rest.Post(absl::StrCat("/v1/nodes/", IdOf(photos), ":move"),
                       absl::StrCat(R"({"newParent":")", Field(docs, "name"), R"(","wrappedKey":")",
                                    WrappedKey(), R"(","nameHmac":")", NameHmac("photos"), R"("})"),
                       ada_token),
             400, 9);

  const http::ClientResponse trashed =
      rest.Post(absl::StrCat("/v1/nodes/", IdOf(photos), ":trash"), "{}", ada_token);
  REQUIRE(trashed.status == 200);
  CHECK(Field(Json(trashed.body), "state") == "NODE_STATE_TRASHED");
  CHECK(tree.Children(root).empty());
  CHECK(tree.Children(root, /*show_trashed=*/true) ==
        std::vector<std::string>{Field(photos, "name")});
  const http::ClientResponse inside = rest.Get(absl::StrCat("/v1/nodes/", IdOf(docs)), ada_token);
  REQUIRE(inside.status == 200);
  CHECK(Field(Json(inside.body), "state") == "NODE_STATE_TRASHED");

  // The change log has each change once, in order.
  const http::ClientResponse changes = rest.Get("/v1/changes?sinceSequence=0", ada_token);
  INFO(changes.body);
  REQUIRE(changes.status == 200);
  const Struct log = Json(changes.body);
  const auto& entries = log.fields().at("changes").list_value().values();
  REQUIRE(entries.size() == 5);
  CHECK(Field(entries[3].struct_value(), "type") == "CHANGE_TYPE_NODE_MOVED");
  CHECK(Field(entries[4].struct_value(), "type") == "CHANGE_TYPE_NODE_TRASHED");
  CHECK(Field(log, "lastSequence") == "5");
  CHECK(Field(Json(rest.Get("/v1/changes:cursor", ada_token).body), "sequence") == "5");

  // Another member sees none of it.
  const std::string bob_token = testing::SignUpMember(suite, "bob@example.com").token;
  CheckError(rest.Get(absl::StrCat("/v1/nodes/", IdOf(docs)), bob_token), 404, 5);
  CheckError(rest.Get(absl::StrCat("/v1/nodes/", IdOf(root), "/children"), bob_token), 404, 5);
  CheckError(TreeApi(rest, bob_token).CreateFolder(root, "mine"), 404, 5);
  const http::ClientResponse bob_changes = rest.Get("/v1/changes", bob_token);
  REQUIRE(bob_changes.status == 200);
  CHECK(Json(bob_changes.body).fields().count("changes") == 0);

  // An API key with files:read lists but cannot change anything.
  accounts::v1::CreateApiKeyRequest create;
  create.set_parent("users/me");
  create.set_display_name("indexer");
  create.add_scopes(common::v1::SCOPE_FILES_READ);
  absl::StatusOr<accounts::v1::CreateApiKeyResponse> api_key = ada.client->CreateApiKey(create);
  REQUIRE(api_key.ok());
  TreeApi reader(rest, api_key->secret());
  CHECK(reader.Children(root, /*show_trashed=*/true).size() == 1);
  const Struct refused = CheckError(reader.CreateFolder(root, "music"), 403, 7);
  CHECK(ReasonOf(refused) == "ERROR_REASON_SCOPE_MISSING");
}

// Every page of a recursive listing of `folder`, `page_size` at a time: (name, parent,
// state) in the order listed.
std::vector<std::array<std::string, 3>> ListSubtree(Rest& rest, const std::string& token,
                                                    const Struct& folder, int page_size,
                                                    bool show_trashed) {
  std::vector<std::array<std::string, 3>> listed;
  std::string page_token;
  for (int page = 0; page < 100; ++page) {
    const http::ClientResponse response = rest.Get(
        absl::StrCat("/v1/nodes/", IdOf(folder), "/children?recursive=true&pageSize=", page_size,
                     show_trashed ? "&showTrashed=true" : "", "&pageToken=", page_token),
        token);
    INFO(response.body);
    REQUIRE(response.status == 200);
    const Struct body = Json(response.body);
    const auto nodes = body.fields().find("nodes");
    if (nodes != body.fields().end()) {
      CHECK(nodes->second.list_value().values_size() <= page_size);
      for (const auto& node : nodes->second.list_value().values()) {
        const Struct& n = node.struct_value();
        listed.push_back({Field(n, "name"), Field(n, "parent"), Field(n, "state")});
      }
    }
    page_token = Field(body, "nextPageToken");
    if (page_token.empty()) return listed;
  }
  FAIL("the listing never ended");
  return listed;
}

TEST_CASE("a recursive listing gives the whole subtree in pages with parents first",
          "[integration][metadata]") {
  testing::TestSuite suite({"accounts", "metadata", "gateway"}, testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const std::string token = testing::SignUpMember(suite, "ada@example.com").token;
  TreeApi tree(rest, token);
  const Struct root = CreateRoot(rest, token);
  const Struct a = tree.MustCreateFolder(root, "a");
  const Struct b = tree.MustCreateFolder(a, "b");
  const Struct c = tree.MustCreateFolder(b, "c");
  const Struct d = tree.MustCreateFolder(a, "d");
  const Struct e = tree.MustCreateFolder(root, "e");
  const Struct t = tree.MustCreateFolder(root, "t");
  const Struct u = tree.MustCreateFolder(t, "u");
  REQUIRE(rest.Post(absl::StrCat("/v1/nodes/", IdOf(t), ":trash"), "{}", token).status == 200);

  for (const int page_size : {1, 2, 3, 200}) {
    INFO("page size " << page_size);
    const auto listed = ListSubtree(rest, token, root, page_size, /*show_trashed=*/false);
    std::set<std::string> seen = {Field(root, "name")};
    for (const auto& [name, parent, state] : listed) {
      CHECK(seen.count(parent) == 1);   // Its parent came first.
      CHECK(seen.insert(name).second);  // Listed once.
      CHECK(state == "NODE_STATE_ACTIVE");
    }
    CHECK(seen == std::set<std::string>{Field(root, "name"), Field(a, "name"), Field(b, "name"),
                                        Field(c, "name"), Field(d, "name"), Field(e, "name")});
  }

  // With the trash: the trashed folder and what it holds, shown trashed.
  const auto with_trash = ListSubtree(rest, token, root, 2, /*show_trashed=*/true);
  REQUIRE(with_trash.size() == 7);
  std::map<std::string, std::string> states;
  for (const auto& [name, parent, state] : with_trash) states[name] = state;
  CHECK(states[Field(t, "name")] == "NODE_STATE_TRASHED");
  CHECK(states[Field(u, "name")] == "NODE_STATE_TRASHED");
  CHECK(states[Field(c, "name")] == "NODE_STATE_ACTIVE");

  // A subtree of its own, and a token no listing made.
  const auto below_a = ListSubtree(rest, token, a, 1, /*show_trashed=*/false);
  CHECK(below_a.size() == 3);
  const Struct bad = CheckError(
      rest.Get(absl::StrCat("/v1/nodes/", IdOf(root), "/children?recursive=true&pageToken=a//b"),
               token),
      400, 3);
  CHECK(Field(bad, "message").find("page_token") != std::string::npos);
}

// The entries of `token`'s change log after `since`: (type, node name, access role).
std::vector<std::array<std::string, 3>> ChangesSince(Rest& rest, const std::string& token,
                                                     uint64_t since) {
  const http::ClientResponse listed =
      rest.Get(absl::StrCat("/v1/changes?sinceSequence=", since), token);
  INFO(listed.body);
  REQUIRE(listed.status == 200);
  std::vector<std::array<std::string, 3>> entries;
  const Struct log = Json(listed.body);
  const auto changes = log.fields().find("changes");
  if (changes == log.fields().end()) return entries;
  for (const auto& entry : changes->second.list_value().values()) {
    const Struct& change = entry.struct_value();
    const Struct& node = change.fields().at("node").struct_value();
    entries.push_back({Field(change, "type"), Field(node, "name"), Field(node, "accessRole")});
  }
  return entries;
}

uint64_t CursorOf(Rest& rest, const std::string& token) {
  const std::string sequence = Field(Json(rest.Get("/v1/changes:cursor", token).body), "sequence");
  return sequence.empty() ? 0 : std::stoull(sequence);
}

TEST_CASE("the change log of a member a folder is shared with follows the folder",
          "[integration][metadata][shares]") {
  testing::TestSuite suite({"accounts", "metadata", "gateway"}, testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const std::string ada = testing::SignUpMember(suite, "ada@example.com").token;
  const std::string bob = testing::SignUpMember(suite, "bob@example.com").token;
  TreeApi tree(rest, ada);
  const Struct root = CreateRoot(rest, ada);
  const Struct team = tree.MustCreateFolder(root, "team");
  const Struct lone = tree.MustCreateFolder(root, "lone");
  const http::ClientResponse found =
      rest.Post("/v1/users:lookupPublicKey", R"({"email":"bob@example.com"})", ada);
  REQUIRE(found.status == 200);
  const std::string bob_name = Field(Json(found.body), "user");
  const std::string share_path =
      absl::StrCat("/v1/nodes/", IdOf(team), "/shares/", bob_name.substr(6));
  const auto share = [&](const std::string& role) {
    const http::ClientResponse shared =
        rest.Post(absl::StrCat("/v1/nodes/", IdOf(team), "/shares"),
                  absl::StrCat(R"({"recipient":")", bob_name, R"(","role":")", role,
                               R"(","sealedKey":")", B64(std::string(80, 's')), R"("})"),
                  ada);
    INFO(shared.body);
    REQUIRE(shared.status == 200);
  };
  const auto send = [&](const std::string& method, const std::string& body) {
    http::Headers headers;
    headers.Add("Authorization", "Bearer " + ada);
    headers.Add("Content-Type", "application/json");
    return rest.Send(method, share_path, body, std::move(headers));
  };
  using Entries = std::vector<std::array<std::string, 3>>;

  share("SHARE_ROLE_READER");
  CHECK(ChangesSince(rest, bob, 0) ==
        Entries{{"CHANGE_TYPE_SHARE_GRANTED", Field(team, "name"), "ACCESS_ROLE_READER"}});

  // Inside the shared folder: in Bob's log as he sees it; outside: not.
  const uint64_t before = CursorOf(rest, bob);
  const Struct plans = tree.MustCreateFolder(team, "plans");
  const Struct hidden = tree.MustCreateFolder(lone, "private");
  CHECK(ChangesSince(rest, bob, before) ==
        Entries{{"CHANGE_TYPE_NODE_CREATED", Field(plans, "name"), "ACCESS_ROLE_READER"}});
  CHECK(CursorOf(rest, bob) == before + 1);
  // Ada's own log has her changes, as owner, and no share entries.
  const Entries ada_log = ChangesSince(rest, ada, 0);
  REQUIRE(!ada_log.empty());
  CHECK(ada_log.back() == std::array<std::string, 3>{"CHANGE_TYPE_NODE_CREATED",
                                                     Field(hidden, "name"), "ACCESS_ROLE_OWNER"});

  // A role change is granted again; moving a folder out reaches him, so he drops it, but
  // he learns only that it left: not where it went, its key or its attributes, nor a role.
  REQUIRE(send("PATCH", R"({"role":"SHARE_ROLE_WRITER"})").status == 200);
  const http::ClientResponse moved =
      rest.Post(absl::StrCat("/v1/nodes/", IdOf(plans), ":move"),
                absl::StrCat(R"({"newParent":")", Field(lone, "name"), R"(","wrappedKey":")",
                             WrappedKey(), R"(","nameHmac":")", NameHmac("plans"), R"("})"),
                ada);
  REQUIRE(moved.status == 200);
  CHECK(ChangesSince(rest, bob, before + 1) ==
        Entries{{"CHANGE_TYPE_SHARE_GRANTED", Field(team, "name"), "ACCESS_ROLE_WRITER"},
                {"CHANGE_TYPE_NODE_MOVED", Field(plans, "name"), ""}});
  const std::string his_log =
      rest.Get(absl::StrCat("/v1/changes?sinceSequence=", before + 2), bob).body;
  CHECK_THAT(his_log, Catch::Contains(absl::StrCat("\"previousParent\":\"", Field(team, "name"))) &&
                          !Catch::Contains(Field(lone, "name")) && !Catch::Contains("wrappedKey") &&
                          !Catch::Contains("encryptedAttributes") && !Catch::Contains("deviceId"));
  // Moved back in, it is his to see again, whole.
  const http::ClientResponse back =
      rest.Post(absl::StrCat("/v1/nodes/", IdOf(plans), ":move"),
                absl::StrCat(R"({"newParent":")", Field(team, "name"), R"(","wrappedKey":")",
                             WrappedKey(), R"(","nameHmac":")", NameHmac("plans"), R"("})"),
                ada);
  REQUIRE(back.status == 200);
  CHECK(ChangesSince(rest, bob, before + 3) ==
        Entries{{"CHANGE_TYPE_NODE_MOVED", Field(plans, "name"), "ACCESS_ROLE_WRITER"}});
  CHECK_THAT(rest.Get(absl::StrCat("/v1/changes?sinceSequence=", before + 3), bob).body,
             Catch::Contains("wrappedKey"));

  // Unshared: revoked once, and what happens in the folder afterwards stays Ada's.
  REQUIRE(send("DELETE", "").status == 200);
  REQUIRE(send("DELETE", "").status == 200);  // Ending it again is OK.
  tree.MustCreateFolder(team, "later");
  CHECK(ChangesSince(rest, bob, before + 4) ==
        Entries{{"CHANGE_TYPE_SHARE_REVOKED", Field(team, "name"), "ACCESS_ROLE_WRITER"}});
}

TEST_CASE(
    "an upload reserves quota before any byte, carries a grant blobs can verify, and gives "
    "the quota back when aborted",
    "[integration][metadata][uploads]") {
  testing::TestSuite suite({"accounts", "metadata", "gateway"}, testing::CheapAccounts());
  const std::string address = suite->addresses("gateway").at("public_rest");
  const std::string token = testing::SignUpMember(suite, "ada@example.com").token;
  Rest rest(address);
  const Struct root = CreateRoot(rest, token);
  const auto reserved_bytes = [&] {
    const http::ClientResponse quota = rest.Get("/v1/users/me/quota", token);
    REQUIRE(quota.status == 200);
    return Field(Json(quota.body), "reservedBytes");
  };

  const std::string begin = absl::StrCat(R"({"parent":")", Field(root, "name"),
                                         R"(","sizeBytes":"1048592","requestId":"up-1"})");
  const http::ClientResponse begun = rest.Post("/v1/uploads", begin, token);
  INFO(begun.body);
  REQUIRE(begun.status == 200);
  const Struct upload = Json(begun.body);
  CHECK(Field(upload, "state") == "UPLOAD_STATE_OPEN");
  CHECK(reserved_bytes() == "1048592");
  // A retry with the same request id is the same upload, reserved once.
  const http::ClientResponse retried = rest.Post("/v1/uploads", begin, token);
  REQUIRE(retried.status == 200);
  CHECK(Field(Json(retried.body), "name") == Field(upload, "name"));
  CHECK(reserved_bytes() == "1048592");
  // The same request id with another request is refused, not answered with that upload;
  // as is a link's request id sent again for another node.
  const Struct reused =
      CheckError(rest.Post("/v1/uploads",
                           absl::StrCat(R"({"parent":")", Field(root, "name"),
                                        R"(","sizeBytes":"99999999","requestId":"up-1"})"),
                           token),
                 400, 3);
  CHECK_THAT(Field(reused, "message"),
             Catch::Contains("request_id") && Catch::Contains("use a new request id"));
  CHECK_THAT(rest.Post("/v1/uploads",
                       absl::StrCat(R"({"parent":")", Field(root, "name"),
                                    R"(","sizeBytes":"99999999","requestId":"up-1"})"),
                       token)
                 .body,
             Catch::Contains("IDEMPOTENCY_KEY_REUSED"));
  CHECK(reserved_bytes() == "1048592");
  {
    TreeApi tree(rest, token);
    const Struct one = tree.MustCreateFolder(root, "one");
    const Struct two = tree.MustCreateFolder(root, "two");
    const auto link_of = [&](const Struct& node) {
      return rest.Post("/v1/links",
                       absl::StrCat(R"({"node":")", Field(node, "name"), R"(","requestId":"l1"})"),
                       token);
    };
    const http::ClientResponse first = link_of(one);
    REQUIRE(first.status == 200);
    const http::ClientResponse again = link_of(one);
    REQUIRE(again.status == 200);
    CHECK(Field(Json(again.body), "name") == Field(Json(first.body), "name"));
    CheckError(link_of(two), 400, 3);
  }

  // The grant is what blobs will check: metadata's key, UPLOAD, this session and size.
  auto stub = metadata::v1::MetadataInternalService::NewStub(
      kit::NewChannel(suite->addresses("metadata").at("grpc")));
  auto context = kit::NewCallContext(absl::Seconds(5));
  metadata::v1::ListGrantSigningKeysResponse keys;
  REQUIRE(stub->ListGrantSigningKeys(context.get(), {}, &keys).ok());
  auth::KeyRing ring;
  for (const auto& key : keys.keys()) REQUIRE(ring.Add(key).ok());
  absl::StatusOr<blobs::v1::GrantClaims> grant = auth::VerifyGrant(
      Field(upload, "grant"), blobs::v1::GRANT_PERMISSION_UPLOAD, ring, absl::Now());
  INFO(grant.status().ToString());
  REQUIRE(grant.ok());
  CHECK(grant->upload_session() == Field(upload, "uploadSession"));
  CHECK(grant->max_size_bytes() == 1048592);

  // More than the free quota: refused before anything is reserved.
  const Struct over = CheckError(rest.Post("/v1/uploads",
                                           absl::StrCat(R"({"parent":")", Field(root, "name"),
                                                        R"(","sizeBytes":"200000000000"})"),
                                           token),
                                 429, 8);
  CHECK(ReasonOf(over) == "ERROR_REASON_QUOTA_EXCEEDED");
  CHECK(reserved_bytes() == "1048592");

  const http::ClientResponse aborted =
      rest.Post(absl::StrCat("/v1/", Field(upload, "name"), ":abort"), "{}", token);
  INFO(aborted.body);
  REQUIRE(aborted.status == 200);
  CHECK(Field(Json(aborted.body), "state") == "UPLOAD_STATE_ABORTED");
  CHECK(Field(Json(aborted.body), "grant").empty());
  CHECK(reserved_bytes().empty());  // 0 is left out of proto3 JSON.
}

TEST_CASE("metadata publishes one grant signing key and keeps it across restarts",
          "[integration][metadata]") {
  testing::TestSuite suite({"accounts", "metadata"});
  const auto keys = [&] {
    auto stub = metadata::v1::MetadataInternalService::NewStub(
        kit::NewChannel(suite->addresses("metadata").at("grpc")));
    auto context = kit::NewCallContext(absl::Seconds(5));
    metadata::v1::ListGrantSigningKeysResponse response;
    const grpc::Status status = stub->ListGrantSigningKeys(context.get(), {}, &response);
    INFO(status.error_message());
    REQUIRE(status.ok());
    return response;
  };
  const metadata::v1::ListGrantSigningKeysResponse first = keys();
  REQUIRE(first.keys_size() == 1);
  CHECK(first.keys(0).purpose() == common::v1::KEY_PURPOSE_CAPABILITY_GRANT);
  CHECK(first.keys(0).issuer() == "metadata");
  CHECK(first.keys(0).key_id().rfind("md-", 0) == 0);

  REQUIRE(suite->StopService("metadata", absl::Seconds(10)).ok());
  REQUIRE(suite->StartService("metadata").ok());
  const metadata::v1::ListGrantSigningKeysResponse again = keys();
  REQUIRE(again.keys_size() == 1);
  CHECK(again.keys(0).key_id() == first.keys(0).key_id());
  CHECK(again.keys(0).public_key() == first.keys(0).public_key());
}

// A call context for metadata's own gRPC with `token` as the member's bearer token
// (none when empty), as the gateway forwards it.
std::unique_ptr<grpc::ClientContext> WithToken(const std::string& token) {
  auto context = kit::NewCallContext(absl::Seconds(10));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

// A one-chunk file of Ada's in `parent`, uploaded through the gateway; its node name.
std::string UploadFile(testing::TestSuite& suite, Rest& rest, const std::string& token,
                       const std::string& parent) {
  const std::string chunk(100, 'c');
  const http::ClientResponse begun = rest.Post(
      "/v1/uploads", absl::StrCat(R"({"parent":")", parent, R"(","sizeBytes":"100"})"), token);
  INFO(begun.body);
  REQUIRE(begun.status == 200);
  const std::string grant = Field(Json(begun.body), "grant");
  const std::string session = Field(Json(begun.body), "uploadSession");
  auto blobs = blobs::v1::BlobsService::NewStub(
      kit::NewChannel(suite->addresses("gateway").at("public_grpc")));
  blobs::v1::BeginUploadSessionRequest layout;
  layout.set_grant(grant);
  layout.set_chunk_count(1);
  layout.set_chunk_size_bytes(100);
  layout.set_last_chunk_size_bytes(100);
  blobs::v1::UploadSession opened;
  REQUIRE(blobs->BeginUploadSession(WithToken(token).get(), layout, &opened).ok());
  blobs::v1::PutChunkRequest put;
  put.set_grant(grant);
  put.set_upload_session(session);
  put.set_hash(crypto::Blake2b256(chunk));
  put.set_data(chunk);
  blobs::v1::PutChunkResponse stored;
  REQUIRE(blobs->PutChunk(WithToken(token).get(), put, &stored).ok());
  blobs::v1::CommitUploadSessionRequest commit;
  commit.set_grant(grant);
  commit.set_name(session);
  blobs::v1::Blob blob;
  REQUIRE(blobs->CommitUploadSession(WithToken(token).get(), commit, &blob).ok());
  const http::ClientResponse made =
      rest.Post(absl::StrCat("/v1/", Field(Json(begun.body), "name"), ":commit"),
                absl::StrCat(R"({"blob":")", blob.name(), R"(","noncePrefix":")",
                             B64(std::string(16, 'n')), R"(","versionEncryptedAttributes":")",
                             B64("sealed"), R"(","newFile":{"wrappedKey":")", WrappedKey(),
                             R"(","nameHmac":")", NameHmac("album"), R"(","encryptedAttributes":")",
                             B64("sealed album"), R"("}})"),
                token);
  INFO(made.body);
  REQUIRE(made.status == 200);
  return Field(Json(made.body).fields().at("node").struct_value(), "name");
}

// POST of a JSON body with no Authorization header: an anonymous reader of a link.
http::ClientResponse PostAnonymously(Rest& rest, std::string target) {
  http::Headers headers;
  headers.Add("Content-Type", "application/json");
  return rest.Send("POST", std::move(target), "{}", std::move(headers));
}

TEST_CASE(
    "pricing's view of metadata: lookups, access, a durable price flag, and no file on sale "
    "through a link while pricing cannot be asked",
    "[integration][metadata][pricing]") {
  // No pricing in this suite: metadata has no --pricing_target, as when pricing is down.
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, testing::CheapAccounts());
  const testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  const testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const Struct root = CreateRoot(rest, ada.token);
  const std::string file = UploadFile(suite, rest, ada.token, Field(root, "name"));
  const http::ClientResponse linked =
      rest.Post("/v1/links", absl::StrCat(R"({"node":")", file, R"("})"), ada.token);
  INFO(linked.body);
  REQUIRE(linked.status == 200);
  const std::string link = Field(Json(linked.body), "name");

  const std::string metadata_address = suite->addresses("metadata").at("grpc");
  auto internal = metadata::v1::MetadataInternalService::NewStub(kit::NewChannel(metadata_address));
  const auto lookup = [&](const std::string& name, metadata::v1::Node* node) {
    metadata::v1::LookupNodeRequest request;
    request.set_name(name);
    return internal->LookupNode(WithToken("").get(), request, node);
  };
  metadata::v1::Node node;
  REQUIRE(lookup(file, &node).ok());
  const std::string ada_user = node.owner();
  CHECK(ada_user.rfind("users/", 0) == 0);
  CHECK(node.head_version().creator() == ada_user);
  CHECK_FALSE(node.priced());
  CHECK(lookup("nodes/01HXNNNN000000000000000000", &node).error_code() ==
        grpc::StatusCode::NOT_FOUND);
  CHECK(lookup("album", &node).error_code() == grpc::StatusCode::INVALID_ARGUMENT);

  metadata::v1::CheckNodeAccessRequest access;
  access.set_node(file);
  access.set_user(ada_user);
  metadata::v1::CheckNodeAccessResponse allowed;
  REQUIRE(internal->CheckNodeAccess(WithToken("").get(), access, &allowed).ok());
  CHECK(allowed.allowed());
  CHECK(allowed.role() == metadata::v1::ACCESS_ROLE_OWNER);
  access.set_user("users/01HXB0B0000000000000000000");
  REQUIRE(internal->CheckNodeAccess(WithToken("").get(), access, &allowed).ok());
  CHECK_FALSE(allowed.allowed());

  const auto set_priced = [&](const std::string& name, bool priced, metadata::v1::Node* out) {
    metadata::v1::SetNodePricedRequest request;
    request.set_node(name);
    request.set_priced(priced);
    return internal->SetNodePriced(WithToken("").get(), request, out);
  };
  CHECK(set_priced(Field(root, "name"), true, &node).error_code() ==
        grpc::StatusCode::FAILED_PRECONDITION);
  REQUIRE(set_priced(file, true, &node).ok());
  CHECK(node.priced());
  metadata::v1::IssueServiceGrantRequest service;
  service.set_node(file);
  service.set_service("streaming");
  metadata::v1::DownloadGrant unbuilt;
  CHECK(internal->IssueServiceGrant(WithToken("").get(), service, &unbuilt).error_code() ==
        grpc::StatusCode::UNIMPLEMENTED);

  // The flag is in Ada's change log, and survives a restart.
  const http::ClientResponse changes = rest.Get("/v1/changes", ada.token);
  INFO(changes.body);
  REQUIRE(changes.status == 200);
  CHECK(changes.body.find("CHANGE_TYPE_PRICING_CHANGED") != std::string::npos);
  REQUIRE(suite->StopService("metadata", absl::Seconds(10)).ok());
  REQUIRE(suite->StartService("metadata").ok());
  internal = metadata::v1::MetadataInternalService::NewStub(kit::NewChannel(metadata_address));
  REQUIRE(lookup(file, &node).ok());
  CHECK(node.priced());

  // A reader of the link sees it is for sale; nobody but its owner gets it while pricing
  // cannot be asked.
  const http::ClientResponse resolved = rest.Get(absl::StrCat("/v1/", link), "");
  REQUIRE(resolved.status == 200);
  CHECK(Json(resolved.body).fields().at("node").struct_value().fields().at("priced").bool_value());
  CheckError(PostAnonymously(rest, absl::StrCat("/v1/", link, ":issueDownloadGrant")), 503, 14);
  auto links = metadata::v1::MetadataService::NewStub(kit::NewChannel(metadata_address));
  metadata::v1::IssueLinkDownloadGrantRequest through;
  through.set_link(link);
  metadata::v1::DownloadGrant grant;
  const grpc::Status owner =
      links->IssueLinkDownloadGrant(WithToken(ada.token).get(), through, &grant);
  INFO(owner.error_message());
  CHECK(owner.ok());
  CHECK(links->IssueLinkDownloadGrant(WithToken(bob.token).get(), through, &grant).error_code() ==
        grpc::StatusCode::UNAVAILABLE);
  CHECK(
      links->IssueLinkDownloadGrant(WithToken("not-a-token").get(), through, &grant).error_code() ==
      grpc::StatusCode::UNAUTHENTICATED);

  // Off sale: anyone with the link again.
  REQUIRE(set_priced(file, false, &node).ok());
  const http::ClientResponse free_again =
      PostAnonymously(rest, absl::StrCat("/v1/", link, ":issueDownloadGrant"));
  INFO(free_again.body);
  CHECK(free_again.status == 200);
}

// Shares Ada's `folder` with the member `recipient` ("users/...") in `role`.
void ShareFolder(Rest& rest, const std::string& owner_token, const Struct& folder,
                 const std::string& recipient, const std::string& role) {
  const http::ClientResponse shared =
      rest.Post(absl::StrCat("/v1/nodes/", IdOf(folder), "/shares"),
                absl::StrCat(R"({"recipient":")", recipient, R"(","role":")", role,
                             R"(","sealedKey":")", B64(std::string(80, 's')), R"("})"),
                owner_token);
  INFO(shared.body);
  REQUIRE(shared.status == 200);
}

// The user name ("users/...") of the member with `email`.
std::string UserOf(Rest& rest, const std::string& token, const std::string& email) {
  const http::ClientResponse found =
      rest.Post("/v1/users:lookupPublicKey", absl::StrCat(R"({"email":")", email, R"("})"), token);
  REQUIRE(found.status == 200);
  return Field(Json(found.body), "user");
}

// The body of a move or a restore of a node into `parent` under `name`.
std::string IntoBody(const Struct& parent, absl::string_view name) {
  return absl::StrCat(R"({"newParent":")", Field(parent, "name"), R"(","wrappedKey":")",
                      WrappedKey(), R"(","nameHmac":")", NameHmac(name), R"("})");
}

TEST_CASE(
    "a node stays in its owner's tree, a writer renames and trashes inside a share but not the "
    "share itself, and only the owner restores or purges",
    "[integration][metadata][shares]") {
  testing::TestSuite suite({"accounts", "metadata", "gateway"}, testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const std::string ada = testing::SignUpMember(suite, "ada@example.com").token;
  const std::string bob = testing::SignUpMember(suite, "bob@example.com").token;
  TreeApi ada_tree(rest, ada);
  TreeApi bob_tree(rest, bob);
  const Struct ada_root = CreateRoot(rest, ada);
  const Struct bob_root = CreateRoot(rest, bob);
  const Struct team = ada_tree.MustCreateFolder(ada_root, "team");
  const Struct plans = ada_tree.MustCreateFolder(team, "plans");
  const Struct notes = ada_tree.MustCreateFolder(ada_root, "notes");
  const Struct box = bob_tree.MustCreateFolder(bob_root, "box");
  const Struct mine = bob_tree.MustCreateFolder(bob_root, "mine");
  ShareFolder(rest, ada, team, UserOf(rest, ada, "bob@example.com"), "SHARE_ROLE_WRITER");
  ShareFolder(rest, bob, box, UserOf(rest, bob, "ada@example.com"), "SHARE_ROLE_WRITER");
  const auto post = [&](const std::string& token, const Struct& node, const std::string& verb,
                        const std::string& body) {
    return rest.Post(absl::StrCat("/v1/nodes/", IdOf(node), verb), body, token);
  };

  // Across trees, either way, whoever may write both folders: FAILED_PRECONDITION.
  Struct error = CheckError(post(bob, mine, ":move", IntoBody(team, "mine")), 400, 9);
  CHECK_THAT(Field(error, "message"), Catch::Contains("a move cannot cross"));
  CheckError(post(ada, notes, ":move", IntoBody(box, "notes")), 400, 9);
  REQUIRE(post(ada, notes, ":trash", "{}").status == 200);
  error = CheckError(post(ada, notes, ":restore", IntoBody(box, "notes")), 400, 9);
  CHECK_THAT(Field(error, "message"), Catch::Contains("a move cannot cross"));
  CHECK(bob_tree.Children(box).empty());
  CHECK(ada_tree.Children(team) == std::vector<std::string>{Field(plans, "name")});
  CHECK(bob_tree.Children(bob_root).size() == 2);
  // Within a tree, as before.
  REQUIRE(post(ada, notes, ":restore", IntoBody(team, "notes")).status == 200);
  REQUIRE(post(ada, notes, ":move", IntoBody(ada_root, "notes")).status == 200);

  // A writer renames and trashes what the folder holds (into Ada's trash), not the
  // shared folder itself; restoring and purging are Ada's.
  const std::string rename = absl::StrCat(R"({"nameHmac":")", NameHmac("renamed"),
                                          R"(","encryptedAttributes":")", B64("x"), R"("})");
  for (const auto& [verb, body] :
       std::vector<std::pair<std::string, std::string>>{{":rename", rename}, {":trash", "{}"}}) {
    INFO(verb);
    error = CheckError(post(bob, team, verb, body), 403, 7);
    CHECK_THAT(Field(error, "message"), Catch::Contains("is the folder shared with you"));
  }
  CheckError(post(bob, plans, ":move", IntoBody(mine, "plans")), 400, 9);
  REQUIRE(post(bob, plans, ":rename", rename).status == 200);
  const http::ClientResponse trashed = post(bob, plans, ":trash", "{}");
  REQUIRE(trashed.status == 200);
  CHECK(Field(Json(trashed.body), "accessRole") == "ACCESS_ROLE_WRITER");
  for (const std::string verb : {":restore", ":purge"}) {
    INFO(verb);
    error = CheckError(post(bob, plans, verb, "{}"), 403, 7);
    CHECK_THAT(Field(error, "message"), Catch::Contains("only its owner may"));
  }
  CHECK(ada_tree.Children(team).empty());
  CHECK_THAT(rest.Get("/v1/users/me/trash", ada).body, Catch::Contains(Field(plans, "name")));
  CHECK_FALSE(absl::StrContains(rest.Get("/v1/users/me/trash", bob).body, Field(plans, "name")));
  REQUIRE(post(ada, plans, ":restore", "{}").status == 200);
  CHECK(ada_tree.Children(team) == std::vector<std::string>{Field(plans, "name")});
  // Someone it is not shared with learns nothing.
  const std::string eve = testing::SignUpMember(suite, "eve@example.com").token;
  CheckError(post(eve, plans, ":trash", "{}"), 404, 5);
}

TEST_CASE("a link whose creator does not own its node opens nothing",
          "[integration][metadata][links]") {
  testing::TestSuite suite({"accounts", "metadata", "gateway"}, testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const std::string ada = testing::SignUpMember(suite, "ada@example.com").token;
  const std::string bob = testing::SignUpMember(suite, "bob@example.com").token;
  TreeApi tree(rest, ada);
  const Struct root = CreateRoot(rest, ada);
  const Struct docs = tree.MustCreateFolder(root, "docs");
  tree.MustCreateFolder(docs, "inside");
  const std::string bob_user = UserOf(rest, ada, "bob@example.com");
  ShareFolder(rest, ada, docs, bob_user, "SHARE_ROLE_READER");

  // Bob may not link to Ada's folder.
  const std::string link_body = absl::StrCat(R"({"node":")", Field(docs, "name"), R"("})");
  const Struct refused = CheckError(rest.Post("/v1/links", link_body, bob), 403, 7);
  CHECK_THAT(Field(refused, "message"),
             Catch::Contains("only the folder's owner can make links to what is shared with you"));

  // A link made before that was checked: Ada's, rewritten as Bob's while metadata is down.
  const http::ClientResponse made = rest.Post("/v1/links", link_body, ada);
  INFO(made.body);
  REQUIRE(made.status == 200);
  const std::string link = Field(Json(made.body), "name");
  REQUIRE(rest.Get(absl::StrCat("/v1/", link)).status == 200);
  REQUIRE(suite->StopService("metadata", absl::Seconds(10)).ok());
  {
    absl::StatusOr<std::unique_ptr<store::Store>> opened =
        metadata::MetadataDb::OpenStore((suite.var_dir() / "data" / "metadata").string());
    REQUIRE(opened.ok());
    const metadata::MetadataDb db(opened->get());
    const std::string link_id = link.substr(std::string("links/").size());
    absl::StatusOr<std::optional<metadata::v1::Link>> record =
        store::FindRecord<metadata::v1::Link>(db.store(), db.links, link_id);
    REQUIRE(record.ok());
    REQUIRE(record->has_value());
    (*record)->set_creator(bob_user);
    store::WriteBatch batch;
    store::PutRecord(&batch, db.links, link_id, **record);
    batch.Put(
        db.user_links,
        store::KeyView(store::JoinKey(bob_user.substr(std::string("users/").size()), link_id)), "");
    REQUIRE(db.store().Write(&batch, {.sync = true}).ok());
  }
  REQUIRE(suite->StartService("metadata").ok());

  // It opens nothing, whatever is asked of it, and says so.
  for (const http::ClientResponse& response :
       {rest.Get(absl::StrCat("/v1/", link)), rest.Get(absl::StrCat("/v1/", link, "/children")),
        rest.Get(absl::StrCat("/v1/", link, "/children?recursive=true"))}) {
    const Struct error = CheckError(response, 400, 9);
    CHECK(ReasonOf(error) == "ERROR_REASON_LINK_INACTIVE");
    CHECK_THAT(Field(error, "message"),
               Catch::Contains("made by a member who does not own what it points to"));
  }
  // Its creator still sees it among his links, and can revoke it.
  const http::ClientResponse listed = rest.Get("/v1/users/me/links", bob);
  REQUIRE(listed.status == 200);
  CHECK_THAT(listed.body, Catch::Contains(link));
  CHECK(rest.Post(absl::StrCat("/v1/", link, ":revoke"), "{}", bob).status == 200);
}

}  // namespace
}  // namespace bitcontent
