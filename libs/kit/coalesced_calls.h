// Coalesced calls (bitcontent/common/v1/coalesced_calls.proto): many calls of one unary
// method in one message. This file holds what both ends share: the batch limit, and
// AnswerCoalesced, with which a service answers the coalesced form of a method by
// answering each call as the plain method would.
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/common/v1/coalesced_calls.pb.h"
#include "google/protobuf/message.h"

namespace bitcontent::kit {

// The most calls one CoalescedCallsRequest may carry.
inline constexpr int kCoalescedCallsMax = 128;

// The CoalescedResult of one call's outcome: its code, message and details (with the
// call's request id) when it failed, else `response` serialized.
common::v1::CoalescedResult CoalescedResultOf(const common::v1::CoalescedCall& call,
                                              const absl::Status& status,
                                              const google::protobuf::Message* response);

// INVALID_ARGUMENT when `request` carries more than kCoalescedCallsMax calls.
absl::Status CheckCoalescedSize(const common::v1::CoalescedCallsRequest& request);

// Logs one answered call of `method` (at debug, as the RPC interceptor logs a plain
// call's success), under the call's own request id.
void LogCoalescedCall(absl::string_view method, const common::v1::CoalescedCall& call,
                      const absl::Status& status);

// Answers each call of `request` in order with `answer(call, parsed request)`, which
// returns absl::StatusOr<Response>; `method` names the plain method, for the logs. A
// call whose request does not parse as `Request` is INVALID_ARGUMENT on its own; a
// batch too large fails whole.
template <typename Request, typename Answer>
absl::Status AnswerCoalesced(absl::string_view method,
                             const common::v1::CoalescedCallsRequest& request,
                             common::v1::CoalescedCallsResponse* response, Answer answer) {
  if (absl::Status size = CheckCoalescedSize(request); !size.ok()) return size;
  for (const common::v1::CoalescedCall& call : request.calls()) {
    Request parsed;
    if (!parsed.ParseFromString(call.request())) {
      *response->add_results() = CoalescedResultOf(
          call, absl::InvalidArgumentError("request: not a serialized request of this method"),
          nullptr);
      continue;
    }
    const auto answered = answer(call, parsed);
    LogCoalescedCall(method, call, answered.status());
    *response->add_results() =
        CoalescedResultOf(call, answered.status(), answered.ok() ? &*answered : nullptr);
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::kit
