// Every size, count and duration limit of the accounts service, in one place, so that
// each error message can name the limit and reviewers can see them all at once.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"

namespace bitcontent::accounts {

// Emails (RFC 5321 path limit).
inline constexpr size_t kEmailLengthMax = 254;

// What clients derive: libsodium sizes.
inline constexpr size_t kSaltBytes = 16;
inline constexpr size_t kAuthKeyBytes = 32;
inline constexpr size_t kRecoveryAuthKeyBytes = 32;
inline constexpr size_t kPublicKeyBytes = 32;
// A wrapped key is nonce (24) || ciphertext || tag (16); anything bigger than this is
// not a wrapped key.
inline constexpr size_t kWrappedKeyBytesMax = 256;
inline constexpr size_t kWrappedKeyBytesMin = 24 + 16 + 16;

// Devices.
inline constexpr size_t kDeviceIdLengthMax = 64;
inline constexpr size_t kDeviceNameLengthMax = 100;
inline constexpr size_t kDevicePlatformLengthMax = 200;
inline constexpr size_t kIpLengthMax = 64;

// Idempotency keys (request_id fields).
inline constexpr size_t kRequestIdLengthMax = 128;

// Sessions: the least recently active one is signed out when a login would exceed this.
inline constexpr size_t kSessionsPerUserMax = 100;
// Refresh tokens remembered per session to recognise a replayed old one.
inline constexpr size_t kRefreshTokensRememberedMax = 8;

// API keys.
inline constexpr size_t kApiKeyDisplayNameLengthMax = 100;
inline constexpr size_t kActiveApiKeysPerUserMax = 100;
// Revoked and expired keys are kept for the listing; at most this many keys in all.
inline constexpr size_t kApiKeysPerUserMax = 1000;
inline constexpr size_t kApiKeyPrefixLength = 12;
// Access tokens minted for an API key live at most this long (the contract's 5 minutes).
inline constexpr absl::Duration kApiKeyAccessTokenLifetimeMax = absl::Minutes(5);
// last_used_time is written at most this often per key.
inline constexpr absl::Duration kApiKeyLastUsedGranularity = absl::Minutes(1);

// Quota reservations.
inline constexpr size_t kReservationIdLengthMax = 64;
inline constexpr absl::Duration kReservationLifetimeMax = absl::Hours(24 * 7);
inline constexpr size_t kHeldReservationsPerUserMax = 10000;
// Expired holds given back per call; the rest go on the next call.
inline constexpr size_t kExpiredHoldsSweptPerCallMax = 1000;

// Access tokens: the decision for issue 3 caps them at 15 minutes.
inline constexpr absl::Duration kAccessTokenLifetimeMax = absl::Minutes(15);
inline constexpr absl::Duration kRefreshTokenLifetimeMax = absl::Hours(24 * 365);

// Legacy import.
inline constexpr size_t kImportBatchAccountsMax = 10000;
inline constexpr size_t kLegacyIdLengthMax = 128;
inline constexpr absl::Duration kClaimTokenLifetimeDefault = absl::Hours(24 * 30);
inline constexpr absl::Duration kClaimTokenLifetimeMax = absl::Hours(24 * 365);

// BatchGetUsers.
inline constexpr size_t kBatchGetUsersMax = 100;

// Admin.
inline constexpr size_t kStateReasonLengthMax = 500;

// Revocation publishing to Redis.
inline constexpr size_t kRevocationsPublishedPerRoundMax = 256;
inline constexpr absl::Duration kRevocationRetryDelayMin = absl::Milliseconds(100);
inline constexpr absl::Duration kRevocationRetryDelayMax = absl::Seconds(1);
// Most revocations set again at once after Redis lost them (those of the last access-token
// lifetime, 15 minutes, oldest first); more is logged, an operator's sign that the lifetime
// or Redis's durability needs another look.
inline constexpr size_t kRevocationsRecordedMax = 200'000;

}  // namespace bitcontent::accounts
