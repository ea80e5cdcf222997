// Idempotency keys of the paywall's POSTs (request_id, the Idempotency-Key header over
// REST; AIP-155): the first request with a key records what it made, a retry with the
// same key and the same request answers that again, and the same key with another
// request is refused (FAILED_PRECONDITION, IDEMPOTENCY_KEY_REUSED) rather than guessed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "libs/store/write_batch.h"
#include "services/pricing/paywall_db.h"

namespace bitcontent::pricing {

inline constexpr size_t kRequestIdBytesMax = 128;

// What a key was used for; keys of different kinds never collide.
enum class RequestKind : char {
  kCreateResource = 'r',
  kCreateEndpoint = 'e',
  kRotateSecret = 's',
  kRedeliver = 'd',
};

// OK for 1 to kRequestIdBytesMax printable ASCII characters; INVALID_ARGUMENT naming
// request_id otherwise (it is required: a retry must never make a second one).
absl::Status CheckRequestId(std::string_view request_id);

class RequestLog {
 public:
  // Remembers `request` (its request_id field set) made by `user_id`.
  RequestLog(const PaywallDb& db, std::string_view user_id, RequestKind kind,
             const google::protobuf::Message& request);

  // The name the key's first request made; nullopt for a new key; FAILED_PRECONDITION
  // (IDEMPOTENCY_KEY_REUSED) when the key came with another request before.
  absl::StatusOr<std::optional<std::string>> Find() const;
  // Records `name` as what this key made, in `batch`.
  void Stage(store::WriteBatch* batch, std::string_view name) const;

 private:
  const PaywallDb& db_;
  const std::string key_;
  const std::string fingerprint_;
};

}  // namespace bitcontent::pricing
