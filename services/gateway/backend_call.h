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

// What a client is told of a call the service itself ended with CANCELLED (it stopped
// while answering: a draining server cancels what it has not answered): UNAVAILABLE,
// which a retry gets over, rather than a CANCELLED it would take for its own doing.
absl::Status ServiceStopped(absl::string_view rpc);

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
