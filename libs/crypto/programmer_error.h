// How libs/crypto and libs/auth stop the process when their caller breaks a rule only
// code can break: a key of the wrong size, a subkey context that is not 8 characters, a
// token purpose that has no signing label. Such mistakes show up on the first run, so
// failing loudly beats returning an error nobody would handle. Nothing a remote peer
// sends reaches this path: ciphertexts, signatures, tokens and hashes from the network
// are checked and answered with an error or `false`.
#pragma once

#include <cstddef>

#include "absl/strings/string_view.h"

namespace bitcontent::crypto {

// Writes "bitcontent: <message>" to stderr and aborts the process.
[[noreturn]] void ProgrammerError(absl::string_view message);

// Aborts with "<function>: <what> must be <expected> bytes, got <actual>" unless
// `actual == expected`.
void RequireSize(absl::string_view function, absl::string_view what, size_t actual,
                 size_t expected);

}  // namespace bitcontent::crypto
