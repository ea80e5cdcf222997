#include "services/blobs/placement.h"

#include <cassert>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"

namespace bitcontent::blobs {

bool IsCopyOf(absl::string_view key, absl::string_view bytes) {
  return crypto::HexEncode(crypto::Blake2b256(bytes)) == key;
}

namespace {

// What a provider's failed read says, in a refusal that lists every provider.
std::string Said(const NamedProvider& named, const absl::Status& status) {
  if (absl::IsNotFound(status)) return absl::StrCat(named.name, ": missing");
  return absl::StrCat(named.name, ": ", status.message());
}

}  // namespace

Placement::Placement(std::vector<NamedProvider> providers)
    : providers_(std::move(providers)), modes_(providers_.size(), v1::PROVIDER_MODE_READ_WRITE) {
  assert(!providers_.empty());
}

absl::StatusOr<size_t> Placement::IndexOf(absl::string_view name) const {
  std::vector<std::string> configured;
  for (size_t i = 0; i < providers_.size(); ++i) {
    if (providers_[i].name == name) return i;
    configured.push_back(absl::StrCat("providers/", providers_[i].name));
  }
  return absl::NotFoundError(absl::StrCat("providers/", name, " is not a configured provider (",
                                          absl::StrJoin(configured, ", "), ")"));
}

std::vector<v1::ProviderMode> Placement::modes() const {
  absl::MutexLock lock(&mutex_);
  return modes_;
}

void Placement::SetMode(size_t index, v1::ProviderMode mode) {
  assert(index < providers_.size());
  assert(mode != v1::PROVIDER_MODE_UNSPECIFIED);
  absl::MutexLock lock(&mutex_);
  modes_[index] = mode;
}

std::vector<const NamedProvider*> Placement::ReadOrder() const {
  const std::vector<v1::ProviderMode> now = modes();
  std::vector<const NamedProvider*> order;
  for (size_t i = 0; i < providers_.size(); ++i) {
    if (now[i] != v1::PROVIDER_MODE_DRAINING) order.push_back(&providers_[i]);
  }
  for (size_t i = 0; i < providers_.size(); ++i) {
    if (now[i] == v1::PROVIDER_MODE_DRAINING) order.push_back(&providers_[i]);
  }
  return order;
}

std::string Placement::name() const {
  std::vector<std::string> names;
  for (const NamedProvider& named : providers_) names.push_back(named.provider->name());
  return absl::StrJoin(names, " + ");
}

absl::Status Placement::Put(absl::string_view key, absl::string_view bytes, bool* existed) {
  const std::vector<v1::ProviderMode> now = modes();
  bool everywhere = true;
  bool written = false;
  for (size_t i = 0; i < providers_.size(); ++i) {
    if (now[i] != v1::PROVIDER_MODE_READ_WRITE) continue;
    const NamedProvider& named = providers_[i];
    written = true;
    bool there = false;
    if (absl::Status s = named.provider->Put(key, bytes, &there); !s.ok()) {
      return absl::Status(s.code(), absl::StrCat("provider ", named.name, ": ", s.message()));
    }
    everywhere = everywhere && there;
  }
  // Like a provider that is down: the copy cannot be made, and the client retries once
  // an operator makes a provider READ_WRITE again.
  if (!written) {
    return absl::UnavailableError(
        "no provider takes new copies: every one is READ_ONLY or DRAINING (SetProviderMode)");
  }
  if (existed != nullptr) *existed = everywhere;
  return absl::OkStatus();
}

absl::StatusOr<ObjectBytes> Placement::Get(absl::string_view key) {
  std::vector<std::string> said;
  bool damaged = false;
  for (const NamedProvider* provider : ReadOrder()) {
    const NamedProvider& named = *provider;
    absl::StatusOr<ObjectBytes> bytes = named.provider->Get(key);
    if (bytes.ok() && IsCopyOf(key, bytes->view())) return bytes;
    if (bytes.ok()) {
      damaged = true;
      said.push_back(absl::StrCat(named.name, ": damaged"));
    } else {
      said.push_back(Said(named, bytes.status()));
    }
  }
  const std::string message =
      absl::StrCat("no good copy of chunk ", key, " (", absl::StrJoin(said, "; "), ")");
  return damaged ? absl::DataLossError(message) : absl::NotFoundError(message);
}

absl::StatusOr<ObjectBytes> Placement::GetUnchecked(absl::string_view key) {
  std::vector<std::string> said;
  for (const NamedProvider* provider : ReadOrder()) {
    const NamedProvider& named = *provider;
    absl::StatusOr<ObjectBytes> bytes = named.provider->Get(key);
    if (bytes.ok()) return bytes;
    said.push_back(Said(named, bytes.status()));
  }
  return absl::NotFoundError(
      absl::StrCat("no copy of chunk ", key, " (", absl::StrJoin(said, "; "), ")"));
}

absl::StatusOr<ObjectFile> Placement::File(absl::string_view key) {
  std::vector<std::string> said;
  for (const NamedProvider* named : ReadOrder()) {
    absl::StatusOr<ObjectFile> file = named->provider->File(key);
    if (file.ok()) return file;
    said.push_back(Said(*named, file.status()));
  }
  return absl::NotFoundError(
      absl::StrCat("no copy of chunk ", key, " as a file (", absl::StrJoin(said, "; "), ")"));
}

absl::StatusOr<uint64_t> Placement::Size(absl::string_view key) {
  absl::Status last = absl::NotFoundError(absl::StrCat("no object ", key));
  for (const NamedProvider* named : ReadOrder()) {
    absl::StatusOr<uint64_t> size = named->provider->Size(key);
    if (size.ok()) return size;
    last = size.status();
  }
  return last;
}

absl::Status Placement::Delete(absl::string_view key) {
  for (const NamedProvider& named : providers_) {
    if (absl::Status s = named.provider->Delete(key); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<ObjectPage> Placement::List(absl::string_view after, size_t limit) {
  return providers_.front().provider->List(after, limit);
}

}  // namespace bitcontent::blobs
