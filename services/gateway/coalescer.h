// Coalescer: sends calls of one method to its service in batches, through the service's
// coalesced form of the method (bitcontent/common/v1/coalesced_calls.proto), when they
// arrive faster than the service answers.
//
// A call goes out at once while fewer than kBatchesInFlightMax batches are on the wire;
// otherwise it waits for the next batch, which leaves as soon as one comes back. So a
// lone request pays no delay, and under load gRPC's cost per call (thread hand-offs,
// HTTP/2 framing, metadata) is paid once per batch of up to kit::kCoalescedCallsMax. No
// timer ever holds a request back. Each call keeps its own token and gets its own
// answer, as if it had been sent alone.
#pragma once

#include <grpcpp/channel.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/coalesced_calls.pb.h"
#include "google/protobuf/message.h"
#include "services/gateway/backend_call.h"

namespace bitcontent::gateway {

class Coalescer {
 public:
  // Batches on the wire at once. With one, a call waits at most one batch's round trip
  // and batches under load are larger; two measured no better (docs/benchmarks.md).
  static constexpr int kBatchesInFlightMax = 1;
  // Calls waiting for a batch, at most; past it a call is refused (UNAVAILABLE) rather
  // than queued without bound behind a service that has stopped answering.
  static constexpr size_t kWaitingMax = 4096;

  // `rpc` is the coalesced method's wire name on `channel`; each batch has `timeout`.
  Coalescer(std::string rpc, std::shared_ptr<grpc::Channel> channel, absl::Duration timeout);

  // Sends `request` on behalf of a caller (as NewBackendContext would) and returns at
  // once; `done` runs on a gRPC thread with the call's own outcome, and `response`
  // parsed when it is OK. `response` must be of the plain method's output type.
  void Start(std::string request_id, std::string bearer_token, std::string client_ip,
             const google::protobuf::Message& request,
             std::unique_ptr<google::protobuf::Message> response, BackendMethod::Done done);

 private:
  struct Waiting {
    common::v1::CoalescedCall call;
    std::unique_ptr<google::protobuf::Message> response;
    BackendMethod::Done done;
  };
  struct Batch {
    std::shared_ptr<common::v1::CoalescedCallsRequest> calls;
    std::vector<Waiting> waiting;
  };

  // The next batch from what waits (empty when nothing does), counted in flight.
  Batch TakeBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Send(Batch batch);
  // Hands each call its result, after sending what waits.
  void Finished(Batch batch, BackendResult result,
                const common::v1::CoalescedCallsResponse& answers);

  const BackendMethod method_;
  const absl::Duration timeout_;
  absl::Mutex mu_;
  std::vector<Waiting> waiting_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace bitcontent::gateway
