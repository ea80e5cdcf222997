#include "services/gateway/rest_gateway.h"

#include <google/protobuf/empty.pb.h>

#include <algorithm>
#include <atomic>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/http/absl_string.h"
#include "libs/kit/error_details.h"
#include "libs/kit/log.h"
#include "libs/kit/request_id.h"
#include "libs/kit/rpc_metrics.h"
#include "libs/metrics/buckets.h"
#include "services/gateway/blob_download.h"
#include "services/gateway/borrowed_field.h"
#include "services/gateway/chunk_file.h"
#include "services/gateway/error_response.h"
#include "services/gateway/link_page.h"
#include "services/gateway/openapi.h"
#include "services/gateway/routes.h"

namespace bitcontent::gateway {
namespace {

// The request field an Idempotency-Key header fills (AIP-155).
constexpr char kIdempotencyField[] = "request_id";

// The token, when the route needs one, from the Authorization header.
absl::string_view AuthorizationOf(const http::Request& request) {
  const std::optional<std::string_view> value = request.Header("Authorization");
  return value.has_value() ? http::ToAbsl(*value) : absl::string_view();
}

http::Response Refusal(const GateResult& result, const std::string& request_id) {
  http::Response response = ErrorResponse(result.status, request_id, {.details = result.details});
  if (!result.www_authenticate.empty()) {
    response.headers.Set("WWW-Authenticate", result.www_authenticate);
  }
  return response;
}

// Fills the request's request_id from Idempotency-Key when the message has the field. A
// body that names another request_id is refused: which of the two would count is not
// the client's guess to make, and a retry that sent only one of them would be a new
// request, charged again.
absl::Status ApplyIdempotencyKey(const http::Request& request, google::protobuf::Message& message) {
  const std::optional<std::string_view> key = request.Header("Idempotency-Key");
  if (!key.has_value()) return absl::OkStatus();
  if (absl::Status usable = CheckIdempotencyKey(http::ToAbsl(*key)); !usable.ok()) return usable;
  const auto* field = message.GetDescriptor()->FindFieldByName(kIdempotencyField);
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return absl::OkStatus();  // The method is naturally idempotent.
  }
  const auto* reflection = message.GetReflection();
  const std::string& body_key = reflection->GetString(message, field);
  if (body_key.empty()) {
    reflection->SetString(&message, field, std::string(*key));
  } else if (body_key != *key) {
    return kit::FieldError(
        "request_id",
        absl::StrCat("the Idempotency-Key header (\"", http::ToAbsl(*key),
                     "\") and the body's requestId (\"", body_key,
                     "\") differ; send the key once, in either, or the same in both"));
  }
  return absl::OkStatus();
}

// The answer to a finished call: its response as JSON, or its error.
http::Response Rendered(BackendResult result, const google::protobuf::Message& response,
                        const std::string& request_id) {
  if (!result.status.ok()) {
    return ErrorResponse(result.status, request_id, {.details = std::move(result.details)});
  }
  absl::StatusOr<std::string> json = Transcoder::RenderJson(response);
  if (!json.ok()) return ErrorResponse(json.status(), request_id);
  return http::Response::Json(200, *std::move(json));
}

// The answer of a route whose body is field `number` of the response, sent from the
// slices it arrived in.
http::Response RenderedRaw(BackendResult result, const grpc::ByteBuffer& response, int number,
                           const std::string& request_id) {
  if (!result.status.ok()) {
    return ErrorResponse(result.status, request_id, {.details = std::move(result.details)});
  }
  absl::StatusOr<http::BorrowedBody> bytes = BorrowBytesField(response, number);
  if (!bytes.ok()) return ErrorResponse(bytes.status(), request_id);
  http::Response raw;
  raw.status = 200;
  raw.content_type = "application/octet-stream";
  raw.borrowed = *std::move(bytes);
  return raw;
}

// A chunk sent from its file (chunk_file.h).
http::Response FileAnswer(http::FileBody file) {
  http::Response raw;
  raw.status = 200;
  raw.content_type = "application/octet-stream";
  raw.file = std::move(file);
  return raw;
}

// Says once per process why chunks go through the blob service after all, for an
// operator who set --blobs_local_files where the gateway cannot read blobs' files.
void WarnOnce(const absl::Status& status) {
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true)) {
    kit::Log(spdlog::level::warn,
             "a chunk file could not be sent; chunk downloads fall back to the blob service's "
             "bytes (is --blobs_local_files right for this machine?)",
             {{"error", status.message()}});
  }
}

}  // namespace

absl::Status CheckIdempotencyKey(absl::string_view key) {
  const bool visible =
      std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  if (key.empty() || key.size() > kIdempotencyKeyBytesMax || !visible) {
    return kit::FieldError(
        "Idempotency-Key",
        absl::StrCat("the header must be 1 to ", kIdempotencyKeyBytesMax,
                     " visible ASCII characters: letters, digits and the punctuation ! to ~, "
                     "without spaces or control characters (a UUID or a hex string works)"));
  }
  return absl::OkStatus();
}

std::string RequestIdOf(const http::Request& request) {
  const std::optional<std::string_view> given = request.Header("X-Request-Id");
  if (given.has_value() && kit::IsUsableRequestId(http::ToAbsl(*given))) return std::string(*given);
  return kit::NewRequestId();
}

RestGateway::RestGateway(RestOptions options, const std::vector<Route>& routes,
                         Gatekeeper* gatekeeper, const Backends* backends,
                         const GatewayService* local, const ClientIpResolver* client_ips,
                         std::function<http::Response()> status)
    : options_(std::move(options)),
      routes_(routes),
      gatekeeper_(gatekeeper),
      backends_(backends),
      local_(local),
      client_ips_(client_ips),
      status_(std::move(status)),
      cors_(options_.cors_allowed_origins),
      requests_(kit::Metrics().AddCounter(
          "gateway_http_requests_total", "Public REST requests answered, by route and HTTP status.",
          {"route", "code"})),
      request_seconds_(kit::Metrics().AddHistogram(
          "gateway_http_request_seconds", "Time to answer a public REST request, by route.",
          {"route"}, metrics::LatencyBuckets())),
      chunk_bodies_(kit::Metrics().AddCounter(
          "gateway_chunk_bodies_total",
          "Chunks answered to GET /v1/blobs/{blob}/chunks/{index}, by where the body came "
          "from: file (blobs' own file, sent by the kernel; --blobs_local_files) or blobs (the "
          "bytes through the blob service).",
          {"from"})) {}

size_t RestGateway::body_bytes_max() const {
  size_t largest = options_.request_body_bytes_max;
  for (const Route& route : routes_) largest = std::max(largest, route.raw.body_bytes_max);
  return largest;
}

absl::Status RestGateway::Prepare() {
  for (const Route& route : routes_) {
    if (route.http_method.empty()) continue;  // Public gRPC only.
    auto prepared = std::make_unique<PreparedRoute>();
    prepared->route = &route;
    prepared->label = absl::StrCat(route.http_method, " ", route.path);
    prepared->seconds = &request_seconds_.WithLabels({http::FromAbsl(prepared->label)});
    if (route.builtin == Builtin::kNone) {
      absl::StatusOr<Transcoder> transcoder = Transcoder::ForRoute(route);
      if (!transcoder.ok()) return transcoder.status();
      prepared->transcoder.emplace(*std::move(transcoder));
      if (!route.raw.response_field.empty()) {
        // Only a plain backend call answers with its response left serialized.
        if (!route.coalesced_rpc.empty() || absl::StartsWith(route.rpc, "/bitcontent.gateway.")) {
          return absl::InvalidArgumentError(
              absl::StrCat(route.path, ": a raw response needs a backend method called directly"));
        }
        prepared->raw_response_field = prepared->transcoder->method()
                                           .output_type()
                                           ->FindFieldByName(std::string(route.raw.response_field))
                                           ->number();
        if (options_.blobs_local_files && !route.raw.file_response_field.empty()) {
          const google::protobuf::FieldDescriptor* file =
              prepared->transcoder->method().output_type()->FindFieldByName(
                  std::string(route.raw.file_response_field));
          if (file == nullptr) {
            return absl::InvalidArgumentError(absl::StrCat(route.path, ": no field ",
                                                           route.raw.file_response_field, " in ",
                                                           route.rpc, "'s response"));
          }
          prepared->file_response_field = file->number();
        }
      }
      absl::StatusOr<MethodExposure> exposure = ExposureOf(route.rpc, routes_);
      if (!exposure.ok()) return exposure.status();
      if (exposure->backend != "gateway") {
        if (std::shared_ptr<grpc::Channel> channel = backends_->Channel(exposure->backend)) {
          if (!route.coalesced_rpc.empty()) {
            if (!absl::StartsWith(route.coalesced_rpc,
                                  absl::StrCat("/bitcontent.", exposure->backend, ".v1."))) {
              return absl::InvalidArgumentError(absl::StrCat(
                  route.path, ": coalesced_rpc must be a method of ", exposure->backend));
            }
            prepared->coalescer = std::make_unique<Coalescer>(
                route.coalesced_rpc, std::move(channel), options_.backend_timeout);
          } else {
            prepared->backend.emplace(route.rpc, std::move(channel));
          }
        }
      }
    }
    if (absl::Status added =
            shapes_.Add(http::FromAbsl(route.http_method), http::FromAbsl(route.path),
                        [](const http::Request&) { return http::Response(); });
        !added.ok()) {
      return added;
    }
    prepared_.push_back(std::move(prepared));
  }
  absl::StatusOr<std::string> openapi = OpenApiDocument(routes_);
  if (!openapi.ok()) return openapi.status();
  openapi_json_ = *std::move(openapi);
  return absl::OkStatus();
}

http::Router RestGateway::BuildRouter() {
  http::Router router;
  for (const std::unique_ptr<PreparedRoute>& prepared : prepared_) {
    const PreparedRoute* route = prepared.get();
    router.RouteAsync(
        http::FromAbsl(route->route->http_method), http::FromAbsl(route->route->path),
        [this, route](std::shared_ptr<const http::Request> request, http::Responder respond) {
          Serve(*route, std::move(request), std::move(respond));
        });
  }
  router.SetFallback([this](const http::Request& request) { return Unrouted(request); });
  return router;
}

void RestGateway::Serve(const PreparedRoute& prepared, std::shared_ptr<const http::Request> request,
                        http::Responder respond) const {
  const absl::Time start = absl::Now();
  std::string request_id = RequestIdOf(*request);
  const http::Request& seen = *request;
  Answer(prepared, seen, request_id,
         [this, &prepared, request = std::move(request), request_id, start,
          respond = std::move(respond)](http::Response response) {
           response.headers.Set("X-Request-Id", request_id);
           cors_.Decorate(*request, response);
           requests_.WithLabels({http::FromAbsl(prepared.label), absl::StrCat(response.status)})
               .Increment();
           prepared.seconds->Observe(absl::ToDoubleSeconds(absl::Now() - start));
           respond.Answer(std::move(response));
         });
}

void RestGateway::Answer(const PreparedRoute& prepared, const http::Request& request,
                         const std::string& request_id, Reply reply) const {
  const Route& route = *prepared.route;
  const size_t body_bytes_max =
      route.raw.body_bytes_max != 0 ? route.raw.body_bytes_max : options_.request_body_bytes_max;
  if (request.body.size() > body_bytes_max) {
    return reply(ErrorResponse(absl::ResourceExhaustedError(absl::StrCat(
                                   "request body too large: at most ", body_bytes_max, " bytes")),
                               request_id, {.http_status = 413}));
  }
  if (route.builtin == Builtin::kOpenApi) return reply(http::Response::Json(200, openapi_json_));
  if (route.builtin == Builtin::kLinkPage) return reply(LinkPage());

  const std::string client_ip = client_ips_->Resolve(
      http::ToAbsl(request.peer),
      http::ToAbsl(request.Header(http::FromAbsl(kForwardedForKey)).value_or("")));
  std::shared_ptr<const Caller> caller;
  GateResult identified =
      gatekeeper_->Identify(route.auth, AuthorizationOf(request), request_id, &caller);
  if (!identified.ok()) {
    return gatekeeper_->CountRefusal(std::move(identified), client_ip,
                                     [request_id, reply = std::move(reply)](GateResult refusal) {
                                       reply(Refusal(refusal, request_id));
                                     });
  }

  std::shared_ptr<google::protobuf::Message> message;
  if (prepared.transcoder.has_value()) {
    absl::StatusOr<std::unique_ptr<google::protobuf::Message>> parsed =
        prepared.transcoder->ParseRequest(request);
    if (!parsed.ok()) return reply(ErrorResponse(parsed.status(), request_id));
    message = *std::move(parsed);
    if (absl::Status keyed = ApplyIdempotencyKey(request, *message); !keyed.ok()) {
      return reply(ErrorResponse(keyed, request_id));
    }
  }
  static const google::protobuf::Empty* const kNoMessage = new google::protobuf::Empty();
  gatekeeper_->Admit(
      route.auth, caller.get(), client_ip,
      message != nullptr ? *message : static_cast<const google::protobuf::Message&>(*kNoMessage),
      [this, &prepared, &request, request_id, caller, client_ip, message,
       reply = std::move(reply)](GateResult admitted) mutable {
        // `request` lives as long as `reply`, which holds it.
        if (!admitted.ok()) return reply(Refusal(admitted, request_id));
        if (prepared.route->builtin == Builtin::kStatus) return reply(status_());
        if (prepared.route->builtin == Builtin::kBlobDownload) {
          std::shared_ptr<grpc::Channel> blobs = backends_->Channel("blobs");
          if (blobs == nullptr) {
            return reply(ErrorResponse(
                absl::UnavailableError("the blobs service is not configured on this gateway"),
                request_id));
          }
          return StartBlobDownload(std::move(blobs), request, request_id, options_.backend_timeout,
                                   std::move(reply));
        }
        Call(prepared, request_id, caller.get(), client_ip, std::move(message), std::move(reply));
      });
}

void RestGateway::CallRaw(const PreparedRoute& prepared, const std::string& request_id,
                          std::string bearer, const std::string& client_ip,
                          std::shared_ptr<google::protobuf::Message> message, Reply reply) const {
  const auto new_context = [timeout = options_.backend_timeout, request_id,
                            bearer = std::move(bearer), client_ip] {
    return NewBackendContext(timeout, request_id, bearer, client_ip);
  };
  auto rendered = [request_id, number = prepared.raw_response_field, reply,
                   from_blobs = &chunk_bodies_.WithLabels({"blobs"})](
                      BackendResult result, const grpc::ByteBuffer& response) {
    if (result.status.ok()) from_blobs->Increment();
    reply(RenderedRaw(std::move(result), response, number, request_id));
  };
  if (prepared.file_response_field == 0) {
    prepared.backend->StartRaw(new_context(), std::move(message), std::move(rendered));
    return;
  }
  // Asked to name the chunk's file; when that file cannot be sent, asked for the bytes.
  std::unique_ptr<grpc::ClientContext> file_context = new_context();
  file_context->AddMetadata(std::string(kChunkFileKey), "ok");
  prepared.backend->StartRaw(
      std::move(file_context), message,
      [&prepared, message, new_context, reply, rendered = std::move(rendered),
       from_file = &chunk_bodies_.WithLabels({"file"})](BackendResult result,
                                                        const grpc::ByteBuffer& response) mutable {
        if (result.status.ok()) {
          absl::StatusOr<std::optional<http::FileBody>> file =
              OpenChunkFile(response, prepared.file_response_field);
          if (file.ok() && file->has_value()) {
            from_file->Increment();
            return reply(FileAnswer(**std::move(file)));
          }
          if (!file.ok()) {
            WarnOnce(file.status());
            return prepared.backend->StartRaw(new_context(), std::move(message),
                                              std::move(rendered));
          }
        }
        rendered(std::move(result), response);
      });
}

void RestGateway::Call(const PreparedRoute& prepared, const std::string& request_id,
                       const Caller* caller, const std::string& client_ip,
                       std::shared_ptr<google::protobuf::Message> message, Reply reply) const {
  const Route& route = *prepared.route;
  const absl::string_view bearer = caller != nullptr ? absl::string_view(caller->access_token) : "";
  if (prepared.raw_response_field != 0 && prepared.backend.has_value()) {
    return CallRaw(prepared, request_id, std::string(bearer), client_ip, std::move(message),
                   std::move(reply));
  }
  std::unique_ptr<google::protobuf::Message> response = prepared.transcoder->NewResponse();
  auto rendered = [request_id, reply = std::move(reply)](BackendResult result,
                                                         google::protobuf::Message& response) {
    reply(Rendered(std::move(result), response, request_id));
  };
  if (prepared.coalescer != nullptr) {
    prepared.coalescer->Start(request_id, std::string(bearer), client_ip, *message,
                              std::move(response), std::move(rendered));
    return;
  }
  if (prepared.backend.has_value()) {
    prepared.backend->Start(
        NewBackendContext(options_.backend_timeout, request_id, bearer, client_ip),
        std::move(message), std::move(response), std::move(rendered));
    return;
  }
  BackendResult result;
  if (local_ != nullptr && absl::StartsWith(route.rpc, "/bitcontent.gateway.")) {
    result.status = local_->CallLocal(route.rpc, *message, *response);
  } else {
    result.status = absl::UnavailableError(
        absl::StrCat("the service behind ", route.path, " is not configured on this gateway"));
  }
  rendered(std::move(result), *response);
}

http::Response RestGateway::Unrouted(const http::Request& request) const {
  const std::string request_id = RequestIdOf(request);
  const http::RouteMatch shape = shapes_.Match(request.method, request.path);
  http::Response response;
  if (CorsPolicy::IsPreflight(request) && shape.outcome != http::RouteMatch::Outcome::kNotFound) {
    response = http::Response::Text(204, "");
    response.content_type.clear();
    if (!cors_.DecoratePreflight(request, http::ToAbsl(shape.allow), response)) {
      response = ErrorResponse(absl::PermissionDeniedError(absl::StrCat(
                                   "origin ", http::ToAbsl(request.Header("Origin").value_or("")),
                                   " may not call this API (see --cors_allowed_origins)")),
                               request_id);
    }
  } else if (shape.outcome == http::RouteMatch::Outcome::kMethodNotAllowed) {
    response = ErrorResponse(
        absl::UnimplementedError(absl::StrCat(request.method, " is not allowed on ", request.path,
                                              "; allowed: ", shape.allow)),
        request_id, {.http_status = 405});
    response.headers.Set("Allow", shape.allow);
    cors_.Decorate(request, response);
  } else {
    response = ErrorResponse(
        absl::NotFoundError(absl::StrCat("no route for ", request.method, " ", request.path,
                                         "; GET /v1/openapi.json lists every route")),
        request_id);
    cors_.Decorate(request, response);
  }
  response.headers.Set("X-Request-Id", request_id);
  requests_.WithLabels({"unrouted", absl::StrCat(response.status)}).Increment();
  return response;
}

}  // namespace bitcontent::gateway
