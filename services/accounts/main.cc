// bitcontent-accounts: wiring only. Opens the RocksDB under --data_dir, builds the
// domain (accounts_domain.h) and serves the three gRPC surfaces through the kit.
#include "absl/flags/flag.h"
#include "libs/kit/flags.h"
#include "libs/kit/log.h"
#include "libs/kit/serve.h"
#include "services/accounts/accounts_admin_service.h"
#include "services/accounts/accounts_internal_service.h"
#include "services/accounts/accounts_service.h"
#include "services/accounts/flags.h"

int main(int argc, char** argv) {
  using namespace bitcontent;
  kit::InitService(argc, argv, "accounts");
  auto fail = [](absl::string_view what, const absl::Status& status) {
    kit::Log(spdlog::level::err, what, {{"error", status.message()}});
    return 1;
  };
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      accounts::AccountsDb::OpenStore(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) return fail("cannot open the accounts store", store.status());
  absl::StatusOr<std::unique_ptr<redis::Client>> redis = accounts::RedisClientFromFlags();
  if (!redis.ok()) return fail("bad --redis_address", redis.status());
  absl::StatusOr<std::unique_ptr<accounts::AccountsDomain>> domain = accounts::AccountsDomain::Open(
      store->get(), accounts::DomainOptionsFromFlags(), std::move(*redis), absl::Now());
  if (!domain.ok()) return fail("cannot start the accounts domain", domain.status());
  (*domain)->StartBackgroundWork();

  const accounts::CallerAuthenticator callers(&(*domain)->signing_keys().keyring(),
                                              &(*domain)->sessions(), &(*domain)->api_keys());
  accounts::AccountsService accounts_service(domain->get(), &callers);
  accounts::AccountsInternalService accounts_internal_service(domain->get(), &callers);
  accounts::AccountsAdminService accounts_admin_service(domain->get(), &callers);
  return kit::Serve(
      {.name = "accounts",
       .services = {&accounts_service, &accounts_internal_service, &accounts_admin_service}});
}
