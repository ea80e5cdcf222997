// Calls from the gateway to the services behind it: the call context (deadline, the
// request's id, the caller's bearer token) and a unary call of any method by name with
// protobuf messages, so transcoded REST requests need no generated stub.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/support/byte_buffer.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/errors.pb.h"
#include "google/protobuf/message.h"
#include "services/gateway/client_ip.h"

namespace bitcontent::gateway {

// A context for a call made on behalf of a REST request: a deadline `timeout` from now,
// the request's id, `authorization: Bearer <bearer_token>` unless the token is empty,
// and `x-forwarded-for: <client_ip>` (what accounts records of a login) unless empty.
// (kit::NewCallContext makes its own request id; the gateway must pass the one the client sees in
// X-Request-Id.)
std::unique_ptr<grpc::ClientContext> NewBackendContext(absl::Duration timeout,
                                                       absl::string_view request_id,
                                                       absl::string_view bearer_token,
                                                       absl::string_view client_ip);

// How a client may repeat a call that failed in transport.
enum class RetryHint {
  kPlain,               // "retry"
  kSameIdempotencyKey,  // REST with a request_id: the same Idempotency-Key is safe
  kSameRequestId,       // gRPC with a request_id: the same request_id is safe
};

// What a client is told of a call that ended without the service's own answer: the
// service stopped while answering (a draining server cancels what it has not answered:
// CANCELLED), crashed ("recvmsg:Connection reset by peer") or could not be reached
// (`unreachable`). UNAVAILABLE naming the service ("wallet" for rpc
// "/bitcontent.wallet.v1.WalletService/Pay") and how to retry, which gets over it,
// rather than a CANCELLED the client would take for its own doing or the transport's
// words.
absl::Status ServiceStopped(absl::string_view rpc, RetryHint hint = RetryHint::kPlain,
                            bool unreachable = false);

// Whether a call that ended with `status` failed in transport rather than by the
// service's answer: CANCELLED (the gateway never cancels a backend call on its own), or
// UNAVAILABLE or UNKNOWN without `service_details` (every service's own error carries
// its ErrorDetails trailer, kit::Reply; gRPC's transport errors carry none).
bool FailedInTransport(const grpc::Status& status, bool service_details);

// The status a client is told of a failed call: ServiceStopped for a transport failure
// (with retry_after_ms in `*details`), the service's status otherwise.
absl::Status BackendFailure(absl::string_view rpc, const grpc::Status& status, RetryHint hint,
                            std::optional<common::v1::ErrorDetails>* details);

// The retry hint of a request of `method`'s type (by its request message): whether it
// carries a request_id.
RetryHint RetryHintOf(const google::protobuf::Descriptor& request, bool rest);

// The outcome of a backend call: the status, and the details the service attached.
struct BackendResult {
  absl::Status status = absl::OkStatus();
  std::optional<common::v1::ErrorDetails> details = {};
};

// Unary calls of `method` (registered on `channel`) with protobuf messages.
class BackendMethod {
 public:
  // What a finished call hands back: its outcome and the response message (filled when
  // the outcome is OK), which the callee may take bytes out of (a chunk's body).
  using Done = std::function<void(BackendResult, google::protobuf::Message& response)>;

  // `rpc` is the wire name, "/bitcontent.accounts.v1.AccountsService/GetUser".
  BackendMethod(std::string rpc, std::shared_ptr<grpc::Channel> channel);

  // Starts a call with `request` and returns at once; `done` runs on a gRPC thread once
  // the call finishes. `response` must be of the method's output type. The call owns
  // the context and both messages until then.
  void Start(std::unique_ptr<grpc::ClientContext> context,
             std::shared_ptr<const google::protobuf::Message> request,
             std::unique_ptr<google::protobuf::Message> response, Done done) const;

  // The same with the response left serialized, as gRPC received it: for a route that
  // answers with one bytes field of it (BorrowBytesField), not worth parsing.
  using RawDone = std::function<void(BackendResult, const grpc::ByteBuffer& response)>;
  void StartRaw(std::unique_ptr<grpc::ClientContext> context,
                std::shared_ptr<const google::protobuf::Message> request, RawDone done) const;

  const std::string& rpc() const { return rpc_; }

 private:
  // Runs the call; `done` gets its outcome (with the service's details when it failed).
  template <typename Response>
  void Run(std::unique_ptr<grpc::ClientContext> context,
           std::shared_ptr<const google::protobuf::Message> request,
           std::unique_ptr<Response> response,
           std::function<void(BackendResult, Response&)> done) const;

  const std::string rpc_;
  const std::shared_ptr<grpc::Channel> channel_;
  const grpc::internal::RpcMethod method_;
};

}  // namespace bitcontent::gateway
