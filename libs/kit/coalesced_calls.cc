#include "libs/kit/coalesced_calls.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "libs/kit/error_details.h"
#include "libs/kit/log.h"

namespace bitcontent::kit {

common::v1::CoalescedResult CoalescedResultOf(const common::v1::CoalescedCall& call,
                                              const absl::Status& status,
                                              const google::protobuf::Message* response) {
  common::v1::CoalescedResult result;
  if (!status.ok()) {
    result.set_code(static_cast<int>(status.code()));
    result.set_message(std::string(status.message()));
    *result.mutable_details() = DetailsOf(status);
    result.mutable_details()->set_request_id(call.request_id());
    return result;
  }
  if (response != nullptr) response->SerializeToString(result.mutable_response());
  return result;
}

void LogCoalescedCall(absl::string_view method, const common::v1::CoalescedCall& call,
                      const absl::Status& status) {
  Log(status.ok() ? spdlog::level::debug : spdlog::level::info, "coalesced call",
      {{"request_id", call.request_id()},
       {"method", method},
       {"code", absl::StatusCodeToString(status.code())},
       {"error", status.message()}});
}

absl::Status CheckCoalescedSize(const common::v1::CoalescedCallsRequest& request) {
  if (request.calls_size() <= kCoalescedCallsMax) return absl::OkStatus();
  return FieldError("calls", absl::StrCat("holds ", request.calls_size(), " calls; at most ",
                                          kCoalescedCallsMax, " per batch"));
}

}  // namespace bitcontent::kit
