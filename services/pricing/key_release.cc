#include "services/pricing/key_release.h"

#include "absl/strings/str_cat.h"
#include "libs/crypto/sealed_box.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::pricing {

absl::StatusOr<std::string> ReleaseFileKey(const Prices& prices, const Entitlements& entitlements,
                                           const PricingKeys& keys, Members* members,
                                           NodeDirectory* nodes, std::string_view caller_id,
                                           std::string_view node) {
  absl::StatusOr<std::string> node_id =
      kit::IdIn(absl::string_view(node.data(), node.size()), "nodes", "node");
  if (!node_id.ok()) return node_id.status();
  absl::StatusOr<std::optional<storage::PriceRecord>> record = prices.Find(*node_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "nodes/", *node_id, " is not for sale; its key comes with the share or link you have"));
  }
  const std::string caller =
      absl::StrCat("users/", absl::string_view(caller_id.data(), caller_id.size()));
  if ((*record)->price().seller() != caller) {
    absl::StatusOr<std::optional<v1::Entitlement>> entitled =
        entitlements.Find(caller_id, absl::StrCat("nodes/", *node_id));
    if (!entitled.ok()) return entitled.status();
    // A member a folder above it is shared with holds its key already, through the share;
    // the escrowed copy tells them nothing new.
    absl::StatusOr<bool> shared =
        entitled->has_value() ? false
                              : nodes->SharedWith(absl::StrCat("nodes/", *node_id), caller_id);
    if (!shared.ok()) return shared.status();
    if (!entitled->has_value() && !*shared) {
      return kit::WithReason(absl::FailedPreconditionError(absl::StrCat(
                                 "buy nodes/", *node_id,
                                 " first (CreateQuote, CreatePurchase); then its key is yours")),
                             common::v1::ERROR_REASON_PAYMENT_REQUIRED);
    }
  }
  if ((*record)->sealed_key().empty() || (*record)->escrow_key_id() != keys.escrow_key_id()) {
    return absl::FailedPreconditionError(absl::StrCat("no key of nodes/", *node_id,
                                                      " is escrowed; ask the seller to set its "
                                                      "price again with sealed_key"));
  }
  absl::StatusOr<std::string> file_key = crypto::OpenSealed(keys.escrow(), (*record)->sealed_key());
  if (!file_key.ok()) {
    return absl::DataLossError(absl::StrCat("the escrowed key of nodes/", *node_id,
                                            " does not open with pricing's escrow key"));
  }
  absl::StatusOr<std::string> public_key = members->PublicKey(caller_id);
  if (!public_key.ok()) return public_key.status();
  absl::StatusOr<std::string> sealed = crypto::TrySealTo(*public_key, *file_key);
  if (!sealed.ok()) {
    return absl::FailedPreconditionError(
        "your account has no usable X25519 public key to seal the file key to");
  }
  return sealed;
}

}  // namespace bitcontent::pricing
