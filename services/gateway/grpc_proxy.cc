#include "services/gateway/grpc_proxy.h"

#include <google/protobuf/empty.pb.h>
#include <grpcpp/generic/generic_stub.h>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "libs/kit/request_id.h"
#include "libs/kit/status.h"
#include "services/gateway/backend_call.h"

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

// One proxied call: read the request, check it, call the owner, relay the answer.
class ProxyCall final : public grpc::ServerGenericBidiReactor {
 public:
  ProxyCall(const GrpcProxy& proxy, grpc::GenericCallbackServerContext* context)
      : proxy_(proxy), context_(context) {
    absl::StatusOr<GrpcProxy::Target> target = proxy_.Resolve(context->method());
    if (!target.ok()) {
      Finish(kit::ToGrpc(target.status()));
      return;
    }
    target_ = *std::move(target);
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "the call sent no request message"));
      return;
    }
    const std::string request_id = kit::RequestIdOf(*context_);
    Gatekeeper& gatekeeper = proxy_.gatekeeper();
    const AuthPolicy& policy = target_.exposure.auth;
    std::shared_ptr<const Caller> caller;
    GateResult result =
        gatekeeper.Identify(policy, MetadataValue(*context_, "authorization"), request_id, &caller);
    if (!result.ok()) {
      return Refuse(gatekeeper.CountRefusal(std::move(result), ClientIpOf(context_->peer())));
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
    result = gatekeeper.Admit(policy, caller.get(), ClientIpOf(context_->peer()), *message);
    if (!result.ok()) return Refuse(result);
    CallBackend(request_id, caller.get());
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    cancelled_ = true;
    if (backend_context_ != nullptr) backend_context_->TryCancel();
  }

  void OnDone() override { delete this; }

 private:
  void CallBackend(const std::string& request_id, const Caller* caller) {
    grpc::ClientContext* backend_context = nullptr;
    {
      absl::MutexLock lock(&mu_);
      if (cancelled_) {
        Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the call"));
        return;
      }
      backend_context_ = grpc::ClientContext::FromCallbackServerContext(*context_);
      const auto own_deadline = absl::ToChronoTime(absl::Now() + proxy_.backend_timeout());
      backend_context_->set_deadline(std::min(own_deadline, context_->deadline()));
      backend_context_->AddMetadata(std::string(kit::kRequestIdKey), request_id);
      if (caller != nullptr) {
        backend_context_->AddMetadata("authorization",
                                      absl::StrCat("Bearer ", caller->access_token));
      }
      backend_context = backend_context_.get();
    }
    grpc::GenericStub stub(target_.channel);
    stub.UnaryCall(backend_context, context_->method(), grpc::StubOptions(), &request_, &response_,
                   [this](const grpc::Status& status) { OnBackendDone(status); });
  }

  void OnBackendDone(const grpc::Status& status) {
    grpc::ClientContext* backend_context = nullptr;
    {
      absl::MutexLock lock(&mu_);
      backend_context = backend_context_.get();
    }
    const auto& trailing = backend_context->GetServerTrailingMetadata();
    const auto details = trailing.find(kErrorDetailsKey);
    if (details != trailing.end()) {
      context_->AddTrailingMetadata(kErrorDetailsKey,
                                    std::string(details->second.data(), details->second.size()));
    }
    if (status.ok()) {
      StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
    } else {
      Finish(status);
    }
  }

  void Refuse(const GateResult& result) {
    if (result.details.has_value()) {
      context_->AddTrailingMetadata(kErrorDetailsKey, result.details->SerializeAsString());
    }
    Finish(kit::ToGrpc(result.status));
  }

  const GrpcProxy& proxy_;
  grpc::GenericCallbackServerContext* const context_;
  GrpcProxy::Target target_;
  grpc::ByteBuffer request_;
  grpc::ByteBuffer response_;
  absl::Mutex mu_;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<grpc::ClientContext> backend_context_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

GrpcProxy::GrpcProxy(const std::vector<Route>& routes, Gatekeeper* gatekeeper,
                     const Backends* backends, absl::Duration backend_timeout)
    : routes_(routes),
      gatekeeper_(gatekeeper),
      backends_(backends),
      backend_timeout_(backend_timeout) {}

grpc::ServerGenericBidiReactor* GrpcProxy::CreateReactor(
    grpc::GenericCallbackServerContext* context) {
  return new ProxyCall(*this, context);
}

absl::StatusOr<GrpcProxy::Target> GrpcProxy::Resolve(absl::string_view rpc) const {
  absl::StatusOr<MethodExposure> exposure = ExposureOf(rpc, routes_);
  if (!exposure.ok()) return absl::UnimplementedError(exposure.status().message());
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(DescriptorNameOf(rpc));
  if (method == nullptr) {
    return absl::UnimplementedError(absl::StrCat(rpc, " is not a method of the BitContent API"));
  }
  if (method->client_streaming() || method->server_streaming()) {
    return absl::UnimplementedError(absl::StrCat(
        rpc,
        " streams, and the gateway does not proxy streaming methods yet; call it through "
        "REST or wait for a later release"));
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
