// PaywallCatalog: the SubjectCatalog (subjects.h) of paywall resources, which the
// purchase path asks for the terms of "users/{user}/paywallResources/{resource}":
// seller = the owner, the price, the split with the owner filled in, the revision, the
// title, the external id, and on sale while ACTIVE.
#pragma once

#include "services/pricing/paywall_resources.h"
#include "services/pricing/subjects.h"

namespace bitcontent::pricing {

class PaywallCatalog final : public SubjectCatalog {
 public:
  // `resources` must outlive this.
  explicit PaywallCatalog(const PaywallResources* resources) : resources_(resources) {}

  absl::StatusOr<SubjectTerms> Terms(absl::string_view subject) const override {
    return resources_->Terms(std::string_view(subject.data(), subject.size()));
  }

 private:
  const PaywallResources* const resources_;
};

}  // namespace bitcontent::pricing
