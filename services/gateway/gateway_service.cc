#include "services/gateway/gateway_service.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/access_token.h"
#include "libs/auth/proto_time.h"

namespace bitcontent::gateway {
namespace {

constexpr char kSuiteVersion[] = "0.3.0";
constexpr char kApiVersion[] = "v1";
constexpr uint32_t kDefaultChunkSizeBytes = 1 << 20;
constexpr uint32_t kMaxChunkSizeBytes = 4 << 20;
constexpr char kListPublicKeys[] = "/bitcontent.gateway.v1.GatewayService/ListPublicKeys";
constexpr char kGetServerInfo[] = "/bitcontent.gateway.v1.GatewayService/GetServerInfo";

}  // namespace

GatewayService::GatewayService(const auth::KeyRing* keys, const auth::KeyRing* pricing_keys,
                               const kit::KeyRefresher* pricing_refresher, ServerInfoConfig config)
    : keys_(keys),
      pricing_keys_(pricing_keys),
      pricing_refresher_(pricing_refresher),
      config_(config) {}

v1::ServerInfo GatewayService::Info() const {
  v1::ServerInfo info;
  info.set_version(kSuiteVersion);
  info.set_api_version(kApiVersion);
  info.set_default_chunk_size_bytes(kDefaultChunkSizeBytes);
  info.set_max_chunk_size_bytes(kMaxChunkSizeBytes);
  info.set_max_request_body_bytes(config_.max_request_body_bytes);
  info.set_access_token_lifetime_seconds(
      static_cast<uint32_t>(absl::ToInt64Seconds(auth::kAccessTokenLifetimeMax)));
  *info.mutable_server_time() = auth::ProtoFromTime(absl::Now());
  return info;
}

v1::ListPublicKeysResponse GatewayService::PublicKeys() const {
  v1::ListPublicKeysResponse response;
  for (common::v1::PublicKey& key : keys_->List()) *response.add_keys() = std::move(key);
  // At once when loaded; only a gateway that has just started waits.
  if (pricing_refresher_ != nullptr) (void)pricing_refresher_->AwaitLoaded(kPricingKeysWaitMax);
  if (pricing_keys_ != nullptr) {
    for (common::v1::PublicKey& key : pricing_keys_->List()) *response.add_keys() = std::move(key);
  }
  return response;
}

grpc::Status GatewayService::GetServerInfo(grpc::ServerContext*, const v1::GetServerInfoRequest*,
                                           v1::ServerInfo* response) {
  *response = Info();
  return grpc::Status::OK;
}

grpc::Status GatewayService::ListPublicKeys(grpc::ServerContext*, const v1::ListPublicKeysRequest*,
                                            v1::ListPublicKeysResponse* response) {
  *response = PublicKeys();
  return grpc::Status::OK;
}

absl::Status GatewayService::CallLocal(absl::string_view rpc, const google::protobuf::Message&,
                                       google::protobuf::Message& response) const {
  if (rpc == kListPublicKeys) {
    response.CopyFrom(PublicKeys());
    return absl::OkStatus();
  }
  if (rpc == kGetServerInfo) {
    response.CopyFrom(Info());
    return absl::OkStatus();
  }
  return absl::UnimplementedError(
      absl::StrCat(rpc, " is declared in the contract but not built yet in the gateway"));
}

}  // namespace bitcontent::gateway
