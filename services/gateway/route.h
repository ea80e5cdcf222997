// Route: how one public REST route (and the public gRPC method behind it) is exposed —
// the declaration every entry of the route table (routes.cc) is made of.
//
// A route names the gRPC method it maps to, says how the path parameters fill the
// request message ({user} -> name = "users/{user}"), whether the JSON body is the
// request message, and who may call it. Everything else — authentication, scopes, rate
// limits, transcoding, errors, the OpenAPI document — is derived from these fields, so
// exposing a new RPC is one entry in the table and no code.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bitcontent/common/v1/principal.pb.h"

namespace bitcontent::gateway {

// Who may call a route.
enum class Access {
  kPublic,    // Anyone; no token needed (sign-up, login, keys...). A token sent is ignored.
  kMember,    // A member's session, or an API key holding `scope` when api_keys is set.
  kOperator,  // A session of a member with the operator role; never an API key.
  // Anyone, and a token when one is sent: it is checked as for kMember (an invalid one
  // is 401, never silently anonymous) and forwarded, so the service knows the member.
  // Public links: a buyer of a priced file gets its grant with their token.
  kPublicOrMember,
};

// Which rate limits apply besides the per-IP one.
enum class Limit {
  kDefault,     // Per principal (authenticated routes) and per client IP.
  kCredential,  // Credential attempts (login, pre-login, recovery, claim): also per
                // normalised email and, more tightly, per client IP.
  kChunks,      // Chunk transfers: a budget of their own per principal and per IP,
                // sized for bytes in flight (a 1 GiB file is 1,024 requests), so a
                // download does not use up the budget of every other call.
};

struct AuthPolicy {
  Access access = Access::kMember;
  // Whether an API key may call the route (kMember only).
  bool api_keys = false;
  // The scope an API key needs; SCOPE_UNSPECIFIED lets any API key call (api_keys set).
  common::v1::Scope scope = common::v1::SCOPE_UNSPECIFIED;
  Limit limit = Limit::kDefault;
};

// Fills the string field `field` of the request with `value_template`, whose {name}
// parts are replaced by the path parameters: {"name", "users/{user}"}. A number field
// takes exactly one parameter: {"index", "{index}"}. A field inside a message field is
// named by its path: {"price.name", "nodes/{node}/price"}.
struct Binding {
  absl::string_view field = {};
  absl::string_view value_template = {};
};

// Fills the top-level field `field` from the request header `header` (bytes fields take
// base64): {"grant", "Bitcontent-Grant"}. For capabilities that must stay out of URLs
// and logs.
struct HeaderBinding {
  absl::string_view field = {};
  absl::string_view header = {};
};

// A route that carries bytes, not JSON (file chunks): the request body fills the bytes
// field `request_field`, and/or the bytes field `response_field` of the answer is sent
// as the body, both as application/octet-stream.
struct RawBytes {
  absl::string_view request_field = {};
  absl::string_view response_field = {};
  // The ChunkFile field of the response that names the file to send instead of
  // `response_field` when the gateway reads the blob service's files
  // (RestOptions::blobs_local_files, chunk_file.h).
  absl::string_view file_response_field = {};
  // Largest request body the route takes, instead of --request_body_bytes_max.
  size_t body_bytes_max = 0;
};

// Routes served by the gateway itself rather than a backend RPC.
enum class Builtin { kNone, kStatus, kOpenApi, kBlobDownload, kLinkPage };

struct Route {
  // HTTP method and path pattern (libs/http/router.h syntax, "{user}", "{session}:revoke").
  absl::string_view http_method = {};
  absl::string_view path = {};
  // The gRPC method, as on the wire: "/bitcontent.accounts.v1.AccountsService/Login".
  // Empty for builtins.
  std::string rpc = {};
  // The coalesced form of `rpc` on the same backend's internal service
  // (bitcontent/common/v1/coalesced_calls.proto), when it offers one: concurrent
  // requests of the route then travel to it in batches (coalescer.h). Only for hot
  // read routes; the public gRPC API still calls `rpc`.
  std::string coalesced_rpc = {};
  std::vector<Binding> bindings = {};
  std::vector<HeaderBinding> header_bindings = {};
  RawBytes raw = {};
  // Whether the JSON body is the request message; otherwise a body is refused and the
  // query parameters may set top-level scalar fields.
  bool body = false;
  AuthPolicy auth = {};
  Builtin builtin = Builtin::kNone;
  // One line for people (OpenAPI summary).
  absl::string_view summary = {};
};

}  // namespace bitcontent::gateway
