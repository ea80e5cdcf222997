#include "services/pricing/settings.h"

#include "absl/flags/flag.h"
#include "absl/numeric/int128.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/split/split.h"
#include "libs/store/record_io.h"

ABSL_FLAG(uint32_t, platform_fee_basis_points, bitcontent::pricing::kPlatformFeeBasisPointsDefault,
          "The platform's fee on every sale, in basis points (0..5000), until an operator "
          "sets it with UpdatePricingSettings.");

namespace bitcontent::pricing {
namespace {

constexpr char kSettingsKey[] = "settings";
// One whole bitcoin in millisatoshi.
constexpr uint64_t kMsatPerBitcoin = uint64_t{100'000'000} * 1000;

bool IsCurrencyCode(const std::string& code) {
  if (code.size() != 3) return false;
  for (const char c : code) {
    if (!absl::ascii_isupper(c)) return false;
  }
  return true;
}

absl::Status CheckRates(const v1::PricingSettings& settings) {
  if (static_cast<size_t>(settings.fiat_rates_size()) > kFiatRatesMax) {
    return kit::FieldError("pricing_settings.fiat_rates",
                           absl::StrCat("has at most ", kFiatRatesMax, " rates"));
  }
  for (int i = 0; i < settings.fiat_rates_size(); ++i) {
    const common::v1::FiatRate& rate = settings.fiat_rates(i);
    const std::string at = absl::StrCat("pricing_settings.fiat_rates[", i, "]");
    if (!IsCurrencyCode(rate.currency_code())) {
      return kit::FieldError(at + ".currency_code", "must be an ISO 4217 code such as \"EUR\"");
    }
    if (rate.minor_units_per_btc() == 0) {
      return kit::FieldError(at + ".minor_units_per_btc", "must be more than 0");
    }
    if (rate.minor_digits() > kFiatMinorDigitsMax) {
      return kit::FieldError(at + ".minor_digits", "is at most 4");
    }
  }
  return absl::OkStatus();
}

absl::Status Check(const v1::PricingSettings& settings) {
  if (settings.platform_fee_basis_points() > kPlatformFeeBasisPointsMax) {
    return kit::FieldError("pricing_settings.platform_fee_basis_points", "must be 0 to 5000");
  }
  if (settings.quote_lifetime_seconds() < kQuoteLifetimeSecondsMin ||
      settings.quote_lifetime_seconds() > kQuoteLifetimeSecondsMax) {
    return kit::FieldError("pricing_settings.quote_lifetime_seconds", "must be 30 to 3600");
  }
  if (!settings.display_currency_code().empty() &&
      !IsCurrencyCode(settings.display_currency_code())) {
    return kit::FieldError("pricing_settings.display_currency_code",
                           "must be empty or an ISO 4217 code such as \"EUR\"");
  }
  return CheckRates(settings);
}

// Copies the field at `path` from `from` into `to`; false for an unknown path.
bool CopyField(const std::string& path, const v1::PricingSettings& from, absl::Time now,
               v1::PricingSettings* to) {
  if (path == "platform_fee_basis_points") {
    to->set_platform_fee_basis_points(from.platform_fee_basis_points());
  } else if (path == "quote_lifetime_seconds") {
    to->set_quote_lifetime_seconds(from.quote_lifetime_seconds());
  } else if (path == "display_currency_code") {
    to->set_display_currency_code(from.display_currency_code());
  } else if (path == "fiat_rates") {
    *to->mutable_fiat_rates() = from.fiat_rates();
    for (common::v1::FiatRate& rate : *to->mutable_fiat_rates()) {
      *rate.mutable_update_time() = auth::ProtoFromTime(now);
    }
  } else {
    return false;
  }
  return true;
}

}  // namespace

v1::PricingSettings DefaultSettings() {
  v1::PricingSettings settings;
  settings.set_name("pricingSettings");
  settings.set_platform_fee_basis_points(absl::GetFlag(FLAGS_platform_fee_basis_points));
  settings.set_quote_lifetime_seconds(kQuoteLifetimeSecondsDefault);
  return settings;
}

absl::StatusOr<std::unique_ptr<PricingSettingsStore>> PricingSettingsStore::Load(
    const PricingDb& db) {
  absl::StatusOr<std::optional<v1::PricingSettings>> stored =
      store::FindRecord<v1::PricingSettings>(db.store(), db.settings, kSettingsKey);
  if (!stored.ok()) return stored.status();
  v1::PricingSettings settings = stored->value_or(DefaultSettings());
  if (absl::Status valid = Check(settings); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "pricing settings: ", valid.message(), " (--platform_fee_basis_points must be 0 to 5000)"));
  }
  return std::unique_ptr<PricingSettingsStore>(new PricingSettingsStore(db, std::move(settings)));
}

v1::PricingSettings PricingSettingsStore::Get() const {
  absl::MutexLock lock(&mu_);
  return settings_;
}

absl::StatusOr<v1::PricingSettings> PricingSettingsStore::Update(
    const v1::UpdatePricingSettingsRequest& request, absl::Time now) {
  std::vector<std::string> paths(request.update_mask().paths().begin(),
                                 request.update_mask().paths().end());
  if (paths.empty()) {
    paths = {"platform_fee_basis_points", "quote_lifetime_seconds", "display_currency_code",
             "fiat_rates"};
  }
  absl::MutexLock lock(&mu_);
  v1::PricingSettings next = settings_;
  for (const std::string& path : paths) {
    if (!CopyField(path, request.pricing_settings(), now, &next)) {
      return kit::FieldError("update_mask",
                             absl::StrCat("names no settable field: \"", path, "\""));
    }
  }
  if (absl::Status valid = Check(next); !valid.ok()) return valid;
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.settings, kSettingsKey, next);
  if (absl::Status written = db_.store().Write(&batch, {.sync = true}); !written.ok()) {
    return written;
  }
  settings_ = next;
  return next;
}

std::optional<common::v1::FiatAmount> FiatOf(uint64_t amount_msat,
                                             const v1::PricingSettings& settings) {
  for (const common::v1::FiatRate& rate : settings.fiat_rates()) {
    if (rate.currency_code() != settings.display_currency_code()) continue;
    const absl::uint128 scaled = absl::uint128(amount_msat) * rate.minor_units_per_btc();
    // Half away from zero: add half the divisor before dividing (amounts are positive).
    const absl::uint128 minor = (scaled + kMsatPerBitcoin / 2) / kMsatPerBitcoin;
    common::v1::FiatAmount fiat;
    fiat.set_currency_code(rate.currency_code());
    fiat.set_amount_minor(minor > INT64_MAX ? INT64_MAX : static_cast<int64_t>(minor));
    fiat.set_minor_digits(rate.minor_digits());
    *fiat.mutable_rate_time() = rate.update_time();
    return fiat;
  }
  return std::nullopt;
}

}  // namespace bitcontent::pricing
