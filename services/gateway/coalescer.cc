#include "services/gateway/coalescer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/kit/coalesced_calls.h"
#include "libs/kit/request_id.h"

namespace bitcontent::gateway {

Coalescer::Coalescer(std::string rpc, std::shared_ptr<grpc::Channel> channel,
                     absl::Duration timeout)
    : method_(std::move(rpc), std::move(channel)), timeout_(timeout) {}

void Coalescer::Start(std::string request_id, std::string bearer_token, std::string client_ip,
                      const google::protobuf::Message& request,
                      std::unique_ptr<google::protobuf::Message> response,
                      BackendMethod::Done done) {
  common::v1::CoalescedCall call;
  call.set_request_id(std::move(request_id));
  call.set_bearer_token(std::move(bearer_token));
  call.set_client_ip(std::move(client_ip));
  request.SerializeToString(call.mutable_request());
  Batch batch;
  bool full = false;
  {
    absl::MutexLock lock(&mu_);
    full = waiting_.size() >= kWaitingMax;
    if (!full) {
      waiting_.push_back({std::move(call), std::move(response), std::move(done)});
      if (in_flight_ < kBatchesInFlightMax) batch = TakeBatch();
    }
  }
  if (full) {
    BackendResult refused;
    refused.status = absl::UnavailableError(
        absl::StrCat(method_.rpc(), ": too many calls waiting for the service; retry shortly"));
    return done(std::move(refused), *response);
  }
  if (batch.calls != nullptr) Send(std::move(batch));
}

Coalescer::Batch Coalescer::TakeBatch() {
  Batch batch;
  if (waiting_.empty()) return batch;
  const size_t taken = std::min(waiting_.size(), static_cast<size_t>(kit::kCoalescedCallsMax));
  batch.calls = std::make_shared<common::v1::CoalescedCallsRequest>();
  batch.waiting.assign(std::make_move_iterator(waiting_.begin()),
                       std::make_move_iterator(waiting_.begin() + taken));
  waiting_.erase(waiting_.begin(), waiting_.begin() + taken);
  for (Waiting& call : batch.waiting) *batch.calls->add_calls() = std::move(call.call);
  ++in_flight_;
  return batch;
}

void Coalescer::Send(Batch batch) {
  auto sent = std::make_shared<Batch>(std::move(batch));
  method_.Start(NewBackendContext(timeout_, kit::NewRequestId(), /*bearer_token=*/"",
                                  /*client_ip=*/""),
                sent->calls, std::make_unique<common::v1::CoalescedCallsResponse>(),
                [this, sent](BackendResult result, google::protobuf::Message& answers) {
                  Finished(std::move(*sent), std::move(result),
                           static_cast<const common::v1::CoalescedCallsResponse&>(answers));
                });
}

void Coalescer::Finished(Batch batch, BackendResult result,
                         const common::v1::CoalescedCallsResponse& answers) {
  Batch next;
  {
    absl::MutexLock lock(&mu_);
    --in_flight_;
    next = TakeBatch();
  }
  if (next.calls != nullptr) Send(std::move(next));
  for (size_t i = 0; i < batch.waiting.size(); ++i) {
    Waiting& call = batch.waiting[i];
    BackendResult own;
    if (!result.status.ok()) {
      own = result;  // The batch failed as a whole: so did each of its calls.
    } else if (i >= static_cast<size_t>(answers.results_size())) {
      own.status = absl::InternalError(
          absl::StrCat(method_.rpc(), " answered fewer calls than it was sent"));
    } else if (const common::v1::CoalescedResult& answer = answers.results(static_cast<int>(i));
               answer.code() != 0) {
      own.status = absl::Status(static_cast<absl::StatusCode>(answer.code()), answer.message());
      if (answer.has_details()) own.details = answer.details();
    } else if (!call.response->ParseFromString(answer.response())) {
      own.status = absl::InternalError(
          absl::StrCat(method_.rpc(), " answered a call with an unreadable response"));
    }
    call.done(std::move(own), *call.response);
  }
}

}  // namespace bitcontent::gateway
