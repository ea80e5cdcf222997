// The services the gateway fronts, one channel each, from --<service>_target flags.
#pragma once

#include <grpcpp/channel.h>

#include <map>
#include <memory>
#include <string>

namespace bitcontent::gateway {

class Backends {
 public:
  // Channels to every service whose --<name>_target flag is set.
  static Backends FromFlags();

  // Name -> channel, in name order.
  const std::map<std::string, std::shared_ptr<grpc::Channel>>& channels() const {
    return channels_;
  }

 private:
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

}  // namespace bitcontent::gateway
