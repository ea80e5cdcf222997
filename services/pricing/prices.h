// Prices: what a file costs, set by its owner, with the file key escrowed to pricing
// (sealed to the KEY_PURPOSE_KEY_ESCROW key) so that buyers can receive it. Plain domain
// logic over PricingDb; metadata is asked through NodeDirectory (owner check, the node's
// price flag). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/pricing_service.pb.h"
#include "libs/kit/striped_locks.h"
#include "services/pricing/backends.h"
#include "services/pricing/pricing_db.h"
#include "services/pricing/pricing_keys.h"
#include "services/pricing/pricing_records.pb.h"
#include "services/pricing/settings.h"

namespace bitcontent::pricing {

// The node id of "nodes/{node}/price"; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<std::string> NodeOfPriceName(std::string_view name, std::string_view field);
// "nodes/{node}/price".
std::string PriceName(std::string_view node_id);
// True when the price charges nothing: no download price and no stream rate.
bool IsFree(const v1::Price& price);

class Prices {
 public:
  // Every argument must outlive this.
  Prices(const PricingDb& db, const PricingKeys* keys, const PricingSettingsStore* settings)
      : db_(db), keys_(keys), settings_(settings) {}

  // Puts the file `request.price.name` names on sale for `caller_id`, who must own it
  // (PERMISSION_DENIED otherwise), or replaces its price. A price asks for something (a
  // download price or a stream rate: INVALID_ARGUMENT otherwise); it needs the file key
  // escrowed (sealed_key now or before: FAILED_PRECONDITION otherwise), and every user a
  // split names must be a member (asked of `members`), so no share goes to a wallet
  // nobody holds. Sets the node's price flag in metadata before the price is stored, so
  // a price never exists unflagged.
  absl::StatusOr<v1::Price> Set(std::string_view caller_id, const v1::SetPriceRequest& request,
                                NodeDirectory* nodes, Members* members, absl::Time now);
  // The price as buyers see it; NOT_FOUND when the file has none (it is free).
  absl::StatusOr<v1::Price> Get(std::string_view name) const;
  // Withdraws the file from sale and deletes its escrowed key (owner only); then clears
  // the node's price flag. Entitlements stay.
  absl::Status Delete(std::string_view caller_id, std::string_view name, NodeDirectory* nodes);

  // The stored price of `node_id`; nullopt when it has none.
  absl::StatusOr<std::optional<storage::PriceRecord>> Find(std::string_view node_id) const;
  // `price` with its output-only display fields filled (fee, fiat).
  v1::Price View(v1::Price price) const;

 private:
  absl::Status CheckOwner(std::string_view caller_id, std::string_view node_id,
                          NodeDirectory* nodes) const;
  absl::Status CheckSealedKey(std::string_view sealed_key) const;

  const PricingDb& db_;
  const PricingKeys* const keys_;
  const PricingSettingsStore* const settings_;
  kit::StripedLocks<> locks_;
};

}  // namespace bitcontent::pricing
