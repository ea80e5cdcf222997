// Placement: the storage providers of a blob service, used as one (DESIGN.md, storage
// providers). Each provider has a mode (BlobsAdminService.SetProviderMode; all
// READ_WRITE until an operator says otherwise). Every chunk is written to each
// READ_WRITE provider, so each holds a copy (2 copies with two); a write succeeds only
// when every such copy is durable, and says which provider failed otherwise, or that no
// provider takes new copies. A read takes the first copy, in configured order, whose
// bytes hash to the chunk's name, falling back past a provider that fails, lacks the
// chunk or returns other bytes: one provider stopped or damaged loses no read. DRAINING
// providers are read last, only when no other provider has a good copy: until the
// scrubber has re-created a copy elsewhere, the draining one may hold the only good
// copy, and refusing it would turn a planned removal into a lost read. The scrubber
// (scrubber.h) finds and repairs missing and damaged copies.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
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
  // `providers` must not be empty; each starts READ_WRITE.
  explicit Placement(std::vector<NamedProvider> providers);

  std::string name() const override;
  // Writes to every READ_WRITE provider; UNAVAILABLE naming the first that failed, or
  // saying that none is READ_WRITE.
  absl::Status Put(absl::string_view key, absl::string_view bytes, bool* existed) override;
  // The first good copy. NOT_FOUND when no provider has one; DATA_LOSS when copies
  // exist but none hashes to `key`; each names what every provider said.
  absl::StatusOr<ObjectBytes> Get(absl::string_view key) override;
  // The first copy that reads, not checked against `key`: for callers that verify the
  // bytes themselves and come back to Get() when they are damaged. NOT_FOUND or the
  // last provider's error when none reads.
  absl::StatusOr<ObjectBytes> GetUnchecked(absl::string_view key);
  absl::StatusOr<uint64_t> Size(absl::string_view key) override;
  // The first copy that is a file on this machine (in read order), unchecked as
  // GetUnchecked's; NOT_FOUND saying what each provider said when none is.
  absl::StatusOr<ObjectFile> File(absl::string_view key) override;
  // Deletes from every provider, whatever its mode: what nothing refers to goes from
  // read-only and draining providers too.
  absl::Status Delete(absl::string_view key) override;
  // The first provider's keys (all of them while it is READ_WRITE and healthy, since every
  // READ_WRITE provider holds every chunk).
  absl::StatusOr<ObjectPage> List(absl::string_view after, size_t limit) override;

  const std::vector<NamedProvider>& providers() const { return providers_; }

  // The index of the provider named `name` ("local-a"); NOT_FOUND listing the
  // configured ones.
  absl::StatusOr<size_t> IndexOf(absl::string_view name) const;
  // Each provider's mode, in the order of providers().
  std::vector<v1::ProviderMode> modes() const ABSL_LOCKS_EXCLUDED(mutex_);
  // Sets provider `index`'s mode (a specified one) for the calls that start after it.
  void SetMode(size_t index, v1::ProviderMode mode) ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  // The providers in the order reads try them: READ_WRITE and READ_ONLY ones in
  // configured order, then DRAINING ones.
  std::vector<const NamedProvider*> ReadOrder() const ABSL_LOCKS_EXCLUDED(mutex_);

  const std::vector<NamedProvider> providers_;
  mutable absl::Mutex mutex_;
  std::vector<v1::ProviderMode> modes_ ABSL_GUARDED_BY(mutex_);
};

// Whether `bytes` are the chunk named `key` (the hex BLAKE2b-256 of the bytes).
bool IsCopyOf(absl::string_view key, absl::string_view bytes);

}  // namespace bitcontent::blobs
