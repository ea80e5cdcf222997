// bitcontent-wallet: wiring only; see wallet_service.h.
#include "libs/kit/serve.h"
#include "services/wallet/wallet_service.h"

int main(int argc, char** argv) {
  bitcontent::kit::InitService(argc, argv, "wallet");
  bitcontent::wallet::WalletService wallet_service;
  bitcontent::wallet::WalletInternalService wallet_internal_service;
  bitcontent::wallet::WalletAdminService wallet_admin_service;
  return bitcontent::kit::Serve(
      {.name = "wallet",
       .services = {&wallet_service, &wallet_internal_service, &wallet_admin_service}});
}
