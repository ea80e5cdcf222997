// Restoring the members of the legacy service: ImportBatch creates pending-claim
// members from (email, legacy id, legacy creation date) lines, idempotently by legacy
// id, and claim tokens (auth opaque tokens "bcc_...", one working token per member,
// one use) let each owner set a password later through AccountFlows::Claim.
//
// A batch is validated line by line (a bad line is reported and skipped, never failing
// the batch), checked against existing emails and legacy ids with batched reads, and
// committed as one synced WriteBatch under the creation lock, so that a million lines go
// in at tens of thousands per second and a re-run of the same file changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/accounts/v1/accounts_admin_service.pb.h"
#include "libs/store/write_batch.h"
#include "services/accounts/accounts_db.h"
#include "services/accounts/records.pb.h"
#include "services/accounts/user_locks.h"
#include "services/accounts/user_store.h"

namespace bitcontent::accounts {

// Running totals over one import stream.
struct ImportTotals {
  uint64_t created = 0;
  uint64_t already_imported = 0;
  uint64_t rejected = 0;
};

class LegacyImport {
 public:
  LegacyImport(const AccountsDb& db, UserLocks* locks, const UserStore* users)
      : db_(db), locks_(locks), users_(users) {}

  // Imports one batch and answers with a result per line (parsed or not), in line
  // order, and the running `totals`, which it updates. INVALID_ARGUMENT for a batch of
  // more than kImportBatchAccountsMax lines; everything else is a per-line result.
  absl::StatusOr<v1::ImportLegacyAccountsResponse> ImportBatch(
      const v1::ImportLegacyAccountsRequest& request, absl::Time now, ImportTotals* totals);

  // A fresh claim token for a pending-claim member, valid until `expire_time` (default
  // kClaimTokenLifetimeDefault, at most kClaimTokenLifetimeMax ahead); the member's
  // earlier token stops working. FAILED_PRECONDITION for a member who is not pending.
  absl::StatusOr<v1::IssueClaimTokenResponse> IssueClaimToken(absl::string_view user_id,
                                                              std::optional<absl::Time> expire_time,
                                                              absl::Time now);

  // The pending member `claim_token` was issued for. UNAUTHENTICATED for an unknown,
  // used, replaced or expired token; PERMISSION_DENIED when `normal_email` is not the
  // imported email.
  absl::StatusOr<storage::UserRecord> CheckClaimToken(absl::string_view claim_token,
                                                      absl::string_view normal_email,
                                                      absl::Time now) const;

  // Stages the end of the member's claim token (it was used). Clears claim_token_id in
  // `user`, which the caller stages.
  void StageConsumeClaimToken(store::WriteBatch* batch, storage::UserRecord* user) const;

 private:
  // Creates the claim token record of `user` in `batch`; returns the token text.
  std::string StageClaimToken(store::WriteBatch* batch, storage::UserRecord* user,
                              absl::Time expire_time) const;

  const AccountsDb& db_;
  UserLocks* const locks_;
  const UserStore* const users_;
};

}  // namespace bitcontent::accounts
