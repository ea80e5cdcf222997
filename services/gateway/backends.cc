#include "services/gateway/backends.h"

#include "absl/flags/flag.h"
#include "libs/kit/channel.h"
#include "libs/kit/flags.h"

ABSL_FLAG(std::string, streaming_target, "", "host:port of the streaming service.");

namespace bitcontent::gateway {

Backends Backends::FromFlags() {
  return FromTargets({
      {"accounts", absl::GetFlag(FLAGS_accounts_target)},
      {"metadata", absl::GetFlag(FLAGS_metadata_target)},
      {"blobs", absl::GetFlag(FLAGS_blobs_target)},
      {"wallet", absl::GetFlag(FLAGS_wallet_target)},
      {"pricing", absl::GetFlag(FLAGS_pricing_target)},
      {"streaming", absl::GetFlag(FLAGS_streaming_target)},
  });
}

Backends Backends::FromTargets(const std::map<std::string, std::string>& targets) {
  Backends backends;
  for (const auto& [name, target] : targets) {
    if (!target.empty()) backends.channels_[name] = kit::NewChannel(target);
  }
  return backends;
}

std::shared_ptr<grpc::Channel> Backends::Channel(absl::string_view service) const {
  const auto found = channels_.find(std::string(service));
  return found == channels_.end() ? nullptr : found->second;
}

}  // namespace bitcontent::gateway
