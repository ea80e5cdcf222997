// Everything the accounts service is made of, built once at start on an open store:
// the stores, the quota ledger, the signing keys, the credential flows and the
// revocation publisher. main.cc builds one and hands it to the gRPC surfaces; the unit
// tests build one on a temporary RocksDB and call the same objects directly.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/crypto/password_kdf.h"
#include "libs/keystore/signing_keys.h"
#include "libs/redis/client.h"
#include "libs/store/store.h"
#include "services/accounts/account_flows.h"
#include "services/accounts/accounts_db.h"
#include "services/accounts/api_key_store.h"
#include "services/accounts/auth_key_hasher.h"
#include "services/accounts/fake_salts.h"
#include "services/accounts/legacy_import.h"
#include "services/accounts/quota_ledger.h"
#include "services/accounts/revocation_outbox.h"
#include "services/accounts/revocation_publisher.h"
#include "services/accounts/session_store.h"
#include "services/accounts/token_issuer.h"
#include "services/accounts/user_locks.h"
#include "services/accounts/user_store.h"

namespace bitcontent::accounts {

struct DomainOptions {
  // Argon2id parameters of the server's hash of each authentication key.
  crypto::KdfParams auth_key_hash_params = crypto::InteractiveKdfParams();
  // Weakest client KDF parameters accepted (the contract's floor by default).
  crypto::KdfParams client_kdf_min = {.ops_limit = 3, .mem_limit_bytes = uint64_t{64} << 20};
  absl::Duration access_token_ttl = absl::Minutes(15);
  absl::Duration refresh_token_ttl = absl::Hours(24 * 30);
  uint64_t default_quota_bytes = 100'000'000'000;
  // Emails (any case) that hold the operator role.
  std::vector<std::string> operator_emails = {};
};

class AccountsDomain {
 public:
  // Builds the domain on `store` (opened with AccountsDb::OpenStore), which must outlive
  // it, creating the signing key and server secret on first use. `redis` may be null: no
  // revocation is published then. INVALID_ARGUMENT for options out of range.
  static absl::StatusOr<std::unique_ptr<AccountsDomain>> Open(store::Store* store,
                                                              const DomainOptions& options,
                                                              std::unique_ptr<redis::Client> redis,
                                                              absl::Time now);

  // Starts publishing revocations in the background.
  void StartBackgroundWork() { publisher_.Start(); }

  const DomainOptions& options() const { return options_; }
  const AccountsDb& db() const { return db_; }
  UserStore& users() { return users_; }
  SessionStore& sessions() { return sessions_; }
  ApiKeyStore& api_keys() { return api_keys_; }
  QuotaLedger& quotas() { return quotas_; }
  LegacyImport& legacy() { return legacy_; }
  const keystore::SigningKeys& signing_keys() const { return *signing_keys_; }
  const TokenIssuer& issuer() const { return issuer_; }
  AccountFlows& flows() { return flows_; }
  RevocationOutbox& outbox() { return outbox_; }
  RevocationPublisher& publisher() { return publisher_; }

 private:
  AccountsDomain(store::Store* store, const DomainOptions& options, AuthKeyHasher hasher,
                 FakeSalts fake_salts, std::unique_ptr<keystore::SigningKeys> signing_keys,
                 std::unique_ptr<redis::Client> redis);

  const DomainOptions options_;
  const AccountsDb db_;
  UserLocks locks_;
  RevocationOutbox outbox_;
  UserStore users_;
  SessionStore sessions_;
  ApiKeyStore api_keys_;
  QuotaLedger quotas_;
  LegacyImport legacy_;
  const AuthKeyHasher hasher_;
  const FakeSalts fake_salts_;
  const std::unique_ptr<keystore::SigningKeys> signing_keys_;
  const TokenIssuer issuer_;
  AccountFlows flows_;
  // Last: its thread stops first, while everything it reads still exists.
  RevocationPublisher publisher_;
};

}  // namespace bitcontent::accounts
