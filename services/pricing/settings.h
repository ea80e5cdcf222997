// PricingSettingsStore: the operator's pricing settings (platform fee, quote lifetime,
// fiat display rates), kept in pricing's store and read by every quote. Until an operator
// changes them the defaults apply: the fee from --platform_fee_basis_points (500 = 5 %),
// quotes living 300 s, no fiat rates. Thread-safe; reads come from memory.
#pragma once

#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/pricing/v1/pricing_admin_service.pb.h"
#include "services/pricing/pricing_db.h"

namespace bitcontent::pricing {

inline constexpr uint32_t kPlatformFeeBasisPointsDefault = 500;
inline constexpr uint32_t kQuoteLifetimeSecondsDefault = 300;
inline constexpr uint32_t kQuoteLifetimeSecondsMin = 30;
inline constexpr uint32_t kQuoteLifetimeSecondsMax = 3600;
inline constexpr size_t kFiatRatesMax = 32;
inline constexpr uint32_t kFiatMinorDigitsMax = 4;

// The settings before any operator change, with the fee from the flag.
v1::PricingSettings DefaultSettings();

class PricingSettingsStore {
 public:
  // Reads the stored settings (or the defaults) from `db`, which must outlive this.
  static absl::StatusOr<std::unique_ptr<PricingSettingsStore>> Load(const PricingDb& db);

  v1::PricingSettings Get() const;
  // Changes the fields named in the mask ("platform_fee_basis_points", "fiat_rates",
  // "display_currency_code", "quote_lifetime_seconds"; an empty mask means all of them),
  // durably; INVALID_ARGUMENT naming a bad field or path.
  absl::StatusOr<v1::PricingSettings> Update(const v1::UpdatePricingSettingsRequest& request,
                                             absl::Time now);

 private:
  PricingSettingsStore(const PricingDb& db, v1::PricingSettings settings)
      : db_(db), settings_(std::move(settings)) {}

  const PricingDb& db_;
  mutable absl::Mutex mu_;
  v1::PricingSettings settings_ ABSL_GUARDED_BY(mu_);
};

// `amount_msat` in the display currency of `settings`, rounded half away from zero;
// nullopt when the operator set no rate for it.
std::optional<common::v1::FiatAmount> FiatOf(uint64_t amount_msat,
                                             const v1::PricingSettings& settings);

}  // namespace bitcontent::pricing
