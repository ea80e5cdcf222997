// Gatekeeper: the checks every public request passes, REST or gRPC, in two steps.
//
//  1. Identify: who is calling (Authenticator) and whether the route lets them
//     (access level, API keys allowed, scope). No Redis involved.
//  2. Admit: whether their session or API key is revoked and whether they are over a
//     rate limit (Admission: one Redis round trip), per principal and per client IP,
//     and for credential attempts (login, pre-login, recovery, claim) per normalised
//     email and, more tightly, per IP.
//
// A refusal carries the status to answer and the ErrorDetails that explain it (reason,
// retry_after_ms), so both front doors answer the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/common/v1/errors.pb.h"
#include "google/protobuf/message.h"
#include "services/gateway/admission.h"
#include "services/gateway/authenticator.h"
#include "services/gateway/route.h"

namespace bitcontent::gateway {

// Every rate limit, each a flag (see flags.cc).
struct RateLimitConfig {
  absl::Duration window = absl::Minutes(1);
  int64_t principal_requests = 6000;  // Per user (sessions) or API key, per window.
  int64_t ip_requests = 12000;        // Per client IP, per window.
  int64_t chunk_requests = 120000;    // Chunk transfers per principal and per IP, per window.
  absl::Duration credential_window = absl::Minutes(15);
  int64_t credential_email_attempts = 10;  // Per normalised email, per credential window.
  int64_t credential_ip_attempts = 100;    // Per client IP, per credential window.
};

// The outcome of a step: OK, or the refusal to answer.
struct GateResult {
  absl::Status status = absl::OkStatus();
  std::optional<common::v1::ErrorDetails> details = {};
  // For Unauthenticated and insufficient-scope refusals: the WWW-Authenticate value.
  std::string www_authenticate = {};

  bool ok() const { return status.ok(); }
};

class Gatekeeper {
 public:
  // How long a client should wait when Redis is unreachable for revocation checks.
  static constexpr absl::Duration kUnverifiableRetryAfter = absl::Seconds(1);

  // `authenticator` and `admission` must outlive this.
  Gatekeeper(Authenticator* authenticator, Admission* admission, RateLimitConfig limits);

  // Step 1. For public routes sets no caller; otherwise authenticates `authorization`
  // and checks `policy`, setting `*caller`. Routes open to anyone that also take a
  // token (Access::kPublicOrMember) set no caller when `authorization` is empty.
  GateResult Identify(const AuthPolicy& policy, absl::string_view authorization,
                      absl::string_view request_id, std::shared_ptr<const Caller>* caller);

  using Done = std::function<void(GateResult)>;

  // Step 2, for `caller` (null on public routes) from `client_ip`. `request` is the
  // parsed request message; credential attempts read its `email` field (before Admit
  // returns). `done` gets the outcome without anyone waiting for Redis: on the Redis
  // pipeline thread, or at once on this thread when Redis is not involved.
  void Admit(const AuthPolicy& policy, const Caller* caller, absl::string_view client_ip,
             const google::protobuf::Message& request, Done done);

  // For a request Identify refused as unauthenticated: counts it against the client
  // IP's limit, so a client trying token after token is slowed down (429) like any
  // other, and hands `done` the refusal to answer — the 401, or the 429 once over the
  // limit. Other refusals go to `done` at once.
  void CountRefusal(GateResult refusal, absl::string_view client_ip, Done done);

  const RateLimitConfig& limits() const { return limits_; }

 private:
  Authenticator* const authenticator_;
  Admission* const admission_;
  const RateLimitConfig limits_;
};

// Runs `step` (an Admit or CountRefusal handed the Done it is given) and waits for its
// outcome, for callers that must decide before they return (the set-up of a relayed
// stream).
GateResult AwaitGate(const std::function<void(Gatekeeper::Done)>& step);

// An email as accounts compares it: surrounding spaces removed, ASCII lower case.
std::string NormaliseEmail(absl::string_view email);

}  // namespace bitcontent::gateway
