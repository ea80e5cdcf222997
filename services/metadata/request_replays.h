// Request ids (idempotency keys) of the tree's creating calls: what a request id keeps is
// the id of what the first request made and a fingerprint of that request, so that a
// retry answers what was made and the same id sent with another request is refused
// (INVALID_ARGUMENT, IDEMPOTENCY_KEY_REUSED), as the wallet and pricing refuse it,
// rather than answered with something made for another request.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace bitcontent::metadata {

// What the requests family keeps for `request` (with its request_id), which made the
// resource `made_id`.
std::string ReplayRecord(absl::string_view made_id, const google::protobuf::Message& request);

// The id `record` says the first request made, if `request` is that request again (its
// request_id aside); IDEMPOTENCY_KEY_REUSED otherwise. `what` names the resource: "link".
// Records kept before fingerprints were (a bare id) answer the id.
absl::StatusOr<std::string> ReplayedId(absl::string_view record,
                                       const google::protobuf::Message& request,
                                       absl::string_view what);

}  // namespace bitcontent::metadata
