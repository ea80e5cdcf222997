#include "services/gateway/gatekeeper.h"

#include <google/protobuf/empty.pb.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "libs/auth/scopes.h"
#include "libs/crypto/hash.h"
#include "services/gateway/error_response.h"

namespace bitcontent::gateway {
namespace {

using common::v1::ErrorDetails;
using common::v1::ErrorReason;

GateResult Refuse(absl::Status status, ErrorReason reason, absl::Duration retry_after = {}) {
  GateResult result;
  result.status = std::move(status);
  ErrorDetails details;
  details.set_reason(reason);
  if (retry_after > absl::ZeroDuration()) {
    details.set_retry_after_ms(static_cast<uint32_t>(std::min<int64_t>(
        absl::ToInt64Milliseconds(absl::Ceil(retry_after, absl::Milliseconds(1))), UINT32_MAX)));
  }
  result.details = std::move(details);
  return result;
}

GateResult Unauthenticated(const absl::Status& status) {
  const absl::string_view message = status.message();
  ErrorReason reason = common::v1::ERROR_REASON_UNSPECIFIED;
  if (message == "token expired") reason = common::v1::ERROR_REASON_TOKEN_EXPIRED;
  GateResult result = Refuse(status, reason);
  result.www_authenticate =
      absl::StartsWith(message, "missing bearer token")
          ? std::string(kBearerRealm)
          : absl::StrCat(kBearerRealm, ", error=\"invalid_token\", error_description=\"",
                         absl::StrReplaceAll(message, {{"\"", "'"}}), "\"");
  return result;
}

bool HasScope(const common::v1::Principal& principal, common::v1::Scope scope) {
  for (const int held : principal.scopes()) {
    if (held == scope) return true;
  }
  return false;
}

// The email of a credential attempt, if the request has one.
std::string EmailOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("email");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return {};
  }
  return request.GetReflection()->GetString(request, field);
}

// The answer an admission result calls for; `credential_limits`, for a credential
// attempt (login, recovery), says which limits it met.
GateResult Outcome(const AdmissionResult& result, const std::string& credential_limits) {
  switch (result.outcome) {
    case AdmissionResult::Outcome::kAdmitted:
      return {};
    case AdmissionResult::Outcome::kRevoked: {
      GateResult revoked = Refuse(absl::UnauthenticatedError("token revoked"),
                                  common::v1::ERROR_REASON_TOKEN_REVOKED);
      revoked.www_authenticate = absl::StrCat(
          kBearerRealm, ", error=\"invalid_token\", error_description=\"token revoked\"");
      return revoked;
    }
    case AdmissionResult::Outcome::kRateLimited:
      return Refuse(
          absl::ResourceExhaustedError(absl::StrCat(
              credential_limits.empty()
                  ? "too many requests"
                  : absl::StrCat("too many sign-in attempts (", credential_limits, ")"),
              "; retry after ",
              absl::ToInt64Seconds(absl::Ceil(result.retry_after, absl::Seconds(1))), " s")),
          common::v1::ERROR_REASON_RATE_LIMITED, result.retry_after);
    case AdmissionResult::Outcome::kUnverifiable:
      return Refuse(absl::UnavailableError("revocation list unavailable; retry shortly"),
                    common::v1::ERROR_REASON_UNSPECIFIED, Gatekeeper::kUnverifiableRetryAfter);
  }
  return {};
}

}  // namespace

std::string NormaliseEmail(absl::string_view email) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
}

Gatekeeper::Gatekeeper(Authenticator* authenticator, Admission* admission, RateLimitConfig limits)
    : authenticator_(authenticator), admission_(admission), limits_(limits) {}

GateResult Gatekeeper::Identify(const AuthPolicy& policy, absl::string_view authorization,
                                absl::string_view request_id,
                                std::shared_ptr<const Caller>* caller) {
  caller->reset();
  if (policy.access == Access::kPublic) return {};
  if (policy.access == Access::kPublicOrMember && authorization.empty()) return {};
  absl::StatusOr<std::shared_ptr<const Caller>> found =
      authenticator_->Authenticate(authorization, request_id, absl::Now());
  if (!found.ok()) {
    if (found.status().code() != absl::StatusCode::kUnauthenticated) return {found.status()};
    return Unauthenticated(found.status());
  }
  const common::v1::Principal& principal = (*found)->principal;
  const bool api_key = principal.kind() == common::v1::PRINCIPAL_KIND_API_KEY;
  if (policy.access == Access::kOperator && (api_key || !principal.operator_())) {
    return Refuse(absl::PermissionDeniedError("this route is for operators only"),
                  common::v1::ERROR_REASON_UNSPECIFIED);
  }
  if (api_key && !policy.api_keys) {
    return Refuse(
        absl::PermissionDeniedError("this route needs a member's session: API keys cannot call it"),
        common::v1::ERROR_REASON_SCOPE_MISSING);
  }
  if (api_key && policy.scope != common::v1::SCOPE_UNSPECIFIED &&
      !HasScope(principal, policy.scope)) {
    const absl::string_view scope = auth::ScopeName(policy.scope);
    GateResult result =
        Refuse(absl::PermissionDeniedError(absl::StrCat("this API key lacks the scope ", scope)),
               common::v1::ERROR_REASON_SCOPE_MISSING);
    result.www_authenticate =
        absl::StrCat(kBearerRealm, ", error=\"insufficient_scope\", scope=\"", scope, "\"");
    return result;
  }
  *caller = *std::move(found);
  return {};
}

void Gatekeeper::CountRefusal(GateResult refusal, absl::string_view client_ip, Done done) {
  if (refusal.status.code() != absl::StatusCode::kUnauthenticated) return done(std::move(refusal));
  Admit({.access = Access::kPublic}, nullptr, client_ip,
        google::protobuf::Empty::default_instance(),
        [refusal = std::move(refusal), done = std::move(done)](GateResult limited) {
          if (limited.status.code() == absl::StatusCode::kResourceExhausted) {
            return done(std::move(limited));
          }
          done(refusal);
        });
}

void Gatekeeper::Admit(const AuthPolicy& policy, const Caller* caller, absl::string_view client_ip,
                       const google::protobuf::Message& request, Done done) {
  AdmissionRequest check;
  const bool chunks = policy.limit == Limit::kChunks;
  if (caller != nullptr) {
    check.revocation_keys.push_back(caller->revocation_key);
    check.limits.push_back(
        {chunks ? absl::StrCat(caller->rate_limit_key, ":chunks") : caller->rate_limit_key,
         chunks ? limits_.chunk_requests : limits_.principal_requests, limits_.window});
  }
  check.limits.push_back({absl::StrCat(chunks ? "bc:rl:chunks:ip:" : "bc:rl:ip:", client_ip),
                          chunks ? limits_.chunk_requests : limits_.ip_requests, limits_.window});
  if (policy.limit == Limit::kCredential) {
    check.limits.push_back({absl::StrCat("bc:rl:cred:ip:", client_ip),
                            limits_.credential_ip_attempts, limits_.credential_window});
    const std::string email = NormaliseEmail(EmailOf(request));
    if (!email.empty()) {
      // Hashed, so Redis holds no email addresses.
      check.limits.push_back(
          {absl::StrCat("bc:rl:cred:email:", absl::BytesToHexString(crypto::Blake2b256(email))),
           limits_.credential_email_attempts, limits_.credential_window});
    }
  }
  // Said in a refusal, so that a member locked out by someone else's guesses at their
  // email knows why, and that it passes.
  std::string credential_limits;
  if (policy.limit == Limit::kCredential) {
    credential_limits = absl::StrCat(
        "at most ", limits_.credential_email_attempts, " per email and ",
        limits_.credential_ip_attempts, " per network address every ",
        absl::ToInt64Minutes(limits_.credential_window), " minutes, whether they succeed or not");
  }
  admission_->Check(check, [done = std::move(done), credential_limits](AdmissionResult result) {
    done(Outcome(result, credential_limits));
  });
}

GateResult AwaitGate(const std::function<void(Gatekeeper::Done)>& step) {
  GateResult result;
  absl::Notification decided;
  step([&](GateResult outcome) {
    result = std::move(outcome);
    decided.Notify();
  });
  decided.WaitForNotification();
  return result;
}

}  // namespace bitcontent::gateway
