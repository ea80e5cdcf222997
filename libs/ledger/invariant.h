// LEDGER_ASSERT: a "cannot happen" check that stays on in release builds. A broken
// ledger invariant (unbalanced totals, an overdrawn constrained account, an id written
// twice) means the engine is wrong; continuing would commit wrong money, so it prints the
// condition and aborts.
#pragma once

namespace bitcontent::ledger {

[[noreturn]] void InvariantViolated(const char* condition, const char* file, int line);

}  // namespace bitcontent::ledger

#define LEDGER_ASSERT(condition)                                                               \
  do {                                                                                         \
    if (!(condition)) ::bitcontent::ledger::InvariantViolated(#condition, __FILE__, __LINE__); \
  } while (false)
