// A blob service's domain for the unit tests, as main.cc wires it, on a real RocksDB and
// real filesystem providers in a fresh temporary directory: upload sessions, the
// reader, references, a garbage collector (with the grace the test asks for), the
// providers' states and a scrubber, all over a placement of those providers (one,
// "local", unless the test names others). CommitBlob uploads and commits a whole blob.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "services/blobs/blob_reader.h"
#include "services/blobs/blob_references.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/filesystem_provider.h"
#include "services/blobs/garbage_collector.h"
#include "services/blobs/placement.h"
#include "services/blobs/provider_states.h"
#include "services/blobs/scrubber.h"
#include "services/blobs/upload_sessions.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::blobs::testing {

// The provider's name of a chunk: the hex BLAKE2b-256 of its bytes.
inline std::string KeyOf(absl::string_view chunk) {
  return crypto::HexEncode(crypto::Blake2b256(chunk));
}

class BlobStoreFixture {
 public:
  explicit BlobStoreFixture(absl::Duration grace = absl::ZeroDuration(),
                            std::vector<std::string> provider_names = {"local"})
      : provider_names_(std::move(provider_names)) {
    absl::StatusOr<std::unique_ptr<store::Store>> opened = BlobsDb::OpenStore(dir_.Sub("db"));
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    store_ = *std::move(opened);
    db_ = std::make_unique<BlobsDb>(store_.get());
    placement_ = OpenPlacement();
    provider_ = static_cast<FilesystemProvider*>(placement_->providers().front().provider.get());
    sessions_ = std::make_unique<UploadSessions>(*db_, placement_.get());
    reader_ = std::make_unique<BlobReader>(*db_, placement_.get());
    references_ = std::make_unique<BlobReferences>(*db_);
    collector_ =
        std::make_unique<GarbageCollector>(*db_, placement_.get(), references_.get(), grace);
    provider_states_ = std::make_unique<ProviderStates>(*db_, placement_.get());
    REQUIRE(provider_states_->Load().ok());
    scrubber_ = std::make_unique<Scrubber>(*db_, placement_.get(), provider_states_.get());
  }

  const BlobsDb& db() const { return *db_; }
  FilesystemProvider& provider() { return *provider_; }
  Placement& placement() { return *placement_; }
  UploadSessions& sessions() { return *sessions_; }
  const BlobReader& reader() const { return *reader_; }
  BlobReferences& references() { return *references_; }
  GarbageCollector& collector() { return *collector_; }
  ProviderStates& provider_states() { return *provider_states_; }
  Scrubber& scrubber() { return *scrubber_; }
  // A new placement of the same providers, every one READ_WRITE: what the service
  // starts with after a restart, before it loads the stored modes.
  std::unique_ptr<Placement> OpenPlacement() const {
    std::vector<NamedProvider> providers;
    for (const std::string& name : provider_names_) {
      absl::StatusOr<std::unique_ptr<FilesystemProvider>> provider =
          FilesystemProvider::Open(chunks_dir(name));
      INFO(provider.status().ToString());
      REQUIRE(provider.ok());
      providers.push_back({.name = name,
                           .kind = v1::PROVIDER_KIND_LOCAL_FS,
                           .location = chunks_dir(name),
                           .provider = *std::move(provider)});
    }
    return std::make_unique<Placement>(std::move(providers));
  }

  // Where a provider (the first by default) keeps its files.
  std::string chunks_dir() const { return chunks_dir(provider_names_.front()); }
  std::string chunks_dir(absl::string_view name) const {
    return name == "local" ? dir_.Sub("chunks") : dir_.Sub(absl::StrCat("chunks-", name));
  }
  // Whether a provider's (the first by default) file of `chunk` is on disk
  // (root/ab/cd/abcd...).
  bool ChunkFileExists(absl::string_view chunk) const {
    return ChunkFileExists(provider_names_.front(), chunk);
  }
  bool ChunkFileExists(absl::string_view name, absl::string_view chunk) const {
    const std::string key = KeyOf(chunk);
    return std::filesystem::exists(std::filesystem::path(chunks_dir(name)) / key.substr(0, 2) /
                                   key.substr(2, 2) / key);
  }

  // Uploads `chunks` (all but the last of the first one's size) as session
  // `session_id` at `now` and commits it: the blob.
  v1::Blob CommitBlob(absl::string_view session_id, const std::vector<std::string>& chunks,
                      absl::Time now) {
    const ChunkLayoutRequest layout{
        .chunk_count = static_cast<uint32_t>(chunks.size()),
        .chunk_size_bytes = chunks.empty() ? 0 : static_cast<uint32_t>(chunks.front().size()),
        .last_chunk_size_bytes = chunks.empty() ? 0 : static_cast<uint32_t>(chunks.back().size())};
    REQUIRE(sessions_->Begin(session_id, uint64_t{1} << 40, layout, now).ok());
    for (uint32_t index = 0; index < chunks.size(); ++index) {
      absl::StatusOr<PutResult> put =
          sessions_->Put(session_id, index, crypto::Blake2b256(chunks[index]), chunks[index], now);
      INFO(put.status().ToString());
      REQUIRE(put.ok());
    }
    absl::StatusOr<v1::Blob> blob = sessions_->Commit(session_id, now);
    INFO(blob.status().ToString());
    REQUIRE(blob.ok());
    return *std::move(blob);
  }

 private:
  const std::vector<std::string> provider_names_;
  store::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<BlobsDb> db_;
  FilesystemProvider* provider_ = nullptr;  // Owned by placement_.
  std::unique_ptr<Placement> placement_;
  std::unique_ptr<UploadSessions> sessions_;
  std::unique_ptr<BlobReader> reader_;
  std::unique_ptr<BlobReferences> references_;
  std::unique_ptr<GarbageCollector> collector_;
  std::unique_ptr<ProviderStates> provider_states_;
  std::unique_ptr<Scrubber> scrubber_;
};

}  // namespace bitcontent::blobs::testing
