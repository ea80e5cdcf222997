// CheckNoDuplicateKeys: a JSON body that names one member twice in an object is refused
// before it is parsed. Protobuf's parser keeps the last value, so
// {"amountMsat": "1", "amountMsat": "999"} paid 999 while anything in front of the
// gateway that reads the first value saw 1. A proto field may be spelt two ways
// ("amountMsat" and "amount_msat"), so keys are compared as protobuf matches them:
// without underscores, in any case.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bitcontent::gateway {

// INVALID_ARGUMENT naming the key given twice; OK for a body without one, or one that is
// not well-formed JSON (the parser that follows says what is wrong with it).
absl::Status CheckNoDuplicateKeys(absl::string_view json);

}  // namespace bitcontent::gateway
