#include "libs/http/router.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>

namespace bitcontent::http {
namespace {

using Outcome = RouteMatch::Outcome;

// A handler that answers with its own name, so a test can tell which route matched.
Handler Named(std::string name) {
  return [name = std::move(name)](const Request&) { return Response::Text(200, name); };
}

std::string Run(const RouteMatch& match) {
  REQUIRE(match.outcome == Outcome::kFound);
  REQUIRE(match.handler != nullptr);
  std::string body;
  (*match.handler)(std::make_shared<const Request>(),
                   Responder([&body](Response response) { body = std::move(response.body); }));
  return body;
}

TEST_CASE("http router matches literal segments and parameters", "[http][router]") {
  Router router;
  REQUIRE(router.Add("GET", "/", Named("root")).ok());
  REQUIRE(router.Add("GET", "/v1/files/{id}", Named("file")).ok());
  REQUIRE(router.Add("GET", "/v1/files/{id}/versions/{version}", Named("version")).ok());

  CHECK(Run(router.Match("GET", "/")) == "root");

  RouteMatch file = router.Match("GET", "/v1/files/abc");
  CHECK(Run(file) == "file");
  CHECK(file.path_params == Params{{"id", "abc"}});

  RouteMatch version = router.Match("GET", "/v1/files/a%2Fb%20c/versions/7");
  CHECK(Run(version) == "version");
  CHECK(version.path_params == Params{{"id", "a/b c"}, {"version", "7"}});

  CHECK(router.Match("GET", "/v1/files").outcome == Outcome::kNotFound);
  CHECK(router.Match("GET", "/v1/files/").outcome == Outcome::kNotFound);
  CHECK(router.Match("GET", "/v1/files/abc/extra").outcome == Outcome::kNotFound);
  CHECK(router.Match("GET", "/v2/files/abc").outcome == Outcome::kNotFound);
}

TEST_CASE("http router prefers literal segments and backtracks to parameters", "[http][router]") {
  Router router;
  REQUIRE(router.Add("GET", "/v1/files/{id}", Named("by-id")).ok());
  REQUIRE(router.Add("GET", "/v1/files/search", Named("search")).ok());
  REQUIRE(router.Add("GET", "/a/{x}/c", Named("param-then-c")).ok());
  REQUIRE(router.Add("GET", "/a/b/d", Named("literal-b-d")).ok());

  CHECK(Run(router.Match("GET", "/v1/files/search")) == "search");
  CHECK(Run(router.Match("GET", "/v1/files/other")) == "by-id");
  CHECK(Run(router.Match("GET", "/a/b/d")) == "literal-b-d");
  // The literal "b" branch has no "c" below it, so the parameter branch must answer.
  RouteMatch backtracked = router.Match("GET", "/a/b/c");
  CHECK(Run(backtracked) == "param-then-c");
  CHECK(backtracked.path_params == Params{{"x", "b"}});
}

TEST_CASE("http router reports 405 with the allowed methods and serves HEAD from GET",
          "[http][router]") {
  Router router;
  REQUIRE(router.Add("POST", "/items", Named("create")).ok());
  REQUIRE(router.Add("GET", "/items", Named("list")).ok());
  REQUIRE(router.Add("PUT", "/only-put", Named("put")).ok());

  RouteMatch refused = router.Match("DELETE", "/items");
  CHECK(refused.outcome == Outcome::kMethodNotAllowed);
  CHECK(refused.allow == "GET, HEAD, POST");
  CHECK(refused.handler == nullptr);

  CHECK(Run(router.Match("HEAD", "/items")) == "list");
  CHECK(router.Match("HEAD", "/only-put").outcome == Outcome::kMethodNotAllowed);
  CHECK(router.Match("HEAD", "/only-put").allow == "PUT");
  CHECK(router.Match("get", "/items").outcome == Outcome::kMethodNotAllowed);
}

TEST_CASE("http router rejects malformed and repeated routes", "[http][router]") {
  Router router;
  REQUIRE(router.Add("GET", "/v1/files/{id}", Named("file")).ok());

  CHECK(router.Add("GET", "/v1/files/{other}", Named("again")).code() ==
        absl::StatusCode::kAlreadyExists);
  CHECK(router.Add("POST", "/v1/files/{other}", Named("post")).ok());
  CHECK(router.Add("get", "/x", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("", "/x", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("GET", "x", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("GET", "", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("GET", "/a/{}", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("GET", "/a/{b-c}", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("GET", "/a/b{c}", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("GET", "/a/{x}/{x}", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("GET", "/a%20b", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("GET", "/empty", Handler()).code() == absl::StatusCode::kInvalidArgument);

  std::string deep;
  for (size_t i = 0; i <= Router::kSegmentsMax; ++i) deep += "/s";
  CHECK(router.Add("GET", deep, Named("deep")).code() == absl::StatusCode::kInvalidArgument);
}

TEST_CASE("http router refuses malformed and overlong paths", "[http][router]") {
  Router router;
  REQUIRE(router.Add("GET", "/{anything}", Named("any")).ok());

  CHECK(router.Match("GET", "/a%zz").outcome == Outcome::kBadPath);
  CHECK(router.Match("GET", "/a%2").outcome == Outcome::kBadPath);
  CHECK(router.Match("GET", "*").outcome == Outcome::kBadPath);
  CHECK(router.Match("GET", "").outcome == Outcome::kBadPath);
  CHECK(router.Match("GET", "http://example.com/a").outcome == Outcome::kBadPath);

  std::string deep;
  for (size_t i = 0; i < 10000; ++i) deep += "/s";
  CHECK(router.Match("GET", deep).outcome == Outcome::kNotFound);
}

}  // namespace
}  // namespace bitcontent::http

namespace bitcontent::http {
namespace {

TEST_CASE("http router matches literal segments that hold a colon", "[http][router]") {
  Router router;
  REQUIRE(router.Add("POST", "/v1/accounts:login", Named("login")).ok());
  REQUIRE(router.Add("POST", "/v1/accounts:signUp", Named("signup")).ok());

  CHECK(Run(router.Match("POST", "/v1/accounts:login")) == "login");
  CHECK(Run(router.Match("POST", "/v1/accounts:signUp")) == "signup");
  CHECK(router.Match("POST", "/v1/accounts").outcome == Outcome::kNotFound);
  CHECK(router.Match("POST", "/v1/accounts:logout").outcome == Outcome::kNotFound);
}

TEST_CASE("http router matches a parameter followed by a verb suffix", "[http][router]") {
  Router router;
  REQUIRE(router.Add("GET", "/v1/users/{user}", Named("get-user")).ok());
  REQUIRE(router.Add("POST", "/v1/users/{user}:changePassword", Named("change-password")).ok());
  REQUIRE(router.Add("POST", "/v1/users/{user}/sessions/{session}:revoke", Named("revoke")).ok());
  REQUIRE(router.Add("GET", "/v1/users/{user}/sessions/{session}", Named("session")).ok());
  REQUIRE(router.Add("POST", "/v1/users/{user}/sessions/current:revoke", Named("literal")).ok());

  RouteMatch revoke = router.Match("POST", "/v1/users/me/sessions/01HX:revoke");
  CHECK(Run(revoke) == "revoke");
  CHECK(revoke.path_params == Params{{"user", "me"}, {"session", "01HX"}});

  RouteMatch change = router.Match("POST", "/v1/users/u1:changePassword");
  CHECK(Run(change) == "change-password");
  CHECK(change.path_params == Params{{"user", "u1"}});

  // A literal segment wins over "{name}:verb", which wins over a plain parameter (as
  // everywhere in the router, the path decides before the method does); a verb no route
  // declares is not a plain parameter's value, so it is not found (a typo in a verb is
  // 404, not 405 for the resource's own path).
  CHECK(Run(router.Match("POST", "/v1/users/me/sessions/current:revoke")) == "literal");
  CHECK(router.Match("GET", "/v1/users/me/sessions/01HX:revoke").allow == "POST");
  CHECK(router.Match("GET", "/v1/users/me/sessions/01HX:other").outcome == Outcome::kNotFound);
  CHECK(router.Match("POST", "/v1/users/me/sessions/01HX:revok").outcome == Outcome::kNotFound);
  CHECK(Run(router.Match("GET", "/v1/users/u1")) == "get-user");

  // The value before the verb must not be empty, and another verb does not match.
  CHECK(router.Match("POST", "/v1/users/me/sessions/:revoke").outcome == Outcome::kNotFound);
  CHECK(router.Match("POST", "/v1/users/me/sessions/01HX:delete").outcome == Outcome::kNotFound);
  CHECK(router.Match("DELETE", "/v1/users/me/sessions/01HX:revoke").allow == "POST");
}

TEST_CASE("http router rejects malformed verb suffixes", "[http][router]") {
  Router router;
  CHECK(router.Add("POST", "/a/{x}:", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("POST", "/a/{x}:do-it", Named("x")).code() ==
        absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("POST", "/a/{}:go", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("POST", "/a/{x}y", Named("x")).code() == absl::StatusCode::kInvalidArgument);
  CHECK(router.Add("POST", "/a/{x}:go", Named("x")).ok());
  CHECK(router.Add("POST", "/a/{y}:go", Named("y")).code() == absl::StatusCode::kAlreadyExists);
}

TEST_CASE("http router hands what no route takes to its fallback", "[http][router]") {
  Router router;
  REQUIRE(router.Add("GET", "/known", Named("known")).ok());
  router.SetFallback(Named("fallback"));

  CHECK(Run(router.Match("GET", "/known")) == "known");
  CHECK(Run(router.Match("GET", "/unknown/path")) == "fallback");
  RouteMatch other_method = router.Match("OPTIONS", "/known");
  CHECK(Run(other_method) == "fallback");
  CHECK(other_method.path_params.empty());
  CHECK(router.Match("GET", "/a%zz").outcome == Outcome::kBadPath);
}

}  // namespace
}  // namespace bitcontent::http
