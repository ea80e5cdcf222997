// The gRPC surface of the accounts service. Its RPCs are declared in
// proto/bitcontent/accounts/v1/ and are built in the issues that need them; until then
// each answers UNIMPLEMENTED with a message naming the method (see the kit's
// interceptor), never a silent success.
#pragma once

#include "bitcontent/accounts/v1/accounts_admin_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"

namespace bitcontent::accounts {

class AccountsService final : public v1::AccountsService::Service {};
class AccountsInternalService final : public v1::AccountsInternalService::Service {};
class AccountsAdminService final : public v1::AccountsAdminService::Service {};

}  // namespace bitcontent::accounts
