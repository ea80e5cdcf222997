// API keys: long-lived credentials for apps and scripts, limited to their scopes and,
// with wallet:pay, to a spend limit per period. The secret (an auth opaque token
// "bck_<id>_<secret>") is returned once by Create and stored only as its BLAKE2b hash;
// a revoked key's index entry is deleted so it cannot authenticate, and an outbox entry
// tells the gateway (through Redis) to stop honouring access tokens already minted for it.
//
// Every writer takes the member's lock; Stage* methods require the caller to hold it.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/accounts/v1/api_keys.pb.h"
#include "libs/store/write_batch.h"
#include "services/accounts/accounts_db.h"
#include "services/accounts/records.pb.h"
#include "services/accounts/revocation_outbox.h"
#include "services/accounts/user_locks.h"

namespace bitcontent::accounts {

struct CreatedApiKey {
  v1::ApiKey api_key = {};
  // "bck_...": shown to the member once, never stored.
  std::string secret = {};
};

struct ApiKeyPage {
  std::vector<v1::ApiKey> api_keys = {};
  std::string next_page_token = {};
};

// Spend of a key's current period after a charge or refund.
struct SpendState {
  uint64_t spent_msat = 0;
  uint64_t remaining_msat = 0;
};

// The public view of a key at `now` (EXPIRED once past its expire_time).
v1::ApiKey ApiKeyView(const storage::ApiKeyRecord& record, absl::Time now);

// The start of the spend period holding `now` for `period` (UTC days and months; the
// key's creation for LIFETIME).
absl::Time SpendPeriodStart(v1::SpendLimitPeriod period, absl::Time created, absl::Time now);

class ApiKeyStore {
 public:
  ApiKeyStore(const AccountsDb& db, UserLocks* locks, RevocationOutbox* outbox)
      : db_(db), locks_(locks), outbox_(outbox) {}

  // Creates a key for `user_id` from a CreateApiKeyRequest (parent already resolved).
  // INVALID_ARGUMENT for a bad name, scope set, spend limit or expire time;
  // RESOURCE_EXHAUSTED beyond kActiveApiKeysPerUserMax active keys. A retry with the same
  // request_id returns the same key with a fresh secret while the key was never used.
  absl::StatusOr<CreatedApiKey> Create(absl::string_view user_id,
                                       const v1::CreateApiKeyRequest& request, absl::Time now);

  // The member's keys in creation order; revoked and expired ones only with
  // `show_inactive`.
  absl::StatusOr<ApiKeyPage> List(absl::string_view user_id, int32_t page_size,
                                  absl::string_view page_token, bool show_inactive,
                                  absl::Time now) const;

  // Revokes a key at once; revoking a revoked key returns it unchanged. NOT_FOUND for a
  // key the member does not have.
  absl::StatusOr<v1::ApiKey> Revoke(absl::string_view user_id, absl::string_view api_key_id,
                                    absl::Time now);

  // Stages the revocation of every active key of the member.
  absl::Status StageRevokeAll(store::WriteBatch* batch, absl::string_view user_id,
                              absl::Time now) const;

  // The key `secret` names, when the secret is right and the key active. UNAUTHENTICATED
  // otherwise. Notes the use in last_used_time.
  absl::StatusOr<storage::ApiKeyRecord> Authenticate(absl::string_view secret, absl::Time now);

  // The key record; NOT_FOUND when the member has no such key.
  absl::StatusOr<storage::ApiKeyRecord> Get(absl::string_view user_id,
                                            absl::string_view api_key_id) const;

  // Counts `amount_msat` against the key's spend limit, once per `request_id`.
  // PERMISSION_DENIED (SPEND_LIMIT_EXCEEDED) when it does not fit, (SCOPE_MISSING) for a
  // key without wallet:pay, or for a key that is not active.
  absl::StatusOr<SpendState> Charge(absl::string_view user_id, absl::string_view api_key_id,
                                    uint64_t amount_msat, absl::string_view request_id,
                                    absl::Time now);

  // Sets what is given back of the charge `charge_request_id` to `amount_msat` (at most
  // the charge); repeating a refund changes nothing.
  absl::StatusOr<SpendState> Refund(absl::string_view user_id, absl::string_view api_key_id,
                                    uint64_t amount_msat, absl::string_view charge_request_id,
                                    absl::Time now);

 private:
  absl::StatusOr<std::vector<storage::ApiKeyRecord>> AllOf(absl::string_view user_id) const;
  absl::StatusOr<CreatedApiKey> Retry(storage::ApiKeyRecord record, absl::string_view fingerprint,
                                      absl::Time now);
  void StageRevoke(store::WriteBatch* batch, storage::ApiKeyRecord* record, absl::Time now) const;

  const AccountsDb& db_;
  UserLocks* const locks_;
  RevocationOutbox* const outbox_;
};

}  // namespace bitcontent::accounts
