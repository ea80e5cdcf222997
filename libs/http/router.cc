#include "libs/http/router.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/http/absl_string.h"

namespace bitcontent::http {

namespace {

// Orders suffixes longest first, then alphabetically.
struct LongerFirst {
  bool operator()(const std::string& a, const std::string& b) const {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  }
};

}  // namespace

struct Router::Node {
  // One handler declared here, with the names of its pattern's {parameters} in order;
  // names live here, not on nodes, so "/a/{x}" and "/a/{y}/b" can share a node.
  struct Endpoint {
    AsyncHandler handler;
    std::vector<std::string> param_names;
  };
  using Endpoints = std::map<std::string, Endpoint, std::less<>>;  // By method.

  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  // "{name}:verb" segments by their suffix (":verb"), longest suffix first, so the most
  // specific one is tried first.
  std::map<std::string, std::unique_ptr<Node>, LongerFirst> suffixed;
  std::unique_ptr<Node> parameter;  // Matches any one non-empty segment.
  Endpoints endpoints;
};

namespace {

bool IsParameter(std::string_view segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// A parameter segment split into its name and its literal suffix: "{session}:revoke"
// -> {"session", ":revoke"}; "{id}" -> {"id", ""}. Nullopt for anything else.
struct ParameterSegment {
  std::string_view name;
  std::string_view suffix;
};
std::optional<ParameterSegment> ParseParameter(std::string_view segment) {
  if (IsParameter(segment)) return ParameterSegment{segment.substr(1, segment.size() - 2), {}};
  if (segment.empty() || segment.front() != '{') return std::nullopt;
  const size_t close = segment.find("}:");
  if (close == std::string_view::npos) return std::nullopt;
  return ParameterSegment{segment.substr(1, close - 1), segment.substr(close + 1)};
}

// A verb suffix is ':' and then a non-empty word: ":revoke", ":changePassword".
bool IsValidSuffix(std::string_view suffix) {
  if (suffix.size() < 2 || suffix.front() != ':') return false;
  for (const char c : suffix.substr(1)) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word) return false;
  }
  return true;
}

bool IsValidParameterName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word) return false;
  }
  return true;
}

bool IsValidMethod(std::string_view method) {
  if (method.empty() || method.size() > 16) return false;
  for (const char c : method) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// Splits "/a/b" into {"a", "b"}; "/" gives {""}. Requires a leading '/'. Stops after
// kSegmentsMax + 1 segments: that many already means "too deep".
std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  for (;;) {
    const size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos || segments.size() > Router::kSegmentsMax) {
      return segments;
    }
    path.remove_prefix(slash + 1);
  }
}

// `endpoints` maps method names to endpoints (Router::Node::Endpoints, private).
template <typename EndpointsByMethod>
std::string AllowedMethods(const EndpointsByMethod& endpoints) {
  std::set<std::string> methods;
  for (const auto& [method, endpoint] : endpoints) methods.insert(method);
  if (methods.contains("GET")) methods.insert("HEAD");
  return absl::StrJoin(methods, ", ");
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

namespace {

// A synchronous handler as an asynchronous one that answers before it returns.
AsyncHandler Answering(Handler handler) {
  if (!handler) return nullptr;
  return [handler = std::move(handler)](std::shared_ptr<const Request> request, Responder respond) {
    respond.Answer(handler(*request));
  };
}

// Prints why wiring code's route is wrong and aborts (see Router::Route).
void RequireRoute(const absl::Status& status) {
  if (status.ok()) return;
  std::fprintf(stderr, "http: %s\n", std::string(status.message()).c_str());
  std::fflush(stderr);
  std::abort();
}

}  // namespace

absl::Status Router::Add(std::string_view method, std::string_view pattern, Handler handler) {
  return AddAsync(method, pattern, Answering(std::move(handler)));
}

absl::Status Router::AddAsync(std::string_view method, std::string_view pattern,
                              AsyncHandler handler) {
  if (!IsValidMethod(method)) {
    return absl::InvalidArgumentError(
        absl::StrCat("route method must be an upper-case token: '", ToAbsl(method), "'"));
  }
  if (pattern.empty() || pattern.front() != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("route pattern must start with '/': '", ToAbsl(pattern), "'"));
  }
  const std::vector<std::string_view> segments = SplitSegments(pattern);
  if (segments.size() > kSegmentsMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("route pattern has too many segments: ", ToAbsl(pattern)));
  }
  if (!handler) return absl::InvalidArgumentError("route handler is empty");

  Node::Endpoint endpoint{std::move(handler), {}};
  Node* node = root_.get();
  for (const std::string_view segment : segments) {
    std::unique_ptr<Node>* next = nullptr;
    if (const std::optional<ParameterSegment> parameter = ParseParameter(segment)) {
      const std::string_view name = parameter->name;
      if (!IsValidParameterName(name) ||
          (!parameter->suffix.empty() && !IsValidSuffix(parameter->suffix))) {
        return absl::InvalidArgumentError(absl::StrCat("bad parameter name in ", ToAbsl(pattern)));
      }
      for (const std::string& seen : endpoint.param_names) {
        if (seen == name) {
          return absl::InvalidArgumentError(
              absl::StrCat("repeated parameter in ", ToAbsl(pattern)));
        }
      }
      endpoint.param_names.emplace_back(name);
      next = parameter->suffix.empty() ? &node->parameter
                                       : &node->suffixed[std::string(parameter->suffix)];
    } else {
      if (segment.find_first_of("{}%") != std::string_view::npos) {
        return absl::InvalidArgumentError(absl::StrCat("bad literal segment in ", ToAbsl(pattern)));
      }
      next = &node->literals[std::string(segment)];
    }
    if (*next == nullptr) *next = std::make_unique<Node>();
    node = next->get();
  }
  if (node->endpoints.contains(method)) {
    return absl::AlreadyExistsError(
        absl::StrCat("route already declared: ", ToAbsl(method), " ", ToAbsl(pattern)));
  }
  node->endpoints.emplace(std::string(method), std::move(endpoint));
  return absl::OkStatus();
}

void Router::Route(std::string_view method, std::string_view pattern, Handler handler) {
  RequireRoute(Add(method, pattern, std::move(handler)));
}

void Router::RouteAsync(std::string_view method, std::string_view pattern, AsyncHandler handler) {
  RequireRoute(AddAsync(method, pattern, std::move(handler)));
}

void Router::SetFallback(Handler handler) { fallback_ = Answering(std::move(handler)); }

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch match = MatchRoutes(method, path);
  if (!fallback_ || match.outcome == RouteMatch::Outcome::kFound ||
      match.outcome == RouteMatch::Outcome::kBadPath) {
    return match;
  }
  RouteMatch fallback;
  fallback.outcome = RouteMatch::Outcome::kFound;
  fallback.handler = &fallback_;
  return fallback;
}

RouteMatch Router::MatchRoutes(std::string_view method, std::string_view path) const {
  RouteMatch match;
  if (path.empty() || path.front() != '/') {
    match.outcome = RouteMatch::Outcome::kBadPath;
    return match;
  }
  const std::vector<std::string_view> raw_segments = SplitSegments(path);
  if (raw_segments.size() > kSegmentsMax) return match;  // kNotFound.

  std::vector<std::string> segments;
  segments.reserve(raw_segments.size());
  for (const std::string_view raw : raw_segments) {
    absl::StatusOr<std::string> segment = PercentDecode(raw, /*plus_is_space=*/false);
    if (!segment.ok()) {
      match.outcome = RouteMatch::Outcome::kBadPath;
      return match;
    }
    segments.push_back(*std::move(segment));
  }

  std::vector<std::string_view> values;
  const Node* node = Find(*root_, segments, 0, values);
  if (node == nullptr) return match;  // kNotFound.

  auto endpoint = node->endpoints.find(method);
  if (endpoint == node->endpoints.end() && method == "HEAD") {
    endpoint = node->endpoints.find(std::string_view("GET"));
  }
  if (endpoint == node->endpoints.end()) {
    match.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    match.allow = AllowedMethods(node->endpoints);
    return match;
  }
  match.outcome = RouteMatch::Outcome::kFound;
  match.handler = &endpoint->second.handler;
  // Every branch to a node has one value per parameter segment, and so one per name.
  assert(values.size() == endpoint->second.param_names.size());
  for (size_t i = 0; i < values.size(); ++i) {
    match.path_params.emplace_back(endpoint->second.param_names[i], values[i]);
  }
  return match;
}

const Router::Node* Router::Find(const Node& node, const std::vector<std::string>& segments,
                                 size_t index, std::vector<std::string_view>& values) {
  if (index == segments.size()) return node.endpoints.empty() ? nullptr : &node;
  const std::string& segment = segments[index];
  if (auto literal = node.literals.find(segment); literal != node.literals.end()) {
    if (const Node* found = Find(*literal->second, segments, index + 1, values)) {
      return found;
    }
  }
  for (const auto& [suffix, child] : node.suffixed) {
    if (segment.size() <= suffix.size() || !segment.ends_with(suffix)) continue;
    values.push_back(std::string_view(segment).substr(0, segment.size() - suffix.size()));
    if (const Node* found = Find(*child, segments, index + 1, values)) return found;
    values.pop_back();
  }
  // The last segment's ":verb" is a custom method, never part of a plain parameter's
  // value: "/v1/nodes/ID:tras" (a verb no route has) is not found, rather than taken as
  // "/v1/nodes/{node}" with the id "ID:tras".
  const bool verb_last = index + 1 == segments.size() && segment.find(':') != std::string::npos;
  if (node.parameter != nullptr && !segment.empty() && !verb_last) {
    values.push_back(segment);
    if (const Node* found = Find(*node.parameter, segments, index + 1, values)) {
      return found;
    }
    values.pop_back();
  }
  return nullptr;
}

}  // namespace bitcontent::http
