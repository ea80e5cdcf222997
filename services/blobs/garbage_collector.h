// GarbageCollector: deletes what nothing needs any more, from the index and from every
// provider: blobs no file version has referred to for longer than the grace, and the
// chunks of abandoned uploads (sessions aborted, or open past their expiry).
//
// A blob is collected when its `unreferenced` entry (blobs_db.h) is at least `grace`
// old and it counts no reference: one committed that no version ever referred to, or
// one whose last reference was removed. Under the blob's lock (BlobReferences::LockOf)
// the collector checks both again and deletes the blob's records (the blob, its
// manifest, its `unreferenced` entry and the chunk list of the session that made it)
// in one synced batch, so an AddBlobReference either comes first and keeps the blob or
// comes after and finds it gone (NOT_FOUND). The lock alone cannot keep a blob whose
// reference is removed and then added back (a copied file, a restored version) from
// being collected between the two; the grace does. It starts when the removal arrives,
// and metadata sends the addition after it through the same ordered outbox, so the
// grace has to cover only the gap between their arrivals: seconds, or the time blobs
// takes to come back if it fails in between, far inside the default 24 hours. It also
// covers a download still holding a grant (at most an hour) for a version just
// dropped. Blobs committed before reference counting existed have no `unreferenced`
// entry and no references: they are never collected, the safe default.
//
// A chunk is deleted only when no blob and no open session refers to it: the same
// ciphertext stored twice is one chunk, so a chunk a collected blob shares with a live
// one stays. Two uploads only make the same ciphertext with the same file key and
// nonce prefix, which a new upload never reuses, so a chunk being sent right now cannot
// be one an abandoned session or a collected blob left behind. What is alive is read
// from one snapshot, taken after the blobs are collected.
//
// The chunks of a collected blob are recorded in `chunk_deletions` in the same batch
// that deletes the blob, and each entry is dropped only once every provider has deleted
// the chunk: a crash or a provider outage halfway leaves work for the next run, never
// a chunk no record names. Every step can be cut short (SIGKILL) without harm.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/blobs/v1/blobs.pb.h"
#include "bitcontent/blobs/v1/blobs_admin_service.pb.h"
#include "libs/store/snapshot.h"
#include "services/blobs/blob_references.h"
#include "services/blobs/blobs_db.h"
#include "services/blobs/placement.h"
#include "services/blobs/recent_runs.h"

namespace bitcontent::blobs {

class GarbageCollector {
 public:
  // Most blobs one run collects; the rest wait for the next run.
  static constexpr size_t kBlobsPerRunMax = 100000;
  // Chunk deletions read, and then dropped in one synced batch, at a time.
  static constexpr size_t kDeletionsPerBatch = 1000;

  // All must outlive this. A blob without reference is kept for `grace` (>= 0).
  GarbageCollector(const BlobsDb& db, Placement* placement, BlobReferences* references,
                   absl::Duration grace)
      : db_(db), placement_(placement), references_(references), grace_(grace) {}

  // One pass; with `dry_run` it counts what it would delete and deletes nothing. One
  // run at a time: a call made while another runs (the periodic one and an operator's,
  // say) waits for it to end, then makes its own pass.
  v1::GarbageCollectionRun Run(bool dry_run, absl::Time now) ABSL_LOCKS_EXCLUDED(run_mutex_);

  // The last runs, periodic and operators' alike, by name.
  const RecentRuns<v1::GarbageCollectionRun>& recent_runs() const { return recent_runs_; }

 private:
  // Chunk hash -> size in bytes.
  using ChunkSizes = std::map<std::string, uint64_t>;

  // Collects every blob unreferenced since `now` - grace or before, adding their ids
  // to `collected`; in a dry run it deletes nothing and gathers their chunks in
  // `doomed` instead of `chunk_deletions`.
  absl::Status CollectBlobs(bool dry_run, absl::Time now, std::set<std::string>* collected,
                            ChunkSizes* doomed);
  // One blob, checked again under its lock; false when it is to be kept.
  absl::StatusOr<bool> CollectBlob(absl::string_view blob_id, bool dry_run, absl::Time now,
                                   ChunkSizes* doomed);
  // The chunks of every blob but those `collected` and of every open session, as of
  // `snapshot`; the sessions abandoned by `now` go to `abandoned`.
  absl::Status FindLive(const store::Snapshot& snapshot, const std::set<std::string>& collected,
                        absl::Time now, std::set<std::string>* live,
                        std::vector<v1::UploadSession>* abandoned) const;
  // Deletes the chunks of `abandoned` sessions that are not `live` and forgets them.
  absl::Status CollectSessions(const std::vector<v1::UploadSession>& abandoned, bool dry_run,
                               std::set<std::string>* live, v1::GarbageCollectionRun* run);
  // Deletes the chunks of `chunk_deletions` (and, in a dry run, of `doomed`) that are
  // not `live` from every provider, and drops their entries.
  absl::Status DeleteChunks(const ChunkSizes& doomed, bool dry_run, std::set<std::string>* live,
                            v1::GarbageCollectionRun* run);

  const BlobsDb& db_;
  Placement* const placement_;
  BlobReferences* const references_;
  const absl::Duration grace_;
  absl::Mutex run_mutex_;
  RecentRuns<v1::GarbageCollectionRun> recent_runs_;
};

}  // namespace bitcontent::blobs
