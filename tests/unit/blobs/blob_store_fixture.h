// A blob service's domain for the unit tests, as main.cc wires it, on a real RocksDB and
// a real filesystem provider in a fresh temporary directory: upload sessions, the
// reader, references and a garbage collector (with the grace the test asks for), all
// over a placement of that one provider. CommitBlob uploads and commits a whole blob.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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
#include "services/blobs/upload_sessions.h"
#include "tests/unit/store/test_util.h"

namespace bitcontent::blobs::testing {

// The provider's name of a chunk: the hex BLAKE2b-256 of its bytes.
inline std::string KeyOf(absl::string_view chunk) {
  return crypto::HexEncode(crypto::Blake2b256(chunk));
}

class BlobStoreFixture {
 public:
  explicit BlobStoreFixture(absl::Duration grace = absl::ZeroDuration()) {
    absl::StatusOr<std::unique_ptr<store::Store>> opened = BlobsDb::OpenStore(dir_.Sub("db"));
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    store_ = *std::move(opened);
    db_ = std::make_unique<BlobsDb>(store_.get());
    absl::StatusOr<std::unique_ptr<FilesystemProvider>> provider =
        FilesystemProvider::Open(chunks_dir());
    INFO(provider.status().ToString());
    REQUIRE(provider.ok());
    provider_ = provider->get();
    std::vector<NamedProvider> providers;
    providers.push_back({.name = "local",
                         .kind = v1::PROVIDER_KIND_LOCAL_FS,
                         .location = chunks_dir(),
                         .provider = *std::move(provider)});
    placement_ = std::make_unique<Placement>(std::move(providers));
    sessions_ = std::make_unique<UploadSessions>(*db_, placement_.get());
    reader_ = std::make_unique<BlobReader>(*db_, placement_.get());
    references_ = std::make_unique<BlobReferences>(*db_);
    collector_ =
        std::make_unique<GarbageCollector>(*db_, placement_.get(), references_.get(), grace);
  }

  const BlobsDb& db() const { return *db_; }
  FilesystemProvider& provider() { return *provider_; }
  Placement& placement() { return *placement_; }
  UploadSessions& sessions() { return *sessions_; }
  const BlobReader& reader() const { return *reader_; }
  BlobReferences& references() { return *references_; }
  GarbageCollector& collector() { return *collector_; }

  // Where the provider keeps its files.
  std::string chunks_dir() const { return dir_.Sub("chunks"); }
  // Whether the provider's file of `chunk` is on disk (root/ab/cd/abcd...).
  bool ChunkFileExists(absl::string_view chunk) const {
    const std::string key = KeyOf(chunk);
    return std::filesystem::exists(std::filesystem::path(chunks_dir()) / key.substr(0, 2) /
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
  store::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<BlobsDb> db_;
  FilesystemProvider* provider_ = nullptr;  // Owned by placement_.
  std::unique_ptr<Placement> placement_;
  std::unique_ptr<UploadSessions> sessions_;
  std::unique_ptr<BlobReader> reader_;
  std::unique_ptr<BlobReferences> references_;
  std::unique_ptr<GarbageCollector> collector_;
};

}  // namespace bitcontent::blobs::testing
