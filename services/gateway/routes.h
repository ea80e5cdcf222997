// The gateway's route table: every public REST route, the gRPC method each maps to and
// who may call it. Adding a route to the public API is one entry in routes.cc.
//
// The public gRPC API uses the same table: a method a route maps to gets that route's
// auth policy; other methods get the default of their service (see PolicyForMethod).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/gateway/route.h"

namespace bitcontent::gateway {

// Every route, in the order of the API reference.
const std::vector<Route>& Routes();

// How the gateway exposes a gRPC method on its public gRPC listener.
struct MethodExposure {
  // "accounts" for "/bitcontent.accounts.v1.AccountsService/Login"; "gateway" for its own.
  std::string backend;
  AuthPolicy auth;
};

// The exposure of `rpc` ("/bitcontent.<service>.v1.<Name>Service/<Method>"): the policy
// of the first route that maps to it; otherwise members' sessions for the member-facing
// services and operators for *AdminService. NotFound for methods the gateway never
// exposes (every *InternalService, anything outside bitcontent.*.v1) and malformed names.
absl::StatusOr<MethodExposure> ExposureOf(absl::string_view rpc, const std::vector<Route>& routes);

// "/bitcontent.accounts.v1.AccountsService/Login" ->
// "bitcontent.accounts.v1.AccountsService.Login", the name the descriptor pool knows it by.
std::string DescriptorNameOf(absl::string_view rpc);

// Makes sure every contract the table names is linked into the binary, so its
// descriptors are in the generated pool (a static library drops unreferenced files).
void LinkContracts();

}  // namespace bitcontent::gateway
