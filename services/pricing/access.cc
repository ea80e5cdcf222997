#include "services/pricing/access.h"

#include "libs/kit/resource_names.h"

namespace bitcontent::pricing {

absl::StatusOr<v1::CheckAccessResponse> CheckAccess(const Prices& prices,
                                                    const Entitlements& entitlements,
                                                    std::string_view node, std::string_view user) {
  absl::StatusOr<std::string> node_id =
      kit::IdIn(absl::string_view(node.data(), node.size()), "nodes", "node");
  if (!node_id.ok()) return node_id.status();
  std::string user_id;
  if (!user.empty()) {
    absl::StatusOr<std::string> id =
        kit::IdIn(absl::string_view(user.data(), user.size()), "users", "user");
    if (!id.ok()) return id.status();
    user_id = *std::move(id);
  }
  v1::CheckAccessResponse response;
  absl::StatusOr<std::optional<storage::PriceRecord>> record = prices.Find(*node_id);
  if (!record.ok()) return record.status();
  if (!record->has_value() || IsFree((*record)->price())) {
    response.set_decision(v1::ACCESS_DECISION_FREE);
    return response;
  }
  const v1::Price& price = (*record)->price();
  if (!user.empty() && price.seller() == user) {
    response.set_decision(v1::ACCESS_DECISION_SELLER);
    return response;
  }
  if (!user_id.empty()) {
    absl::StatusOr<std::optional<v1::Entitlement>> entitlement =
        entitlements.Find(user_id, std::string("nodes/") + *node_id);
    if (!entitlement.ok()) return entitlement.status();
    if (entitlement->has_value()) {
      response.set_decision(v1::ACCESS_DECISION_ENTITLED);
      response.set_purchase((*entitlement)->purchase());
      return response;
    }
  }
  response.set_decision(price.download_price_msat() == 0 ? v1::ACCESS_DECISION_STREAM_ONLY
                                                         : v1::ACCESS_DECISION_PAYMENT_REQUIRED);
  return response;
}

}  // namespace bitcontent::pricing
