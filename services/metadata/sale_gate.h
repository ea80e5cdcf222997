// SaleGate: whether someone other than its owner may be handed a file that is for sale
// (Node.priced) through a public link — a READ grant (IssueLinkDownloadGrant) or a copy
// (CopyNode from a link, the CLI's import). Pricing keeps the prices and entitlements;
// metadata asks it (PricingInternalService.CheckAccess) each time, and refuses when it
// cannot ask: a file on sale is never handed out on a guess.
//
// SaleGate is the question, PricingSaleGate the gRPC call behind it, and RequireSale
// turns pricing's answer into the status a reader sees. Links decides who needs asking
// at all: the owner and the members a folder above the file is shared with already hold
// its key and read it as they did before it went on sale.
#pragma once

#include <grpcpp/channel.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace bitcontent::metadata {

// Pricing's answer (pricing.v1.AccessDecision), without its wire type.
enum class SaleDecision {
  kFree,             // No price, or a price of 0 for downloads.
  kSeller,           // The caller sells it.
  kEntitled,         // The caller bought it.
  kPaymentRequired,  // The caller must buy it first.
  kStreamOnly,       // Downloads are not sold: it can only be streamed (metered).
};

class SaleGate {
 public:
  virtual ~SaleGate() = default;

  // What pricing says the member `user_id` (empty: an anonymous caller) may do with the
  // file `node` ("nodes/{node}"). UNAVAILABLE when pricing cannot be asked.
  virtual absl::StatusOr<SaleDecision> Check(absl::string_view node,
                                             absl::string_view user_id) const = 0;
};

// The status a reader gets for the priced file `node`: OK when `gate` lets `user_id`
// (empty: anonymous) have it. PAYMENT_REQUIRED is FAILED_PRECONDITION with the reason
// PAYMENT_REQUIRED, or UNAUTHENTICATED with that reason for an anonymous caller (who
// must log in before anything can be bought); STREAM_ONLY is FAILED_PRECONDITION with
// the fact access_decision = STREAM_ONLY. A gate that cannot answer is UNAVAILABLE.
absl::Status RequireSale(const SaleGate& gate, absl::string_view node, absl::string_view user_id);

// The gate over PricingInternalService.CheckAccess.
class PricingSaleGate final : public SaleGate {
 public:
  // Long enough for a loaded pricing replica, short enough that a reader waiting on a
  // download grant is told soon that pricing is down.
  static constexpr absl::Duration kCallTimeout = absl::Seconds(2);

  // Calls pricing on `pricing`; null means no --pricing_target, and every check answers
  // UNAVAILABLE saying so.
  explicit PricingSaleGate(std::shared_ptr<grpc::Channel> pricing) : pricing_(std::move(pricing)) {}

  absl::StatusOr<SaleDecision> Check(absl::string_view node,
                                     absl::string_view user_id) const override;

 private:
  const std::shared_ptr<grpc::Channel> pricing_;
};

}  // namespace bitcontent::metadata
