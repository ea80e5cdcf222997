#include "libs/metrics/programmer_error.h"

#include <cstdio>
#include <cstdlib>

namespace bitcontent::metrics::internal {

void ProgrammerError(std::string_view message) {
  std::fprintf(stderr, "metrics: %.*s\n", static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace bitcontent::metrics::internal
