// The gateway as clients see it: the real bitcontent-gateway, accounts and Redis,
// started through the harness, reached with a real HTTP client (and a gRPC client for
// the public gRPC API). Members sign up with the client engine the CLI uses. What
// accounts received is read from its own log (request ids, methods), and the one test
// that needs a token accounts would sign but has not (an expired one) signs it with
// accounts' real key, read from its RocksDB while it is stopped.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_service.grpc.pb.h"
#include "libs/auth/access_token.h"
#include "libs/auth/proto_time.h"
#include "libs/auth/signed_token.h"
#include "libs/client/account_client.h"
#include "libs/crypto/password_kdf.h"
#include "libs/crypto/random.h"
#include "libs/crypto/signing.h"
#include "libs/http/client.h"
#include "libs/keystore/signing_keys.h"
#include "libs/kit/channel.h"
#include "libs/redis/client.h"
#include "libs/store/store.h"
#include "services/accounts/accounts_db.h"
#include "services/gateway/routes.h"
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

constexpr char kEmail[] = "ada@example.com";

// A login with a well-formed but wrong authentication key (32 zero bytes).
std::string WrongLogin(absl::string_view email) {
  return absl::StrCat(R"({"email": ")", email, R"(", "authKey": ")", std::string(43, 'A'), R"("})");
}

// The gateway in front of the real accounts, with Redis.
class GatewayWithAccounts {
 public:
  explicit GatewayWithAccounts(std::vector<std::string> gateway_args = {})
      : suite_({"accounts", "gateway"}, Options(std::move(gateway_args))),
        rest_(suite_->addresses("gateway").at("public_rest")) {}

  testing::Member SignUp(const std::string& email) { return testing::SignUpMember(suite_, email); }

  // Accounts' access-token signing key: accounts is stopped while its store is read.
  auth::SigningKey AccountsKey() {
    REQUIRE(suite_->StopService("accounts", absl::Seconds(10)).ok());
    absl::StatusOr<std::unique_ptr<store::Store>> store =
        accounts::AccountsDb::OpenStore((suite_.var_dir() / "data" / "accounts").string());
    REQUIRE(store.ok());
    const accounts::AccountsDb db(store->get());
    absl::StatusOr<std::unique_ptr<keystore::SigningKeys>> keys =
        keystore::SigningKeys::LoadOrCreate(
            **store, db.signing_keys,
            {.purpose = common::v1::KEY_PURPOSE_ACCESS_TOKEN, .issuer = "accounts"}, absl::Now());
    REQUIRE(keys.ok());
    auth::SigningKey key = (*keys)->current();
    store->reset();
    REQUIRE(suite_->StartService("accounts").ok());
    return key;
  }

  // Whether accounts logged a call of `method` carrying `request_id`.
  bool AccountsSaw(absl::string_view method, absl::string_view request_id) {
    std::ifstream log(suite_->LogPath("accounts"));
    for (std::string line; std::getline(log, line);) {
      if (absl::StrContains(line, absl::StrCat("request_id=", request_id)) &&
          absl::StrContains(line, method)) {
        return true;
      }
    }
    return false;
  }

  testing::TestSuite& suite() { return suite_; }
  Rest& rest() { return rest_; }

 private:
  static launch::SuiteOptions Options(std::vector<std::string> gateway_args) {
    // Debug logs: every call accounts answers is a line with its request id.
    launch::SuiteOptions options = testing::CheapAccounts({"--log_level=debug"});
    options.extra_args["gateway"] = std::move(gateway_args);
    return options;
  }

  testing::TestSuite suite_;
  Rest rest_;
};

TEST_CASE("GET /v1/keys on a gateway that started before pricing waits for pricing's keys",
          "[integration][gateway]") {
  testing::TestSuite suite({"accounts", "metadata", "wallet", "pricing", "gateway"},
                           testing::CheapAccounts());
  REQUIRE(suite->StopService("gateway", absl::Seconds(5)).ok());
  REQUIRE(suite->StopService("pricing", absl::Seconds(5)).ok());
  // The gateway comes up first and finds no pricing to take keys from; its refresher
  // retries every second. Asked right after pricing is back, it must not answer
  // without the escrow key (a client would refuse to put a file on sale).
  REQUIRE(suite->StartService("gateway").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  REQUIRE(suite->StartService("pricing").ok());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const http::ClientResponse keys = rest.Get("/v1/keys");
  REQUIRE(keys.status == 200);
  CHECK_THAT(keys.body, Catch::Contains("KEY_PURPOSE_KEY_ESCROW"));
}

TEST_CASE("gateway keeps a usable X-Request-Id, replaces a bad one, and says it in errors",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  Rest& rest = gateway.rest();
  http::ClientResponse kept = rest.Send("GET", "/v1/keys", "", {{"X-Request-Id", "client-id-42"}});
  CHECK(kept.status == 200);
  CHECK(kept.Header("X-Request-Id") == "client-id-42");

  http::ClientResponse replaced =
      rest.Send("GET", "/v1/keys", "", {{"X-Request-Id", "bad id\" level=error"}});
  REQUIRE(replaced.Header("X-Request-Id").has_value());
  CHECK(replaced.Header("X-Request-Id")->size() == 32);

  http::ClientResponse generated = rest.Get("/v1/nowhere");
  const Struct error = CheckError(generated, 404, 5);
  CHECK(generated.Header("X-Request-Id")->size() == 32);
}

TEST_CASE("gateway answers unknown routes, wrong methods and big bodies in the error shape",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  Rest& rest = gateway.rest();
  const Struct missing = CheckError(rest.Get("/v1/no/such/route"), 404, 5);
  CHECK(missing.fields().at("message").string_value().find("/v1/no/such/route") !=
        std::string::npos);

  const http::ClientResponse wrong_method = rest.Send("DELETE", "/v1/keys");
  CheckError(wrong_method, 405, 12);
  CHECK(wrong_method.Header("Allow") == "GET, HEAD");

  // One byte over the default limit of 1 MiB.
  const http::ClientResponse too_big =
      rest.Send("POST", "/v1/accounts:login", std::string((1 << 20) + 1, 'x'),
                {{"Content-Type", "application/json"}});
  const Struct error = CheckError(too_big, 413, 8);
  CHECK(error.fields().at("message").string_value().find("1048576") != std::string::npos);

  // What the HTTP server refuses before the gateway sees a request has the same shape,
  // with a request id: a header over 16 KiB, a path with a malformed escape.
  Rest fresh(gateway.suite()->addresses("gateway").at("public_rest"));
  const http::ClientResponse huge_header =
      fresh.Send("GET", "/v1/keys", "", {{"X-Padding", std::string(20 << 10, 'x')}});
  CheckError(huge_header, 431, 8);
  Rest again(gateway.suite()->addresses("gateway").at("public_rest"));
  const Struct bad_path = CheckError(again.Get("/v1/users/%zz"), 400, 3);
  CHECK(bad_path.fields().at("message").string_value() == "malformed request path");
}

// The request id in an error's first ErrorDetails ("" when there is none).
std::string DetailsRequestId(const Struct& error) {
  const auto& details = error.fields().at("details").list_value();
  if (details.values_size() == 0) return "";
  const auto& fields = details.values(0).struct_value().fields();
  const auto found = fields.find("requestId");
  return found == fields.end() ? "" : found->second.string_value();
}

TEST_CASE("gateway errors carry ErrorDetails with the request id, a body that is not JSON too",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  Rest& rest = gateway.rest();
  const http::ClientResponse not_json =
      rest.Send("POST", "/v1/accounts:login", "{not json",
                {{"Content-Type", "application/json"}, {"X-Request-Id", "parse-1"}});
  const Struct error = CheckError(not_json, 400, 3);
  CHECK(DetailsRequestId(error) == "parse-1");
  CHECK(DetailsRequestId(CheckError(rest.Get("/v1/no/such/route"), 404, 5)).size() == 32);
}

TEST_CASE("gateway refuses an Idempotency-Key that is malformed or disagrees with the body",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  Rest& rest = gateway.rest();
  const auto sign_up = [&](const std::string& body, const std::string& key) {
    return rest.Send("POST", "/v1/accounts:signUp", body,
                     {{"Content-Type", "application/json"}, {"Idempotency-Key", key}});
  };
  const Struct disagree = CheckError(sign_up(R"({"requestId":"body-key"})", "header-key"), 400, 3);
  const std::string message = disagree.fields().at("message").string_value();
  CHECK_THAT(message, Catch::Contains("Idempotency-Key") && Catch::Contains("\"header-key\"") &&
                          Catch::Contains("\"body-key\""));
  for (const std::string& key :
       {std::string("has space"), std::string(129, 'k'), std::string("tab\tkey")}) {
    const Struct refused = CheckError(sign_up("{}", key), 400, 3);
    CHECK_THAT(refused.fields().at("message").string_value(),
               Catch::StartsWith("Idempotency-Key: the header must be 1 to 128 visible ASCII") &&
                   Catch::Contains("without spaces"));
  }
}

TEST_CASE("a service the gateway cannot reach is UNAVAILABLE, named, with what to do",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  const testing::Member ada = gateway.SignUp(kEmail);
  REQUIRE(gateway.suite()->StopService("accounts", absl::Seconds(10)).ok());
  const http::ClientResponse down = gateway.rest().Get("/v1/users/me/sessions", ada.token);
  const Struct error = CheckError(down, 503, 14);
  CHECK_THAT(error.fields().at("message").string_value(),
             Catch::StartsWith("the accounts service could not be reached; retry"));
  CHECK(down.Header("Retry-After") == "1");
}

TEST_CASE("gateway answers CORS preflights and lets browsers read its headers",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  Rest& rest = gateway.rest();
  const http::ClientResponse preflight =
      rest.Send("OPTIONS", "/v1/users/me", "",
                {{"Origin", "http://localhost:3000"},
                 {"Access-Control-Request-Method", "GET"},
                 {"Access-Control-Request-Headers", "authorization"}});
  CHECK(preflight.status == 204);
  CHECK(preflight.Header("Access-Control-Allow-Origin") == "*");
  CHECK(std::string(preflight.Header("Access-Control-Allow-Methods").value_or("")).find("GET") !=
        std::string::npos);
  CHECK(std::string(preflight.Header("Access-Control-Allow-Headers").value_or(""))
            .find("Authorization") != std::string::npos);

  const http::ClientResponse answer =
      rest.Send("GET", "/v1/keys", "", {{"Origin", "http://localhost:3000"}});
  CHECK(answer.Header("Access-Control-Allow-Origin") == "*");
  CHECK(std::string(answer.Header("Access-Control-Expose-Headers").value_or(""))
            .find("X-Request-Id") != std::string::npos);
}

TEST_CASE("gateway openapi.json lists every declared route", "[integration][gateway]") {
  GatewayWithAccounts gateway;
  const http::ClientResponse response = gateway.rest().Get("/v1/openapi.json");
  REQUIRE(response.status == 200);
  const Struct document = Json(response.body);
  const Struct& paths = document.fields().at("paths").struct_value();
  int listed = 0;
  for (const gateway::Route& route : gateway::Routes()) {
    if (route.http_method.empty()) continue;
    INFO(route.http_method << " " << route.path);
    const std::string path(route.path);
    REQUIRE(paths.fields().contains(path));
    CHECK(paths.fields().at(path).struct_value().fields().contains(
        absl::AsciiStrToLower(route.http_method)));
    ++listed;
  }
  CHECK(listed >= 19);
}

TEST_CASE("gateway forwards an authenticated request with the member's token and request id",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  const testing::Member ada = gateway.SignUp(kEmail);
  const http::ClientResponse response = gateway.rest().Send(
      "GET", "/v1/users/me", "",
      {{"Authorization", "Bearer " + ada.token}, {"X-Request-Id", "trace-me-1"}});
  INFO(response.body);
  REQUIRE(response.status == 200);
  const Struct user = Json(response.body);
  // Accounts answered for the member whose token the gateway forwarded...
  CHECK(user.fields().at("name").string_value() == ada.credentials.user());
  CHECK(user.fields().at("email").string_value() == kEmail);
  // ...and saw the request id the client chose.
  CHECK(gateway.AccountsSaw("AccountsService/GetUser", "trace-me-1"));
}

TEST_CASE("gateway coalesces concurrent member lookups and answers each its own",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  std::vector<testing::Member> members;
  for (const char* email : {"ada@example.com", "bob@example.com", "cy@example.com"}) {
    members.push_back(gateway.SignUp(email));
  }
  // Many requests at once, from several members, on their own connections: each gets
  // its own account, never a neighbour's in the same batch. (Catch's macros are not
  // thread-safe: the threads only count.)
  constexpr int kThreads = 8;
  constexpr int kRequestsPerThread = 25;
  const std::string rest = gateway.suite()->addresses("gateway").at("public_rest");
  const uint16_t port = static_cast<uint16_t>(std::stoi(rest.substr(rest.rfind(':') + 1)));
  std::atomic<int> answered_right{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      http::Client client({.port = port});
      for (int i = 0; i < kRequestsPerThread; ++i) {
        const testing::Member& member = members[(t + i) % members.size()];
        http::ClientRequest request;
        request.target = "/v1/users/me";
        request.headers.Add("Authorization", "Bearer " + member.token);
        absl::StatusOr<http::ClientResponse> response = client.Send(request);
        Struct user;
        if (response.ok() && response->status == 200 &&
            google::protobuf::util::JsonStringToMessage(response->body, &user).ok() &&
            user.fields().at("name").string_value() == member.credentials.user()) {
          answered_right.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(answered_right.load() == kThreads * kRequestsPerThread);

  // Coalesced or not, a member may read only their own account.
  const Struct refused = CheckError(
      gateway.rest().Get(absl::StrCat("/v1/", members[1].credentials.user()), members[0].token),
      403, 7);
  CHECK(absl::StrContains(refused.fields().at("message").string_value(), "their own account"));
  std::ifstream log(gateway.suite()->LogPath("accounts"));
  const std::string lines((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  CHECK(absl::StrContains(lines, "AccountsInternalService/CoalescedGetUser"));
}

TEST_CASE("behind a trusted proxy the gateway rate-limits and records the forwarded client",
          "[integration][gateway]") {
  // The test's own loopback address stands for the load balancer.
  GatewayWithAccounts gateway({"--trusted_proxies=127.0.0.0/8"});
  const testing::Member ada = gateway.SignUp(kEmail);
  Rest& rest = gateway.rest();
  const http::ClientResponse login = rest.Send(
      "POST", "/v1/accounts:login", WrongLogin(kEmail),
      {{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}, {"Content-Type", "application/json"}});
  CHECK(login.status == 401);
  auto redis = redis::Client::Connect({.address = gateway.suite()->redis_address()});
  REQUIRE(redis.ok());
  // Counted against the client the proxy saw, not the proxy, nor what the client claimed.
  CHECK((*redis)->Run({"EXISTS", "bc:rl:cred:ip:198.51.100.7"})->integer == 1);
  CHECK((*redis)->Run({"EXISTS", "bc:rl:cred:ip:6.6.6.6"})->integer == 0);

  // Accounts records the client's address on the session a refresh keeps alive.
  const http::ClientResponse refreshed = rest.Send(
      "POST", "/v1/accounts:refresh",
      absl::StrCat(R"({"refreshToken": ")", ada.credentials.refresh_token(), R"("})"),
      {{"X-Forwarded-For", "6.6.6.6, 198.51.100.7"}, {"Content-Type", "application/json"}});
  INFO(refreshed.body);
  REQUIRE(refreshed.status == 200);
  absl::StatusOr<std::vector<accounts::v1::Session>> sessions = ada.client->ListSessions();
  REQUIRE(sessions.ok());
  REQUIRE(sessions->size() == 1);
  CHECK(sessions->front().last_ip() == "198.51.100.7");
}

TEST_CASE("gateway metrics count requests by route and pass promtool", "[integration][gateway]") {
  GatewayWithAccounts gateway;
  const testing::Member ada = gateway.SignUp(kEmail);
  REQUIRE(gateway.rest().Get("/v1/users/me", ada.token).status == 200);
  int status = 0;
  absl::StatusOr<std::string> page =
      testing::HttpGet(gateway.suite()->addresses("gateway").at("admin"), "/metrics", &status);
  REQUIRE(page.ok());
  CHECK(status == 200);
  CHECK(page->find("gateway_http_requests_total{route=\"GET /v1/users/{user}\",code=\"200\"}") !=
        std::string::npos);
  CHECK(page->find("gateway_http_request_seconds_bucket{route=\"GET /v1/users/{user}\"") !=
        std::string::npos);
  const absl::Status checked = testing::PromtoolCheckMetrics(*page);
  INFO(checked.message());
  CHECK(checked.ok());
}

TEST_CASE("gateway refuses missing, forged, expired and revoked tokens with 401",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  const testing::Member ada = gateway.SignUp(kEmail);
  Rest& rest = gateway.rest();

  const http::ClientResponse missing = rest.Get("/v1/users/me");
  CheckError(missing, 401, 16);
  CHECK(missing.Header("WWW-Authenticate") == "Bearer realm=\"bitcontent\"");

  // Accounts' key id, another key.
  const auth::SigningKey key = gateway.AccountsKey();
  const auth::SigningKey forger{key.key_id, crypto::NewSigningKeyPair()};
  accounts::v1::AccessTokenClaims claims;
  claims.set_token_id(crypto::RandomBytes(16));
  claims.set_user(ada.credentials.user());
  claims.set_session(absl::StrCat(ada.credentials.user(), "/sessions/", ada.session_id));
  *claims.mutable_issue_time() = auth::ProtoFromTime(absl::Now());
  *claims.mutable_expire_time() = auth::ProtoFromTime(absl::Now() + absl::Minutes(10));
  const http::ClientResponse forged =
      rest.Get("/v1/users/me", auth::IssueAccessToken(forger, claims));
  CheckError(forged, 401, 16);
  CHECK(std::string(forged.Header("WWW-Authenticate").value_or("")).find("invalid_token") !=
        std::string::npos);

  // Signed by accounts' own key, twenty minutes ago.
  *claims.mutable_issue_time() = auth::ProtoFromTime(absl::Now() - absl::Minutes(20));
  *claims.mutable_expire_time() = auth::ProtoFromTime(absl::Now() - absl::Minutes(10));
  const Struct expired =
      CheckError(rest.Get("/v1/users/me", auth::IssueAccessToken(key, claims)), 401, 16);
  CHECK(ReasonOf(expired) == "ERROR_REASON_TOKEN_EXPIRED");

  REQUIRE(rest.Get("/v1/users/me", ada.token).status == 200);
  // What accounts' revocation publisher writes when the session is signed out.
  auto redis = redis::Client::Connect({.address = gateway.suite()->redis_address()});
  REQUIRE(redis.ok());
  REQUIRE(
      (*redis)
          ->Run({"SET", absl::StrCat("bc:revoked:session:", ada.session_id), "1", "PX", "60000"})
          .ok());
  const Struct revoked = CheckError(rest.Get("/v1/users/me", ada.token), 401, 16);
  CHECK(ReasonOf(revoked) == "ERROR_REASON_TOKEN_REVOKED");
}

TEST_CASE("gateway exchanges an API key and holds it to its scopes", "[integration][gateway]") {
  GatewayWithAccounts gateway;
  const testing::Member ada = gateway.SignUp(kEmail);
  Rest& rest = gateway.rest();
  accounts::v1::CreateApiKeyRequest create;
  create.set_parent("users/me");
  create.set_display_name("backup script");
  create.add_scopes(common::v1::SCOPE_FILES_READ);
  absl::StatusOr<accounts::v1::CreateApiKeyResponse> api_key = ada.client->CreateApiKey(create);
  REQUIRE(api_key.ok());

  // Accounts never accepts an API key as a bearer token itself: this answer means the
  // gateway exchanged it for an access token carrying the key's scopes.
  const http::ClientResponse quota = rest.Get("/v1/users/me/quota", api_key->secret());
  INFO(quota.body);
  REQUIRE(quota.status == 200);

  http::Headers headers{{"Authorization", "Bearer " + api_key->secret()}};
  const http::ClientResponse refused =
      rest.Send("POST", "/v1/users/me/apiKeys", R"({"displayName": "x"})", headers);
  CheckError(refused, 403, 7);
  absl::StatusOr<std::vector<accounts::v1::ApiKey>> keys = ada.client->ListApiKeys(false);
  REQUIRE(keys.ok());
  CHECK(keys->size() == 1);  // Nothing was created.

  CheckError(rest.Get("/v1/users/me/quota",
                      "bck_0123456789abcdef_wrongwrongwrongwrongwrongwrongwrongwron"),
             401, 16);
}

TEST_CASE("gateway limits repeated failed logins with 429 and Retry-After",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  Rest& rest = gateway.rest();
  const std::string body = WrongLogin(kEmail);
  int refused = 0;
  for (int attempt = 0; attempt < 10; ++attempt) {
    const http::ClientResponse response = rest.Send("POST", "/v1/accounts:login", body);
    if (response.status == 401) ++refused;
  }
  CHECK(refused == 10);
  const http::ClientResponse limited = rest.Send("POST", "/v1/accounts:login", body);
  const Struct error = CheckError(limited, 429, 8);
  CHECK(ReasonOf(error) == "ERROR_REASON_RATE_LIMITED");
  int retry_after = 0;
  REQUIRE(absl::SimpleAtoi(std::string(limited.Header("Retry-After").value_or("")), &retry_after));
  CHECK(retry_after > 0);
  CHECK(retry_after <= 900);
}

TEST_CASE("with Redis stopped the gateway fails closed for tokens and limits in process",
          "[integration][gateway]") {
  GatewayWithAccounts gateway({"--credential_limit_email_attempts=3"});
  Rest& rest = gateway.rest();
  const std::string token = gateway.SignUp(kEmail).token;
  REQUIRE(rest.Get("/v1/users/me", token).status == 200);

  REQUIRE(gateway.suite()->StopService("redis", absl::Seconds(5)).ok());
  const http::ClientResponse refused = rest.Get("/v1/users/me", token);
  const Struct error = CheckError(refused, 503, 14);
  CHECK(error.fields().at("message").string_value().find("revocation list unavailable") !=
        std::string::npos);
  CHECK(refused.Header("Retry-After") == "1");

  // Public routes keep working...
  CHECK(rest.Get("/v1/keys").status == 200);
  // ...and stay rate limited, now by the gateway's own counters.
  const std::string body = WrongLogin(kEmail);
  for (int attempt = 0; attempt < 3; ++attempt) {
    CHECK(rest.Send("POST", "/v1/accounts:login", body).status == 401);
  }
  CheckError(rest.Send("POST", "/v1/accounts:login", body), 429, 8);
}

namespace {

// The client engine of a member's device `name`, against `suite`'s gateway.
std::unique_ptr<client::AccountClient> NewDevice(testing::TestSuite& suite,
                                                 const std::string& name) {
  absl::StatusOr<std::unique_ptr<client::AccountClient>> made = client::AccountClient::Create(
      {.server = "http://" + suite->addresses("gateway").at("public_rest"),
       .config_dir = (suite.var_dir() / ("device-" + name)).string(),
       .kdf_params = crypto::TestKdfParams(),
       .device_name = name});
  REQUIRE(made.ok());
  return *std::move(made);
}

}  // namespace

TEST_CASE("a revoked session stays refused when Redis restarts and forgets every revocation",
          "[integration][gateway]") {
  testing::TestSuite suite({"accounts", "gateway"}, testing::CheapAccounts());
  const auto device = [&](const std::string& name) { return NewDevice(suite, name); };
  Rest rest(suite->addresses("gateway").at("public_rest"));
  auto laptop = device("laptop");
  REQUIRE(laptop->SignUp(kEmail, "correct horse").ok());
  auto phone = device("phone");
  REQUIRE(phone->Login(kEmail, "correct horse").ok());
  absl::StatusOr<std::string> phone_token = phone->AccessToken();
  REQUIRE(phone_token.ok());
  // Uploads are metadata's, which this suite does not run: a token the gateway lets
  // through gets 503 "could not be reached", one it refuses 401 or, while the list is
  // being set again, 503 "revocation list unavailable".
  const std::string behind = "/v1/users/me/uploads";
  REQUIRE(laptop->ChangePassword("correct horse", "battery staple").ok());
  CheckError(rest.Get(behind, *phone_token), 401, 16);

  REQUIRE(suite->StopService("redis", absl::Seconds(5)).ok());
  REQUIRE(suite->StartService("redis").ok());  // Empty: Redis keeps nothing on disk.
  bool refused_again = false;
  for (int attempt = 0; attempt < 100 && !refused_again; ++attempt) {
    const http::ClientResponse answer = rest.Get(behind, *phone_token);
    INFO(answer.body);
    REQUIRE((answer.status == 401 ||
             (answer.status == 503 && absl::StrContains(answer.body, "revocation list"))));
    refused_again = answer.status == 401;
    if (!refused_again) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(refused_again);
  // The laptop's own session is let through again (to the service that is not there).
  absl::StatusOr<std::string> laptop_token = laptop->AccessToken();
  REQUIRE(laptop_token.ok());
  CHECK_FALSE(absl::StrContains(rest.Get(behind, *laptop_token).body, "revoked"));
}

TEST_CASE("gateway public gRPC proxies unary calls after the same checks",
          "[integration][gateway]") {
  GatewayWithAccounts gateway;
  auto channel = kit::NewChannel(gateway.suite()->addresses("gateway").at("public_grpc"));
  auto accounts = accounts::v1::AccountsService::NewStub(channel);

  accounts::v1::GetUserRequest request;
  request.set_name("users/me");
  accounts::v1::User user;
  auto anonymous = kit::NewCallContext(absl::Seconds(5));
  CHECK(accounts->GetUser(anonymous.get(), request, &user).error_code() ==
        grpc::StatusCode::UNAUTHENTICATED);

  const testing::Member ada = gateway.SignUp(kEmail);
  const std::string& token = ada.token;
  grpc::ClientContext member;
  member.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  member.AddMetadata("authorization", "Bearer " + token);
  member.AddMetadata("x-request-id", "grpc-trace-7");
  const grpc::Status status = accounts->GetUser(&member, request, &user);
  INFO(status.error_message());
  REQUIRE(status.ok());
  CHECK(user.name() == ada.credentials.user());
  CHECK(gateway.AccountsSaw("AccountsService/GetUser", "grpc-trace-7"));

  auto internal = accounts::v1::AccountsInternalService::NewStub(channel);
  accounts::v1::AuthenticateApiKeyResponse exchanged;
  auto internal_context = kit::NewCallContext(absl::Seconds(5));
  CHECK(internal->AuthenticateApiKey(internal_context.get(), {}, &exchanged).error_code() ==
        grpc::StatusCode::UNIMPLEMENTED);

  auto blobs = blobs::v1::BlobsService::NewStub(channel);
  auto stream_context = kit::NewCallContext(absl::Seconds(5));
  stream_context->AddMetadata("authorization", "Bearer " + token);
  auto reader = blobs->ReadChunks(stream_context.get(), {});
  blobs::v1::ReadChunkResponse chunk;
  while (reader->Read(&chunk)) {
  }
  const grpc::Status streamed = reader->Finish();
  // Streams are relayed like unary calls; this gateway has no blobs upstream to relay to.
  CHECK(streamed.error_code() == grpc::StatusCode::UNAVAILABLE);
  CHECK(streamed.error_message().find("not configured") != std::string::npos);
}

// Issue 3's journey, through the REST gateway and the real accounts service, with the
// client engine the CLI uses.
TEST_CASE(
    "accounts journey through the gateway: sign-up, second device, password change, "
    "recovery, scoped API key",
    "[integration][gateway][journey]") {
  testing::TestSuite suite({"accounts", "gateway"}, testing::CheapAccounts());
  const auto device = [&](const std::string& name) { return NewDevice(suite, name); };
  Rest rest(suite->addresses("gateway").at("public_rest"));

  auto laptop = device("laptop");
  absl::StatusOr<client::v1::Credentials> signed_up = laptop->SignUp(kEmail, "correct horse");
  INFO(signed_up.status().message());
  REQUIRE(signed_up.ok());
  absl::StatusOr<std::string> recovery_key = laptop->RecoveryKey();
  REQUIRE(recovery_key.ok());

  // Wrong password and unknown email: the same answer.
  auto stranger = device("stranger");
  const absl::Status wrong_password = stranger->Login(kEmail, "wrong horse").status();
  const absl::Status unknown_email = stranger->Login("nobody@example.com", "wrong horse").status();
  CHECK(wrong_password.code() == absl::StatusCode::kUnauthenticated);
  CHECK(wrong_password == unknown_email);

  auto phone = device("phone");
  REQUIRE(phone->Login(kEmail, "correct horse").ok());
  absl::StatusOr<std::string> phone_token = phone->AccessToken();
  REQUIRE(phone_token.ok());
  REQUIRE(rest.Get("/v1/users/me", *phone_token).status == 200);

  // The laptop changes the password: the phone's session is revoked at once.
  REQUIRE(laptop->ChangePassword("correct horse", "battery staple").ok());
  CheckError(rest.Get("/v1/users/me", *phone_token), 401, 16);
  CHECK(phone->WhoAmI().status().code() == absl::StatusCode::kUnauthenticated);
  REQUIRE(laptop->WhoAmI().ok());

  // Forgotten password: the recovery key sets a new one on a new device.
  auto tablet = device("tablet");
  absl::StatusOr<client::v1::Credentials> recovered =
      tablet->Recover(kEmail, *recovery_key, "new password");
  INFO(recovered.status().message());
  REQUIRE(recovered.ok());
  absl::StatusOr<accounts::v1::User> me = tablet->WhoAmI();
  REQUIRE(me.ok());
  CHECK(me->email() == kEmail);

  // An API key with files:read reads the quota and cannot manage keys.
  accounts::v1::CreateApiKeyRequest create;
  create.set_parent("users/me");
  create.set_display_name("backup script");
  create.add_scopes(common::v1::SCOPE_FILES_READ);
  absl::StatusOr<accounts::v1::CreateApiKeyResponse> api_key = tablet->CreateApiKey(create);
  INFO(api_key.status().message());
  REQUIRE(api_key.ok());
  const http::ClientResponse quota = rest.Get("/v1/users/me/quota", api_key->secret());
  INFO(quota.body);
  CHECK(quota.status == 200);
  CheckError(rest.Send("POST", "/v1/users/me/apiKeys", R"({"displayName": "escalate"})",
                       {{"Authorization", "Bearer " + api_key->secret()}}),
             403, 7);
}

}  // namespace
TEST_CASE("gateway PATCH routes change what their path names, whatever the body's name says",
          "[integration][gateway]") {
  testing::TestSuite suite({"accounts", "metadata", "wallet", "pricing", "gateway"},
                           testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  testing::Member ada = testing::SignUpMember(suite, "ada@example.com");
  testing::Member bob = testing::SignUpMember(suite, "bob@example.com");
  const http::Headers as_ada{{"Authorization", "Bearer " + ada.token}};
  const std::string bob_id =
      Json(rest.Get("/v1/users/me", bob.token).body).fields().at("name").string_value().substr(6);

  // The retention policy the path names is the caller's own, whatever the body names.
  const http::ClientResponse policy =
      rest.Send("PATCH", "/v1/users/me/retentionPolicy",
                absl::StrCat(R"({"retentionPolicy": {"name": "users/)", bob_id,
                             R"(/retentionPolicy", "maxVersions": 3}})"),
                as_ada);
  INFO(policy.body);
  REQUIRE(policy.status == 200);
  CHECK_THAT(policy.body, !Catch::Contains(bob_id));
  const auto versions_kept = [&](const std::string& token) {
    return Json(rest.Get("/v1/users/me/retentionPolicy", token).body)
        .fields()
        .at("maxVersions")
        .number_value();
  };
  CHECK(versions_kept(ada.token) == 3);
  CHECK(versions_kept(bob.token) != 3);

  // A paywall resource: the path's, not the one the body names, even another member's.
  const auto create = [&](const std::string& token, const std::string& key) {
    const http::ClientResponse made = rest.PostKeyed(
        "/v1/users/me/paywallResources",
        R"({"paywallResource": {"externalId": "a", "title": "Original", "priceMsat": "1000"}})",
        token, key);
    REQUIRE(made.status == 200);
    return Json(made.body).fields().at("name").string_value();
  };
  const std::string adas = create(ada.token, "ada-1");
  const std::string bobs = create(bob.token, "bob-1");
  const http::ClientResponse patched =
      rest.Send("PATCH", "/v1/" + adas,
                absl::StrCat(R"({"paywallResource": {"name": ")", bobs,
                             R"(", "title": "Changed"}, "updateMask": "title"})"),
                as_ada);
  INFO(patched.body);
  REQUIRE(patched.status == 200);
  CHECK(Json(patched.body).fields().at("name").string_value() == adas);
  CHECK_THAT(rest.Get("/v1/" + bobs, bob.token).body, Catch::Contains("Original"));
  CheckError(
      rest.Send("PATCH", "/v1/" + bobs,
                R"({"paywallResource": {"title": "Changed"}, "updateMask": "title"})", as_ada),
      403, 7);
  CHECK_THAT(rest.Get("/v1/" + bobs, bob.token).body, Catch::Contains("Original"));
}

}  // namespace bitcontent
