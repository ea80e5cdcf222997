// Capability grants as metadata issues them (libs/auth/grant.h, blobs/v1/grants.proto):
// short-lived, signed with metadata's grant key, naming one upload session or one blob,
// after the caller's own access check.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/blobs/v1/grants.pb.h"
#include "bitcontent/metadata/v1/uploads.pb.h"
#include "libs/auth/signed_token.h"

namespace bitcontent::metadata {

// How long a grant lasts; a client asks for a new one to go on.
inline constexpr absl::Duration kGrantLifetime = absl::Hours(1);

// Signs `claims` (its permission and object set) for `subject` ("users/{user}",
// "links/{link}"), valid from `now` until `expire`.
std::string SignGrant(const auth::SigningKey& key, blobs::v1::GrantClaims claims,
                      absl::string_view subject, absl::Time now, absl::Time expire);

// A READ grant for `version`'s blob, for `subject`, with the version.
v1::DownloadGrant DownloadGrantFor(const auth::SigningKey& key, v1::Version version,
                                   absl::string_view subject, absl::Time now);

}  // namespace bitcontent::metadata
