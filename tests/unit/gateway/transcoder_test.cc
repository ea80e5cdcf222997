// REST <-> gRPC transcoding by the proto3 JSON mapping: bodies, path bindings, query
// parameters, refusals that name the offending field, and rendering.
#include "services/gateway/transcoder.h"

#include <catch2/catch.hpp>

#include "absl/strings/match.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "libs/kit/error_details.h"
#include "services/gateway/routes.h"

namespace bitcontent::gateway {
namespace {

const Route& RouteAt(absl::string_view method, absl::string_view path) {
  for (const Route& route : Routes()) {
    if (route.http_method == method && route.path == path) return route;
  }
  FAIL("no route " << method << " " << path);
  return Routes().front();
}

Transcoder For(absl::string_view method, absl::string_view path) {
  LinkContracts();
  absl::StatusOr<Transcoder> transcoder = Transcoder::ForRoute(RouteAt(method, path));
  REQUIRE(transcoder.ok());
  return *std::move(transcoder);
}

TEST_CASE("gateway transcoder parses a JSON body into the request message",
          "[gateway][transcoder]") {
  const Transcoder login = For("POST", "/v1/accounts:login");
  http::Request request;
  request.body =
      R"({"email": "ada@example.com", "authKey": "AAEC", "device": {"displayName": "laptop"}})";
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed = login.ParseRequest(request);
  REQUIRE(parsed.ok());
  const auto& message = dynamic_cast<const accounts::v1::LoginRequest&>(**parsed);
  CHECK(message.email() == "ada@example.com");
  CHECK(message.auth_key() == std::string("\x00\x01\x02", 3));

  // Proto field names are accepted too, as the JSON mapping says.
  request.body = R"({"auth_key": "AAEC"})";
  CHECK(login.ParseRequest(request).ok());
}

TEST_CASE("gateway transcoder refuses unknown fields and bad JSON, naming them",
          "[gateway][transcoder]") {
  const Transcoder login = For("POST", "/v1/accounts:login");
  http::Request request;
  request.body = R"({"email": "ada@example.com", "pasword": "x"})";
  absl::Status unknown = login.ParseRequest(request).status();
  CHECK(unknown.code() == absl::StatusCode::kInvalidArgument);
  CHECK(unknown.message() == "pasword: unknown field in the request body (LoginRequest)");
  REQUIRE(kit::DetailsOf(unknown).field_violations_size() == 1);
  CHECK(kit::DetailsOf(unknown).field_violations(0).field() == "pasword");

  request.body = R"({"device": {"nam": "laptop"}})";
  absl::Status nested = login.ParseRequest(request).status();
  CHECK(nested.code() == absl::StatusCode::kInvalidArgument);
  CHECK(absl::StartsWith(nested.message(), "device.nam: unknown field"));

  // A value of the wrong type names its field and what it must be.
  request.body = R"({"email": 5})";
  absl::Status typed = login.ParseRequest(request).status();
  CHECK(typed.message() == "email: must be a string, not 5");
  CHECK(kit::DetailsOf(typed).field_violations(0).field() == "email");
  // A whole number the field cannot hold is too large, not "not an integer".
  const Transcoder pay = For("POST", "/v1/users/{user}/wallet:pay");
  request.body = R"({"amountMsat": "18446744073709551616"})";
  CHECK(pay.ParseRequest(request).status().message() ==
        "amount_msat: must be an integer from 0 to 18446744073709551615, not "
        "\"18446744073709551616\"");
  request.body = R"({"amountMsat": "1.5"})";
  CHECK(pay.ParseRequest(request).status().message() ==
        "amount_msat: must be an integer (a number or a string of digits), not \"1.5\"");
  // Two ways of giving one thing (a oneof): the second named, in the API's words.
  request.body = R"({"payeeEmail": "bob@example.com", "payeeWallet": "users/me/wallet"})";
  const absl::Status both = pay.ParseRequest(request).status();
  CHECK(both.message() ==
        "payeeWallet: is one way to give payee, and another was given too: send only one");
  CHECK(kit::DetailsOf(both).field_violations(0).field() == "payeeWallet");

  // Broken JSON, or JSON that is not an object: said plainly, without the parser's
  // picture of where it stopped.
  request.body = R"({"email": )";
  absl::Status broken = login.ParseRequest(request).status();
  CHECK(broken.code() == absl::StatusCode::kInvalidArgument);
  CHECK(broken.message().find("LoginRequest") != absl::string_view::npos);
  CHECK(broken.message().find('\n') == absl::string_view::npos);
  request.body = "[]";
  CHECK(login.ParseRequest(request).status().message() ==
        "the request body must be a JSON object (a LoginRequest), not another value");
}

TEST_CASE("gateway transcoder fills names from path parameters and refuses a slash in one",
          "[gateway][transcoder]") {
  const Transcoder revoke = For("POST", "/v1/users/{user}/sessions/{session}:revoke");
  http::Request request;
  request.path_params = {{"user", "me"}, {"session", "01HXSESSION"}};
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed = revoke.ParseRequest(request);
  REQUIRE(parsed.ok());
  CHECK(dynamic_cast<const accounts::v1::RevokeSessionRequest&>(**parsed).name() ==
        "users/me/sessions/01HXSESSION");

  // The path wins over a body that names another resource.
  request.body = R"({"name": "users/someone-else/sessions/x"})";
  parsed = revoke.ParseRequest(request);
  REQUIRE(parsed.ok());
  CHECK(dynamic_cast<const accounts::v1::RevokeSessionRequest&>(**parsed).name() ==
        "users/me/sessions/01HXSESSION");

  // "%2F" decodes to '/', which would reach another resource.
  request.body.clear();
  request.path_params = {{"user", "me/sessions/other"}, {"session", "x"}};
  CHECK(revoke.ParseRequest(request).status().code() == absl::StatusCode::kInvalidArgument);

  // "%FF" decodes to a byte no UTF-8 text holds: the client's mistake, said as such.
  request.path_params = {{"user", "me"}, {"session", "\xff"}};
  const absl::Status not_text = revoke.ParseRequest(request).status();
  CHECK(not_text.code() == absl::StatusCode::kInvalidArgument);
  CHECK(not_text.message().find("path parameter {session} is not UTF-8") !=
        absl::string_view::npos);
}

TEST_CASE("gateway transcoder sets scalar fields from the query and refuses unknown ones",
          "[gateway][transcoder]") {
  const Transcoder list = For("GET", "/v1/users/{user}/apiKeys");
  http::Request request;
  request.path_params = {{"user", "me"}};
  request.query = {{"pageSize", "20"}, {"page_token", "abc"}, {"showInactive", "true"}};
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed = list.ParseRequest(request);
  REQUIRE(parsed.ok());
  const auto& message = dynamic_cast<const accounts::v1::ListApiKeysRequest&>(**parsed);
  CHECK(message.parent() == "users/me");
  CHECK(message.page_size() == 20);
  CHECK(message.page_token() == "abc");
  CHECK(message.show_inactive());

  request.query = {{"pageSize", "twenty"}};
  CHECK(list.ParseRequest(request).status().code() == absl::StatusCode::kInvalidArgument);
  request.query = {{"pageToken", "\xff\xfe"}};
  CHECK(list.ParseRequest(request).status().message().find(
            "query parameter \"pageToken\" is not UTF-8") != absl::string_view::npos);
  request.query = {{"color", "blue"}};
  absl::Status unknown = list.ParseRequest(request).status();
  CHECK(unknown.code() == absl::StatusCode::kInvalidArgument);
  CHECK(unknown.message().find("\"color\"") != absl::string_view::npos);

  // A GET route takes no body.
  request.query.clear();
  request.body = R"({"pageSize": 5})";
  CHECK(list.ParseRequest(request).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("gateway transcoder sets fields inside message fields by dotted query names",
          "[gateway][transcoder]") {
  const Transcoder history = For("GET", "/v1/users/{user}/wallet/transactions");
  http::Request request;
  request.path_params = {{"user", "me"}};
  request.query = {{"timeRange.startTime", "2026-12-01T10:00:00Z"}, {"pageSize", "5"}};
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed = history.ParseRequest(request);
  REQUIRE(parsed.ok());
  const auto& message = dynamic_cast<const wallet::v1::ListWalletTransactionsRequest&>(**parsed);
  CHECK(message.time_range().start_time().seconds() == 1796119200);
  CHECK_FALSE(message.time_range().has_end_time());
  CHECK(message.page_size() == 5);

  request.query = {{"timeRange.startTime", "yesterday"}};
  absl::Status bad_time = history.ParseRequest(request).status();
  CHECK(bad_time.code() == absl::StatusCode::kInvalidArgument);
  CHECK(bad_time.message().find("RFC 3339") != absl::string_view::npos);
  CHECK(bad_time.message().find("\"timeRange.startTime\"") != absl::string_view::npos);
  request.query = {{"timeRange.color", "blue"}};
  CHECK(history.ParseRequest(request).status().code() == absl::StatusCode::kInvalidArgument);
  // A whole message is not a query parameter; nor is a path through a scalar.
  request.query = {{"timeRange", "x"}};
  CHECK(history.ParseRequest(request).status().code() == absl::StatusCode::kInvalidArgument);
  request.query = {{"pageSize.x", "1"}};
  CHECK(history.ParseRequest(request).status().code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("gateway transcoder renders responses by the JSON mapping", "[gateway][transcoder]") {
  accounts::v1::LookupUserPublicKeyResponse response;
  response.set_user("users/01HX");
  response.set_public_key(std::string("\xff\x00", 2));
  absl::StatusOr<std::string> json = Transcoder::RenderJson(response);
  REQUIRE(json.ok());
  CHECK(*json == R"({"user":"users/01HX","publicKey":"/wA="})");
}

}  // namespace
}  // namespace bitcontent::gateway
