#include "services/accounts/accounts_db.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::accounts {
std::vector<std::string> AccountsDb::FamilyNames() {
  return {"users",          "emails",
          "legacy_ids",     "sessions",
          "refresh_tokens", "api_keys",
          "api_key_tokens", "api_key_charges",
          "quotas",         "quota_reservations",
          "quota_holds",    "quota_adjustments",
          "claim_tokens",   "signing_keys",
          "secrets",        "revocation_outbox",
          "revocations"};
}

absl::StatusOr<std::unique_ptr<store::Store>> AccountsDb::OpenStore(const std::string& path) {
  return store::Store::Open({.path = path, .column_families = FamilyNames()});
}

AccountsDb::AccountsDb(store::Store* store)
    : users(store->MustFamily("users")),
      emails(store->MustFamily("emails")),
      legacy_ids(store->MustFamily("legacy_ids")),
      sessions(store->MustFamily("sessions")),
      refresh_tokens(store->MustFamily("refresh_tokens")),
      api_keys(store->MustFamily("api_keys")),
      api_key_tokens(store->MustFamily("api_key_tokens")),
      api_key_charges(store->MustFamily("api_key_charges")),
      quotas(store->MustFamily("quotas")),
      quota_reservations(store->MustFamily("quota_reservations")),
      quota_holds(store->MustFamily("quota_holds")),
      quota_adjustments(store->MustFamily("quota_adjustments")),
      claim_tokens(store->MustFamily("claim_tokens")),
      signing_keys(store->MustFamily("signing_keys")),
      secrets(store->MustFamily("secrets")),
      revocation_outbox(store->MustFamily("revocation_outbox")),
      revocations(store->MustFamily("revocations")),
      store_(store) {}

}  // namespace bitcontent::accounts
