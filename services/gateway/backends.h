// The services the gateway fronts, one channel each, from --<service>_target flags.
// Channels are made once and shared by every request (gRPC multiplexes calls on them).
#pragma once

#include <grpcpp/channel.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace bitcontent::gateway {

class Backends {
 public:
  // Channels to every service whose --<name>_target flag is set.
  static Backends FromFlags();

  // Channels to the given targets by service name (tests, tools).
  static Backends FromTargets(const std::map<std::string, std::string>& targets);

  // Name -> channel, in name order.
  const std::map<std::string, std::shared_ptr<grpc::Channel>>& channels() const {
    return channels_;
  }

  // The channel to `service` ("accounts"), or nullptr when it is not configured.
  std::shared_ptr<grpc::Channel> Channel(absl::string_view service) const;

 private:
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

}  // namespace bitcontent::gateway
