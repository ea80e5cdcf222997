// The gRPC surface of the wallet service. Its RPCs are declared in
// proto/bitcontent/wallet/v1/ and are built in the issues that need them; until then
// each answers UNIMPLEMENTED with a message naming the method (see the kit's
// interceptor), never a silent success.
#pragma once

#include "bitcontent/wallet/v1/wallet_admin_service.grpc.pb.h"
#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "bitcontent/wallet/v1/wallet_service.grpc.pb.h"

namespace bitcontent::wallet {

class WalletService final : public v1::WalletService::Service {};
class WalletInternalService final : public v1::WalletInternalService::Service {};
class WalletAdminService final : public v1::WalletAdminService::Service {};

}  // namespace bitcontent::wallet
