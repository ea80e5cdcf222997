// Capability grants: short-lived permissions, signed by metadata, to write one upload
// session or read one blob (blobs/v1/grants.proto). Metadata issues one after its own
// access checks (owner, share, public link, entitlement); blobs verifies it locally
// with metadata's published keys, with no call back per chunk.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/blobs/v1/grants.pb.h"
#include "libs/auth/key_ring.h"
#include "libs/auth/signed_token.h"

namespace bitcontent::auth {

// A grant lives at most this long; a client asks metadata for a new one to go on.
inline constexpr absl::Duration kGrantLifetimeMax = absl::Hours(1);

// Signs `claims` (KEY_PURPOSE_CAPABILITY_GRANT). Aborts when they are not something
// metadata may issue: no permission, an UPLOAD grant without its upload session or
// size, a READ grant without its blob, or a lifetime outside (0, kGrantLifetimeMax] —
// mistakes in the issuing code.
std::string IssueGrant(const SigningKey& key, const blobs::v1::GrantClaims& claims);

// The claims of `grant` if it verifies (VerifyToken's messages) and is valid at `now`
// (within kClockSkew) for `permission`. UNAUTHENTICATED otherwise: "no grant", "grant expired",
// "grant not yet valid", "malformed grant", "this grant does not permit <what>".
absl::StatusOr<blobs::v1::GrantClaims> VerifyGrant(absl::string_view grant,
                                                   blobs::v1::GrantPermission permission,
                                                   const KeyRing& keys, absl::Time now);

}  // namespace bitcontent::auth
