// StreamRelay: one streaming call of the public gRPC API (client-, server- or
// bidirectional streaming) relayed to the service that owns the method, message by
// message, as bytes. GrpcProxy checks the call before it starts a relay; the relay only
// moves messages and the outcome.
//
// Flow control: at most one read and one write are outstanding on each side, and a
// message read from one side is written to the other before the next read there, so a
// slow reader slows its sender down instead of filling the gateway's memory. The
// caller's half-close becomes the backend's WritesDone; the backend's status and its
// bitcontent-error-details-bin trailer become the caller's; a caller that cancels, or
// whose stream breaks, cancels the backend call.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/generic/async_generic_service.h>

#include <memory>

namespace bitcontent::gateway {

// Starts relaying the call of `context` to the same method on `channel`, with
// `backend_context` (made from `context`, carrying the metadata and deadline the
// backend call gets). Returns the call's reactor; it deletes itself once both the
// caller's call and the backend call are done.
grpc::ServerGenericBidiReactor* StartStreamRelay(
    grpc::GenericCallbackServerContext* context, const std::shared_ptr<grpc::Channel>& channel,
    std::unique_ptr<grpc::ClientContext> backend_context);

}  // namespace bitcontent::gateway
