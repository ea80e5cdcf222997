#include "services/blobs/provider_states.h"

#include <cassert>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/kit/error_details.h"
#include "libs/store/record_io.h"

namespace bitcontent::blobs {
namespace {

constexpr absl::string_view kCollection = "providers/";

// The provider name in "providers/{provider}"; INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> ProviderNameIn(absl::string_view name) {
  absl::string_view provider = name;
  if (!absl::ConsumePrefix(&provider, kCollection) || provider.empty() ||
      absl::StrContains(provider, '/')) {
    return kit::FieldError("name", absl::StrCat("must be providers/{provider} as ListProviders "
                                                "names it, e.g. providers/local; got \"",
                                                name, "\""));
  }
  return std::string(provider);
}

bool IsSettable(v1::ProviderMode mode) {
  return mode == v1::PROVIDER_MODE_READ_WRITE || mode == v1::PROVIDER_MODE_READ_ONLY ||
         mode == v1::PROVIDER_MODE_DRAINING;
}

}  // namespace

absl::Status ProviderStates::Load() {
  for (size_t i = 0; i < placement_->providers().size(); ++i) {
    absl::StatusOr<v1::Provider> state = Stored(i);
    if (!state.ok()) return state.status();
    if (IsSettable(state->mode())) placement_->SetMode(i, state->mode());
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Provider> ProviderStates::SetMode(const v1::SetProviderModeRequest& request) {
  absl::StatusOr<std::string> name = ProviderNameIn(request.name());
  if (!name.ok()) return name.status();
  if (!IsSettable(request.mode())) {
    return kit::FieldError("mode",
                           "must be PROVIDER_MODE_READ_WRITE, PROVIDER_MODE_READ_ONLY or "
                           "PROVIDER_MODE_DRAINING");
  }
  absl::StatusOr<size_t> index = placement_->IndexOf(*name);
  if (!index.ok()) return index.status();
  {
    absl::MutexLock lock(&mutex_);
    absl::StatusOr<v1::Provider> state = Stored(*index);
    if (!state.ok()) return state.status();
    state->set_mode(request.mode());
    if (absl::Status s = Save(*index, *state); !s.ok()) return s;
    // Only once stored: a mode the placement follows survives a restart.
    placement_->SetMode(*index, request.mode());
  }
  return Describe(*index);
}

absl::Status ProviderStates::RecordTallies(const std::vector<ProviderTally>& tallies) {
  assert(tallies.size() == placement_->providers().size());
  absl::MutexLock lock(&mutex_);
  for (size_t i = 0; i < tallies.size(); ++i) {
    if (!tallies[i].counted) continue;
    absl::StatusOr<v1::Provider> state = Stored(i);
    if (!state.ok()) return state.status();
    state->set_chunk_count(tallies[i].chunk_count);
    state->set_stored_bytes(tallies[i].stored_bytes);
    if (absl::Status s = Save(i, *state); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Provider> ProviderStates::Describe(size_t index) const {
  absl::StatusOr<v1::Provider> provider = Stored(index);
  if (!provider.ok()) return provider.status();
  const NamedProvider& named = placement_->providers()[index];
  provider->set_name(absl::StrCat(kCollection, named.name));
  provider->set_kind(named.kind);
  provider->set_location(named.location);
  // The placement's mode is the one in force (the stored one, or READ_WRITE by default).
  provider->set_mode(placement_->modes()[index]);
  return provider;
}

absl::StatusOr<v1::Provider> ProviderStates::Stored(size_t index) const {
  absl::StatusOr<std::optional<v1::Provider>> found = store::FindRecord<v1::Provider>(
      db_.store(), db_.provider_states, placement_->providers()[index].name);
  if (!found.ok()) return found.status();
  return found->value_or(v1::Provider());
}

absl::Status ProviderStates::Save(size_t index, const v1::Provider& state) {
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.provider_states, placement_->providers()[index].name, state);
  return db_.store().Write(&batch, {.sync = true});
}

}  // namespace bitcontent::blobs
