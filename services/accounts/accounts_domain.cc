#include "services/accounts/accounts_domain.h"

#include "absl/strings/str_cat.h"
#include "services/accounts/email.h"
#include "services/accounts/limits.h"

namespace bitcontent::accounts {
namespace {

absl::Status CheckOptions(const DomainOptions& options) {
  if (options.access_token_ttl < absl::Minutes(1) ||
      options.access_token_ttl > kAccessTokenLifetimeMax) {
    return absl::InvalidArgumentError(absl::StrCat("access_token_ttl_s must be between 60 and ",
                                                   absl::ToInt64Seconds(kAccessTokenLifetimeMax)));
  }
  if (options.refresh_token_ttl <= options.access_token_ttl ||
      options.refresh_token_ttl > kRefreshTokenLifetimeMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("refresh_token_ttl_s must be above access_token_ttl_s and at most ",
                     absl::ToInt64Seconds(kRefreshTokenLifetimeMax)));
  }
  if (absl::Status s = crypto::ValidateKdfParams(options.auth_key_hash_params); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("auth_key_hash_ops / auth_key_hash_mem_bytes: ", s.message()));
  }
  if (absl::Status s = crypto::ValidateKdfParams(options.client_kdf_min); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("client_kdf_ops_min / client_kdf_mem_bytes_min: ", s.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::flat_hash_set<std::string>> OperatorEmails(
    const std::vector<std::string>& emails) {
  absl::flat_hash_set<std::string> normal;
  for (const std::string& email : emails) {
    absl::StatusOr<std::string> one = NormalizeEmail(email, "operator_emails");
    if (!one.ok()) return one.status();
    normal.insert(std::move(*one));
  }
  return normal;
}

}  // namespace

absl::StatusOr<std::unique_ptr<AccountsDomain>> AccountsDomain::Open(
    store::Store* store, const DomainOptions& options, std::unique_ptr<redis::Client> redis,
    absl::Time now) {
  if (absl::Status s = CheckOptions(options); !s.ok()) return s;
  if (absl::StatusOr<absl::flat_hash_set<std::string>> emails =
          OperatorEmails(options.operator_emails);
      !emails.ok()) {
    return emails.status();
  }
  const AccountsDb db(store);
  absl::StatusOr<AuthKeyHasher> hasher = AuthKeyHasher::Create(options.auth_key_hash_params);
  if (!hasher.ok()) return hasher.status();
  absl::StatusOr<FakeSalts> fake_salts = FakeSalts::LoadOrCreate(db);
  if (!fake_salts.ok()) return fake_salts.status();
  absl::StatusOr<std::unique_ptr<keystore::SigningKeys>> signing_keys =
      keystore::SigningKeys::LoadOrCreate(db.store(), db.signing_keys,
                                          {.purpose = common::v1::KEY_PURPOSE_ACCESS_TOKEN,
                                           .issuer = "accounts",
                                           .key_id_prefix = "acc"},
                                          now);
  if (!signing_keys.ok()) return signing_keys.status();
  return std::unique_ptr<AccountsDomain>(
      new AccountsDomain(store, options, std::move(*hasher), std::move(*fake_salts),
                         std::move(*signing_keys), std::move(redis)));
}

AccountsDomain::AccountsDomain(store::Store* store, const DomainOptions& options,
                               AuthKeyHasher hasher, FakeSalts fake_salts,
                               std::unique_ptr<keystore::SigningKeys> signing_keys,
                               std::unique_ptr<redis::Client> redis)
    : options_(options),
      db_(store),
      outbox_(db_),
      users_(db_),
      sessions_(db_, &locks_, &outbox_, options.refresh_token_ttl),
      api_keys_(db_, &locks_, &outbox_),
      quotas_(db_, &locks_, options.default_quota_bytes),
      legacy_(db_, &locks_, &users_),
      hasher_(std::move(hasher)),
      fake_salts_(std::move(fake_salts)),
      signing_keys_(std::move(signing_keys)),
      issuer_(&signing_keys_->current(), options.access_token_ttl),
      flows_({.db = &db_,
              .locks = &locks_,
              .users = &users_,
              .sessions = &sessions_,
              .api_keys = &api_keys_,
              .legacy = &legacy_,
              .outbox = &outbox_,
              .hasher = &hasher_,
              .fake_salts = &fake_salts_,
              .issuer = &issuer_},
             {.client_kdf_min = options.client_kdf_min,
              .operator_emails = *OperatorEmails(options.operator_emails)}),
      publisher_(&outbox_, std::move(redis), options.access_token_ttl) {}

}  // namespace bitcontent::accounts
