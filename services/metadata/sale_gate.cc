#include "services/metadata/sale_gate.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "bitcontent/pricing/v1/pricing_internal_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/error_details.h"
#include "services/metadata/resource_names.h"

namespace bitcontent::metadata {
namespace {

using common::v1::ERROR_REASON_PAYMENT_REQUIRED;
using common::v1::ERROR_REASON_UNSPECIFIED;

// The ErrorDetails fact that names pricing's decision, so a client can tell a file it
// must buy from one it can only stream (ErrorReason has no STREAM_ONLY).
constexpr absl::string_view kDecisionFact = "access_decision";

absl::Status Unreachable(absl::string_view why) {
  return absl::UnavailableError(
      absl::StrCat("cannot check the purchase of a file on sale: pricing is unreachable (", why,
                   "); retry shortly"));
}

absl::StatusOr<SaleDecision> DecisionOf(pricing::v1::AccessDecision decision,
                                        absl::string_view node) {
  switch (decision) {
    case pricing::v1::ACCESS_DECISION_FREE:
      return SaleDecision::kFree;
    case pricing::v1::ACCESS_DECISION_SELLER:
      return SaleDecision::kSeller;
    case pricing::v1::ACCESS_DECISION_ENTITLED:
      return SaleDecision::kEntitled;
    case pricing::v1::ACCESS_DECISION_PAYMENT_REQUIRED:
      return SaleDecision::kPaymentRequired;
    case pricing::v1::ACCESS_DECISION_STREAM_ONLY:
      return SaleDecision::kStreamOnly;
    default:
      // Fail closed: an answer metadata does not understand hands nothing out.
      return absl::InternalError(absl::StrCat("pricing answered the access check of ", node,
                                              " with an unknown decision (", decision, ")"));
  }
}

}  // namespace

absl::Status RequireSale(const SaleGate& gate, absl::string_view node, absl::string_view user_id) {
  absl::StatusOr<SaleDecision> decision = gate.Check(node, user_id);
  if (!decision.ok()) return decision.status();
  switch (*decision) {
    case SaleDecision::kFree:
    case SaleDecision::kSeller:
    case SaleDecision::kEntitled:
      return absl::OkStatus();
    case SaleDecision::kPaymentRequired:
      if (user_id.empty()) {
        return kit::WithReason(
            absl::UnauthenticatedError(
                absl::StrCat(node, " is for sale: log in to buy this file (bitcontent buy LINK)")),
            ERROR_REASON_PAYMENT_REQUIRED, {{kDecisionFact, "PAYMENT_REQUIRED"}, {"node", node}});
      }
      return kit::WithReason(absl::FailedPreconditionError(absl::StrCat(
                                 node, " is for sale: buy it first (bitcontent buy LINK)")),
                             ERROR_REASON_PAYMENT_REQUIRED,
                             {{kDecisionFact, "PAYMENT_REQUIRED"}, {"node", node}});
    case SaleDecision::kStreamOnly:
      return kit::WithReason(
          absl::FailedPreconditionError(
              absl::StrCat(node,
                           " is sold for streaming only: it cannot be downloaded or copied, only "
                           "streamed")),
          ERROR_REASON_UNSPECIFIED, {{kDecisionFact, "STREAM_ONLY"}, {"node", node}});
  }
  return absl::InternalError("unknown sale decision");  // Every enumerator returns above.
}

absl::StatusOr<SaleDecision> PricingSaleGate::Check(absl::string_view node,
                                                    absl::string_view user_id) const {
  if (pricing_ == nullptr) return Unreachable("metadata has no --pricing_target");
  pricing::v1::CheckAccessRequest request;
  request.set_node(std::string(node));
  if (!user_id.empty()) request.set_user(UserName(user_id));
  pricing::v1::CheckAccessResponse response;
  auto context = kit::NewCallContext(kCallTimeout);
  const grpc::Status status = pricing::v1::PricingInternalService::NewStub(pricing_)->CheckAccess(
      context.get(), request, &response);
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return Unreachable(status.error_message());
  }
  if (!status.ok()) {
    // Fail closed, and say whose error it is: the reader's request was fine.
    return absl::InternalError(absl::StrCat("pricing could not check the purchase of ", node, ": ",
                                            status.error_message()));
  }
  return DecisionOf(response.decision(), node);
}

}  // namespace bitcontent::metadata
