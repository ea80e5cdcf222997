#include "libs/crypto/programmer_error.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace bitcontent::crypto {

void ProgrammerError(absl::string_view message) {
  std::fprintf(stderr, "bitcontent: %.*s\n", static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  std::abort();
}

void RequireSize(absl::string_view function, absl::string_view what, size_t actual,
                 size_t expected) {
  if (actual != expected) {
    ProgrammerError(
        absl::StrCat(function, ": ", what, " must be ", expected, " bytes, got ", actual));
  }
}

}  // namespace bitcontent::crypto
