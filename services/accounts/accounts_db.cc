#include "services/accounts/accounts_db.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::accounts {
namespace {

// The families are created by OpenStore; a missing one means the store was opened some
// other way, a programming error that must stop the process before it serves anything.
store::ColumnFamily MustFamily(store::Store* store, absl::string_view name) {
  absl::StatusOr<store::ColumnFamily> family = store->Family(store::KeyView(name));
  if (!family.ok()) {
    std::fprintf(stderr, "accounts store lacks column family %s: %s\n", std::string(name).c_str(),
                 std::string(family.status().message()).c_str());
    std::abort();
  }
  return *family;
}

}  // namespace

std::vector<std::string> AccountsDb::FamilyNames() {
  return {"users",          "emails",
          "legacy_ids",     "sessions",
          "refresh_tokens", "api_keys",
          "api_key_tokens", "api_key_charges",
          "quotas",         "quota_reservations",
          "quota_holds",    "quota_adjustments",
          "claim_tokens",   "signing_keys",
          "secrets",        "revocation_outbox"};
}

absl::StatusOr<std::unique_ptr<store::Store>> AccountsDb::OpenStore(const std::string& path) {
  return store::Store::Open({.path = path, .column_families = FamilyNames()});
}

AccountsDb::AccountsDb(store::Store* store)
    : users(MustFamily(store, "users")),
      emails(MustFamily(store, "emails")),
      legacy_ids(MustFamily(store, "legacy_ids")),
      sessions(MustFamily(store, "sessions")),
      refresh_tokens(MustFamily(store, "refresh_tokens")),
      api_keys(MustFamily(store, "api_keys")),
      api_key_tokens(MustFamily(store, "api_key_tokens")),
      api_key_charges(MustFamily(store, "api_key_charges")),
      quotas(MustFamily(store, "quotas")),
      quota_reservations(MustFamily(store, "quota_reservations")),
      quota_holds(MustFamily(store, "quota_holds")),
      quota_adjustments(MustFamily(store, "quota_adjustments")),
      claim_tokens(MustFamily(store, "claim_tokens")),
      signing_keys(MustFamily(store, "signing_keys")),
      secrets(MustFamily(store, "secrets")),
      revocation_outbox(MustFamily(store, "revocation_outbox")),
      store_(store) {}

std::string JoinKey(absl::string_view a, absl::string_view b) { return absl::StrCat(a, b); }

std::string JoinKey(absl::string_view a, absl::string_view b, absl::string_view c) {
  return absl::StrCat(a, b, c);
}

std::string TimeKey(absl::Time time) {
  const int64_t micros = absl::ToUnixMicros(time);
  return store::EncodeUint64(micros < 0 ? 0 : static_cast<uint64_t>(micros));
}

}  // namespace bitcontent::accounts
