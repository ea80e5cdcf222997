#include "libs/ledger/invariant.h"

#include <cstdio>
#include <cstdlib>

namespace bitcontent::ledger {

void InvariantViolated(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "ledger invariant violated at %s:%d: %s\n", file, line, condition);
  std::fflush(stderr);
  std::abort();
}

}  // namespace bitcontent::ledger
