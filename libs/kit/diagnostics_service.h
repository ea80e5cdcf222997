// bitcontent.common.v1.Diagnostics, served by every service (see diagnostics.proto).
#pragma once

#include <string>

#include "bitcontent/common/v1/diagnostics.grpc.pb.h"

namespace bitcontent::kit {

class DiagnosticsService final : public common::v1::Diagnostics::Service {
 public:
  // Ping never waits longer than this, whatever the request asks.
  static constexpr uint32_t kDelayMsMax = 30000;

  explicit DiagnosticsService(std::string service_name);

  grpc::Status Ping(grpc::ServerContext* context, const common::v1::PingRequest* request,
                    common::v1::PingResponse* response) override;

 private:
  const std::string service_name_;
};

}  // namespace bitcontent::kit
