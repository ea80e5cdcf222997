#include "services/accounts/fake_salts.h"

#include "absl/strings/str_cat.h"
#include "libs/crypto/hash.h"
#include "libs/crypto/random.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts {
namespace {

constexpr std::string_view kSecretName = "prelogin_salt_key";
constexpr size_t kSecretBytes = 32;
// Domain separation: this MAC is used for nothing else.
constexpr absl::string_view kLabel = "bitcontent/prelogin-salt/v1:";

}  // namespace

absl::StatusOr<FakeSalts> FakeSalts::LoadOrCreate(const AccountsDb& db) {
  absl::StatusOr<std::string> stored = db.store().Get(db.secrets, kSecretName);
  if (stored.ok() && stored->size() == kSecretBytes) return FakeSalts(std::move(*stored));
  if (stored.ok()) {
    return absl::DataLossError("accounts store: the pre-login salt secret has the wrong size");
  }
  if (!absl::IsNotFound(stored.status())) return stored.status();
  std::string secret = crypto::RandomBytes(kSecretBytes);
  if (absl::Status s = db.store().Put(db.secrets, kSecretName, secret, {.sync = true}); !s.ok()) {
    return s;
  }
  return FakeSalts(std::move(secret));
}

std::string FakeSalts::For(absl::string_view normal_email) const {
  return crypto::Blake2b256Keyed(key_, absl::StrCat(kLabel, normal_email)).substr(0, kSaltBytes);
}

}  // namespace bitcontent::accounts
