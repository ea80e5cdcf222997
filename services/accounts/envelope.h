// What the flows make of a client's password envelope: the key bundle the server keeps
// (and hands back at login), and the fingerprint that recognises a retried request. The
// fingerprint covers only values the server stores anyway; secrets (the authentication
// and recovery keys) are checked against their hashes instead.
#pragma once

#include <string>

#include "absl/strings/string_view.h"
#include "bitcontent/accounts/v1/users.pb.h"

namespace bitcontent::accounts {

// Salt, KDF parameters and wrapped master key of `envelope`, with the key pair's halves.
v1::KeyBundle KeyBundleOf(const v1::PasswordEnvelope& envelope, absl::string_view public_key,
                          absl::string_view wrapped_private_key);

// The fingerprint of a request that sets `bundle` for `subject` (an email or user id),
// from device `device`.
std::string EnvelopeFingerprint(absl::string_view subject, const v1::KeyBundle& bundle,
                                const v1::DeviceInfo& device);

}  // namespace bitcontent::accounts
