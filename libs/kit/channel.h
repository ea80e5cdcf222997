// The one way a service or client calls another service. NewChannel() gives a channel
// with the suite's keepalive and message-size settings and an interceptor that refuses
// (cancels) any call made without a deadline. NewCallContext() makes the context every
// call needs: a deadline always, and inside a handler also the caller's request id,
// cancellation and deadline (the earlier of the two deadlines wins).
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include <memory>
#include <string>

#include "absl/time/time.h"

namespace bitcontent::kit {

// A channel to `target` ("host:port"). Plaintext: inside the suite traffic stays on
// loopback or the cluster network (mTLS is the service mesh's job on Kubernetes).
std::shared_ptr<grpc::Channel> NewChannel(const std::string& target);

// A context for a call that starts a new request (a CLI, a test, a background job):
// a fresh request id and a deadline `timeout` from now.
std::unique_ptr<grpc::ClientContext> NewCallContext(absl::Duration timeout);

// A context for a call made while serving `parent`: it carries the parent's request
// id, is cancelled when the parent is, and its deadline is the earlier of the parent's
// and now + `timeout`.
std::unique_ptr<grpc::ClientContext> NewCallContext(const grpc::ServerContext& parent,
                                                    absl::Duration timeout);

}  // namespace bitcontent::kit
