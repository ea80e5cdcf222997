// bitcontent-accounts: wiring only; see accounts_service.h.
#include "libs/kit/serve.h"
#include "services/accounts/accounts_service.h"

int main(int argc, char** argv) {
  bitcontent::kit::InitService(argc, argv, "accounts");
  bitcontent::accounts::AccountsService accounts_service;
  bitcontent::accounts::AccountsInternalService accounts_internal_service;
  bitcontent::accounts::AccountsAdminService accounts_admin_service;
  return bitcontent::kit::Serve(
      {.name = "accounts",
       .services = {&accounts_service, &accounts_internal_service, &accounts_admin_service}});
}
