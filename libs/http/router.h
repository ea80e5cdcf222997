// Router: maps (method, path) to the handler declared for it.
//
// Routes are declared once, before the server starts, as a method and a pattern of
// '/'-separated segments: literal segments match exactly (after percent-decoding; they
// may hold ':' as in "/v1/accounts:login"), a "{name}" segment matches any one
// non-empty segment, whose decoded value the handler reads with
// Request::PathParam("name"), and a "{name}:verb" segment matches a segment that ends
// in ":verb" after a non-empty value (AIP-136 custom methods such as
// "/v1/users/{user}/sessions/{session}:revoke"). When several patterns match, literal
// segments win over "{name}:verb" segments, which win over plain parameters, left to
// right. A plain parameter in the last segment does not match a segment holding ':': a
// custom method no route declares ("/v1/nodes/ID:tras") is not found, not an odd id.
// HEAD is answered by the GET handler unless a HEAD route exists. A fallback handler,
// when set, answers what no route takes (instead of 404 and 405), so a front door can
// give those answers its own shape. The router is immutable while serving, so lookups
// take no lock.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "libs/http/request.h"
#include "libs/http/responder.h"
#include "libs/http/response.h"
#include "libs/http/url.h"

namespace bitcontent::http {

// A synchronous handler; it runs on a server I/O thread, so it must not block for long.
// An exception it throws becomes a 500 answer.
using Handler = std::function<Response(const Request&)>;

// An asynchronous handler: it starts the work and returns; whoever finishes the work
// answers through the Responder, on any thread. The request stays alive as long as a
// copy of the pointer does. The connection reads nothing more until the answer is sent.
using AsyncHandler = std::function<void(std::shared_ptr<const Request>, Responder)>;

// The result of Router::Match.
struct RouteMatch {
  enum class Outcome {
    kFound,             // `handler` and `path_params` are set.
    kNotFound,          // No pattern matches the path: answer 404.
    kMethodNotAllowed,  // A pattern matches, not for this method: 405 with `allow`.
    kBadPath,           // The path is not "/..." or has a malformed escape: 400.
  };
  Outcome outcome = Outcome::kNotFound;
  const AsyncHandler* handler = nullptr;  // Owned by the router.
  Params path_params;
  std::string allow;  // Comma-separated methods, e.g. "GET, HEAD, POST".
};

class Router {
 public:
  // Most segments a pattern or a matched path may have; deeper paths are not found.
  static constexpr size_t kSegmentsMax = 32;

  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Declares `handler` for `method` (upper-case token, e.g. "GET") on `pattern` (e.g.
  // "/v1/files/{id}"). Returns InvalidArgument for a malformed method or pattern and
  // AlreadyExists if the same method is already declared on an equivalent pattern.
  absl::Status Add(std::string_view method, std::string_view pattern, Handler handler);

  // Like Add, for an asynchronous handler.
  absl::Status AddAsync(std::string_view method, std::string_view pattern, AsyncHandler handler);

  // Like Add, for wiring code whose routes are literals: a bad or repeated route is a
  // programming error found on the first run, so it prints the reason and aborts.
  void Route(std::string_view method, std::string_view pattern, Handler handler);

  // Like Route, for an asynchronous handler.
  void RouteAsync(std::string_view method, std::string_view pattern, AsyncHandler handler);

  // Declares the handler for requests no route takes: Match returns it (kFound, no
  // path parameters) where it would otherwise answer kNotFound or kMethodNotAllowed.
  // Malformed paths stay kBadPath.
  void SetFallback(Handler handler);

  // Finds the handler for `method` on the raw (percent-encoded) `path`.
  RouteMatch Match(std::string_view method, std::string_view path) const;

 private:
  struct Node;

  // Depth-first search from `node` for segments[index...]: the literal child first, then
  // the "{name}:verb" children, then the parameter child, backtracking when a branch
  // dead-ends. `values` collects the parameter values along the branch being tried.
  static const Node* Find(const Node& node, const std::vector<std::string>& segments, size_t index,
                          std::vector<std::string_view>& values);

  // The result of Match without the fallback.
  RouteMatch MatchRoutes(std::string_view method, std::string_view path) const;

  std::unique_ptr<Node> root_;
  AsyncHandler fallback_;
};

}  // namespace bitcontent::http
