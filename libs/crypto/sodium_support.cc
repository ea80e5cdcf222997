#include "libs/crypto/sodium_support.h"

#include <sodium.h>

#include "libs/crypto/programmer_error.h"

namespace bitcontent::crypto::internal {
namespace {

bool InitialiseOnce() {
  // sodium_init() returns 0 on first success, 1 when already initialised, -1 on failure.
  if (sodium_init() < 0) {
    ProgrammerError("crypto::EnsureSodium: sodium_init() failed; libsodium cannot be used");
  }
  return true;
}

}  // namespace

void EnsureSodium() {
  // A function-local static is initialised exactly once, even with concurrent callers.
  static const bool initialised = InitialiseOnce();
  (void)initialised;
}

}  // namespace bitcontent::crypto::internal
