// Placement: the storage providers of a blob service, used as one (DESIGN.md, storage
// providers). Every chunk is written to each provider, so each holds a copy (2 copies
// with two providers); a write succeeds only when every copy is durable, and says which
// provider failed otherwise. A read takes the first copy, in configured order, whose
// bytes hash to the chunk's name, falling back past a provider that fails, lacks the
// chunk or returns other bytes: one provider stopped or damaged loses no read. The
// scrubber (scrubber.h) finds and repairs missing and damaged copies.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bitcontent/blobs/v1/blobs_admin_service.pb.h"
#include "services/blobs/provider.h"

namespace bitcontent::blobs {

// A provider as configured: its name ("local-a"), kind, where it is (without
// credentials) and the provider.
struct NamedProvider {
  std::string name = {};
  v1::ProviderKind kind = v1::PROVIDER_KIND_UNSPECIFIED;
  std::string location = {};
  std::unique_ptr<Provider> provider = {};
};

class Placement final : public Provider {
 public:
  // `providers` must not be empty.
  explicit Placement(std::vector<NamedProvider> providers);

  std::string name() const override;
  // Writes to every provider; UNAVAILABLE naming the first that failed.
  absl::Status Put(absl::string_view key, absl::string_view bytes, bool* existed) override;
  // The first good copy. NOT_FOUND when no provider has one; DATA_LOSS when copies
  // exist but none hashes to `key`; each names what every provider said.
  absl::StatusOr<std::string> Get(absl::string_view key) override;
  // The first copy that reads, not checked against `key`: for callers that verify the
  // bytes themselves and come back to Get() when they are damaged. NOT_FOUND or the
  // last provider's error when none reads.
  absl::StatusOr<std::string> GetUnchecked(absl::string_view key);
  absl::StatusOr<uint64_t> Size(absl::string_view key) override;
  absl::Status Delete(absl::string_view key) override;
  // The first provider's keys (every provider holds every chunk when healthy).
  absl::StatusOr<ObjectPage> List(absl::string_view after, size_t limit) override;

  const std::vector<NamedProvider>& providers() const { return providers_; }

 private:
  std::vector<NamedProvider> providers_;
};

// Whether `bytes` are the chunk named `key` (the hex BLAKE2b-256 of the bytes).
bool IsCopyOf(absl::string_view key, absl::string_view bytes);

}  // namespace bitcontent::blobs
