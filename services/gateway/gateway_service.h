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
#include "bitcontent/gateway/v1/gateway_service.grpc.pb.h"
#include "google/protobuf/message.h"
#include "libs/auth/key_ring.h"

namespace bitcontent::gateway {

struct ServerInfoConfig {
  uint64_t max_request_body_bytes = 0;
};

class GatewayService final : public v1::GatewayService::Service {
 public:
  // `keys` (accounts' token keys) and `pricing_keys` (may be null: no pricing) must
  // outlive this.
  GatewayService(const auth::KeyRing* keys, const auth::KeyRing* pricing_keys,
                 ServerInfoConfig config);

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
  const ServerInfoConfig config_;
};

}  // namespace bitcontent::gateway
