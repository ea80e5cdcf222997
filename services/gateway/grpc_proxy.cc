#include "services/gateway/grpc_proxy.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/empty.pb.h>
#include <grpcpp/generic/generic_stub.h>

#include <algorithm>
#include <chrono>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "libs/kit/error_details.h"
#include "libs/kit/request_id.h"
#include "libs/kit/status.h"
#include "services/gateway/backend_call.h"
#include "services/gateway/routes.h"
#include "services/gateway/stream_relay.h"

namespace bitcontent::gateway {
namespace {

absl::string_view MetadataValue(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (found == metadata.end()) return {};
  return absl::string_view(found->second.data(), found->second.size());
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

// The longest a proxied stream may last, for callers that set no deadline (or a later
// one). Far above any real stream; it only makes sure none is left open forever.
constexpr absl::Duration kStreamDurationMax = absl::Hours(24);

bool Streams(const google::protobuf::MethodDescriptor& method) {
  return method.client_streaming() || method.server_streaming();
}

// Step 1 of the checks (Gatekeeper::Identify) for a call of `context`; a refusal is
// counted against the client IP.
GateResult Identify(Gatekeeper& gatekeeper, const AuthPolicy& policy,
                    const grpc::GenericCallbackServerContext& context, absl::string_view request_id,
                    std::shared_ptr<const Caller>* caller) {
  return gatekeeper.Identify(policy, MetadataValue(context, "authorization"), request_id, caller);
}

// The status to refuse a call of `context` with; the ErrorDetails go in its trailers.
grpc::Status RefusalStatus(grpc::GenericCallbackServerContext& context, const GateResult& result) {
  if (result.details.has_value()) {
    context.AddTrailingMetadata(kit::kErrorDetailsTrailer, result.details->SerializeAsString());
  }
  return kit::ToGrpc(result.status);
}

// The client's address for a call of `context`.
std::string ClientIpOfCall(const GrpcProxy& proxy,
                           const grpc::GenericCallbackServerContext& context) {
  return proxy.client_ips().Resolve(context.peer(), MetadataValue(context, kForwardedForKey));
}

// The context of the backend call made for `context`: its child, so gRPC cancels it with
// the caller's call, with the request id, the caller's token (unless a public method),
// the client's address and `deadline`.
std::unique_ptr<grpc::ClientContext> BackendContext(
    const grpc::GenericCallbackServerContext& context, const std::string& request_id,
    const Caller* caller, const std::string& client_ip,
    std::chrono::system_clock::time_point deadline) {
  std::unique_ptr<grpc::ClientContext> backend =
      grpc::ClientContext::FromCallbackServerContext(context);
  backend->set_deadline(deadline);
  backend->AddMetadata(std::string(kit::kRequestIdKey), request_id);
  if (caller != nullptr) {
    backend->AddMetadata("authorization", absl::StrCat("Bearer ", caller->access_token));
  }
  backend->AddMetadata(std::string(kForwardedForKey), client_ip);
  return backend;
}

// A call refused before anything is relayed.
class Refusal final : public grpc::ServerGenericBidiReactor {
 public:
  explicit Refusal(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

// One proxied unary call: read the request, check it, call the owner, relay the answer.
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(const GrpcProxy& proxy, grpc::GenericCallbackServerContext* context,
            GrpcProxy::Target target)
      : proxy_(proxy), context_(context), target_(std::move(target)) {
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the call sent no request message"));
      return;
    }
    const std::string request_id = kit::RequestIdOf(*context_);
    const std::string client_ip = ClientIpOfCall(proxy_, *context_);
    Gatekeeper& gatekeeper = proxy_.gatekeeper();
    const AuthPolicy& policy = target_.exposure.auth;
    std::shared_ptr<const Caller> caller;
    GateResult result = Identify(gatekeeper, policy, *context_, request_id, &caller);
    if (!result.ok()) {
      return gatekeeper.CountRefusal(std::move(result), client_ip,
                                     [this](GateResult refusal) { Refuse(refusal); });
    }

    // Only credential attempts need the message (for their email); the rest pass as bytes.
    std::unique_ptr<google::protobuf::Message> message(new google::protobuf::Empty());
    if (policy.limit == Limit::kCredential) {
      message.reset(google::protobuf::MessageFactory::generated_factory()
                        ->GetPrototype(target_.method->input_type())
                        ->New());
      if (!message->ParseFromString(Flatten(request_))) {
        Finish(
            grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the request message does not parse"));
        return;
      }
    }
    // The reactor lives until Finish, which only the continuation calls.
    gatekeeper.Admit(policy, caller.get(), client_ip, *message,
                     [this, request_id, caller, client_ip](GateResult admitted) {
                       if (!admitted.ok()) return Refuse(admitted);
                       CallBackend(request_id, caller.get(), client_ip);
                     });
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (backend_context_ != nullptr) backend_context_->TryCancel();
  }

  void OnDone() override { delete this; }

 private:
  void CallBackend(const std::string& request_id, const Caller* caller,
                   const std::string& client_ip) {
    grpc::ClientContext* backend_context = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call"));
        return;
      }
      const auto own_deadline = absl::ToChronoTime(absl::Now() + proxy_.backend_timeout());
      backend_context_ = BackendContext(*context_, request_id, caller, client_ip,
                                        std::min(own_deadline, context_->deadline()));
      backend_context = backend_context_.get();
    }
    grpc::GenericStub stub(target_.channel);
    stub.UnaryCall(backend_context, context_->method(), grpc::StubOptions(), &request_, &response_,
                   [this](const grpc::Status& status) { OnBackendDone(status); });
  }

  void OnBackendDone(const grpc::Status& status) {
    grpc::ClientContext* backend_context = nullptr;
    bool cancelled = false;
    {
      absl::MutexLock lock(&mu_);
      backend_context = backend_context_.get();
      cancelled = cancelled_;
    }
    const auto& trailing = backend_context->GetServerTrailingMetadata();
    const auto details = trailing.find(kit::kErrorDetailsTrailer);
    const bool service_details = details != trailing.end();
    if (status.ok()) {
      if (service_details) AddDetails(details->second);
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    } else if (!cancelled && FailedInTransport(status, service_details)) {
      // The service stopped or could not be reached: the caller is told what to do, not
      // the transport's words.
      std::optional<common::v1::ErrorDetails> stopped;
      const absl::Status told = BackendFailure(context_->method(), status,
                                               RetryHintOfMethod(context_->method()), &stopped);
      context_->AddTrailingMetadata(kit::kErrorDetailsTrailer, stopped->SerializeAsString());
      Finish(kit::ToGrpc(told));
    } else {
      if (service_details) AddDetails(details->second);
      Finish(status);
    }
  }

  void Refuse(const GateResult& result) { Finish(RefusalStatus(*context_, result)); }

  void AddDetails(grpc::string_ref details) {
    context_->AddTrailingMetadata(kit::kErrorDetailsTrailer,
                                  std::string(details.data(), details.size()));
  }

  // kSameRequestId when the method's request has a request_id.
  static RetryHint RetryHintOfMethod(const std::string& method) {
    const google::protobuf::MethodDescriptor* found =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
            DescriptorNameOf(method));
    return found == nullptr ? RetryHint::kPlain : RetryHintOf(*found->input_type(), false);
  }

  const GrpcProxy& proxy_;
  grpc::GenericCallbackServerContext* const context_;
  const GrpcProxy::Target target_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<grpc::ClientContext> backend_context_ ABSL_GUARDED_BY(mu_);
};

// A streaming call is checked once, before anything is relayed. Its policy never needs
// a message (Resolve refuses credential-limited streams), so the checks do not wait for
// the caller's first message, which a caller may send only after a first response.
grpc::ServerGenericBidiReactor* RelayStream(const GrpcProxy& proxy,
                                            grpc::GenericCallbackServerContext* context,
                                            const GrpcProxy::Target& target) {
  const std::string request_id = kit::RequestIdOf(*context);
  Gatekeeper& gatekeeper = proxy.gatekeeper();
  const AuthPolicy& policy = target.exposure.auth;
  std::shared_ptr<const Caller> caller;
  // A reactor must be returned now, so this one waits for Redis.
  const std::string client_ip = ClientIpOfCall(proxy, *context);
  GateResult result = Identify(gatekeeper, policy, *context, request_id, &caller);
  if (!result.ok()) {
    result = AwaitGate([&](Gatekeeper::Done done) {
      gatekeeper.CountRefusal(std::move(result), client_ip, std::move(done));
    });
  } else {
    result = AwaitGate([&](Gatekeeper::Done done) {
      gatekeeper.Admit(policy, caller.get(), client_ip, google::protobuf::Empty::default_instance(),
                       std::move(done));
    });
  }
  if (!result.ok()) return new Refusal(RefusalStatus(*context, result));
  // The caller's deadline, not --backend_timeout_ms, which bounds unary calls: a stream
  // (an import of a million accounts, a film read in one range) may rightly take longer.
  // Every backend call needs a deadline (kit::NewChannel cancels those without), so a
  // caller that sets none gets kStreamDurationMax.
  const auto deadline_max = absl::ToChronoTime(absl::Now() + kStreamDurationMax);
  return StartStreamRelay(context, target.channel,
                          BackendContext(*context, request_id, caller.get(), client_ip,
                                         std::min(deadline_max, context->deadline())));
}

}  // namespace

GrpcProxy::GrpcProxy(const std::vector<Route>& routes, Gatekeeper* gatekeeper,
                     const Backends* backends, const ClientIpResolver* client_ips,
                     absl::Duration backend_timeout)
    : routes_(routes),
      gatekeeper_(gatekeeper),
      backends_(backends),
      client_ips_(client_ips),
      backend_timeout_(backend_timeout) {}

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  absl::StatusOr<Target> target = Resolve(context->method());
  if (!target.ok()) return new Refusal(kit::ToGrpc(target.status()));
  if (Streams(*target->method)) return RelayStream(*this, context, *target);
  return new ProxyCall(*this, context, *std::move(target));
}

absl::StatusOr<GrpcProxy::Target> GrpcProxy::Resolve(absl::string_view rpc) const {
  absl::StatusOr<MethodExposure> exposure = ExposureOf(rpc, routes_);
  if (!exposure.ok()) return absl::UnimplementedError(exposure.status().message());
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(DescriptorNameOf(rpc));
  if (method == nullptr) {
    return absl::UnimplementedError(absl::StrCat(rpc, " is not a method of the BitContent API"));
  }
  if (Streams(*method) && exposure->auth.limit == Limit::kCredential) {
    // A mistake in the route table: credential attempts are limited by the email in
    // their one request message, and a stream has no one message.
    return absl::InternalError(absl::StrCat(
        rpc, " streams but is limited as a credential attempt; the gateway cannot admit it"));
  }
  Target target;
  target.exposure = *std::move(exposure);
  target.method = method;
  target.channel = backends_->Channel(target.exposure.backend);
  if (target.channel == nullptr) {
    return absl::UnavailableError(absl::StrCat("the ", target.exposure.backend,
                                               " service is not configured on this gateway"));
  }
  return target;
}

}  // namespace bitcontent::gateway
