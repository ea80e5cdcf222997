// The gateway's own gRPC surface (proto/bitcontent/gateway/v1/gateway_service.proto),
// served on its gRPC listeners and, for REST, called in-process by the route table
// (GET /v1/keys, GET /v1/serverInfo) through CallLocal.
//
// ListPublicKeys serves the access-token keys the gateway holds from accounts and the
// escrow, quote and receipt keys it holds from pricing (pricing_keys.h); GetServerInfo describes
// this deployment. GetCurrentUser is not built yet and answers UNIMPLEMENTED.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/gateway/v1/gateway_service.grpc.pb.h"
#include "google/protobuf/message.h"
#include "libs/auth/key_ring.h"
#include "libs/kit/key_refresher.h"

namespace bitcontent::gateway {

struct ServerInfoConfig {
  uint64_t max_request_body_bytes = 0;
};

class GatewayService final : public v1::GatewayService::Service {
 public:
  // The longest ListPublicKeys waits for a gateway that has just started to load
  // pricing's keys (its refresher retries every second), rather than answer without them.
  static constexpr absl::Duration kPricingKeysWaitMax = absl::Seconds(3);

  // `keys` (accounts' token keys), `pricing_keys` and `pricing_refresher`, which fills
  // them (both null: no pricing), must outlive this.
  GatewayService(const auth::KeyRing* keys, const auth::KeyRing* pricing_keys,
                 const kit::KeyRefresher* pricing_refresher, ServerInfoConfig config);

  grpc::Status GetServerInfo(grpc::ServerContext* context, const v1::GetServerInfoRequest* request,
                             v1::ServerInfo* response) override;
  grpc::Status ListPublicKeys(grpc::ServerContext* context,
                              const v1::ListPublicKeysRequest* request,
                              v1::ListPublicKeysResponse* response) override;

  // Runs the method `rpc` ("/bitcontent.gateway.v1.GatewayService/ListPublicKeys") for a
  // REST route. Unimplemented for methods not served in-process.
  absl::Status CallLocal(absl::string_view rpc, const google::protobuf::Message& request,
                         google::protobuf::Message& response) const;

 private:
  v1::ServerInfo Info() const;
  v1::ListPublicKeysResponse PublicKeys() const;

  const auth::KeyRing* const keys_;
  const auth::KeyRing* const pricing_keys_;
  const kit::KeyRefresher* const pricing_refresher_;
  const ServerInfoConfig config_;
};

}  // namespace bitcontent::gateway
