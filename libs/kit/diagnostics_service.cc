#include "libs/kit/diagnostics_service.h"

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "libs/kit/request_id.h"

namespace bitcontent::kit {

DiagnosticsService::DiagnosticsService(std::string service_name)
    : service_name_(std::move(service_name)) {}

grpc::Status DiagnosticsService::Ping(grpc::ServerContext* context,
                                      const common::v1::PingRequest* request,
                                      common::v1::PingResponse* response) {
  if (request->delay_ms() > kDelayMsMax) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("delay_ms must be <= ", kDelayMsMax, ", got ", request->delay_ms()));
  }
  // Waits in short steps so that a caller's deadline or cancellation is noticed within
  // a few milliseconds; this is the behaviour every long handler must copy.
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(request->delay_ms());
  while (std::chrono::steady_clock::now() < until) {
    if (context->IsCancelled()) {
      // gRPC does not say why a call was cancelled. Its deadline timer runs on another
      // clock than system_clock, so a cancellation within a moment of the deadline is
      // taken to be the deadline.
      const bool expired =
          std::chrono::system_clock::now() + std::chrono::milliseconds(100) >= context->deadline();
      return grpc::Status(
          expired ? grpc::StatusCode::DEADLINE_EXCEEDED : grpc::StatusCode::CANCELLED,
          "the caller gave up before the ping delay ended");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  response->set_service(service_name_);
  response->set_request_id(RequestIdOf(*context));
  return grpc::Status::OK;
}

}  // namespace bitcontent::kit
