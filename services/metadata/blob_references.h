// BlobReferences: tells the blob service which file versions use which blob, so that
// it collects a blob once no version does (BlobsInternalService.AddBlobReference and
// RemoveBlobReference). Every change that makes or drops a version stages the message
// in its own batch (a store::Outbox), and a background thread sends the queue in order,
// so a crash or a blob-service outage delays the counting but never loses or reorders
// it. Sending again after a crash is harmless: blobs counts each reference once, and
// the add of a version always precedes its removal in the queue (both are staged under
// the lock of the file's owner).
//
// A version dropped here may still be downloaded for the rest of its grant's life;
// blobs keeps an unreferenced blob for a grace period (24 hours by default) before it
// collects it, which covers that and a copy that re-adds a reference just removed.
#pragma once

#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "bitcontent/metadata/v1/nodes.pb.h"
#include "libs/kit/outbox_sender.h"
#include "libs/store/outbox.h"
#include "services/metadata/blob_directory.h"
#include "services/metadata/metadata_db.h"

namespace bitcontent::metadata {

class BlobReferences {
 public:
  // Changes sent per round at most; a longer queue goes on in the next round at once.
  static constexpr size_t kSentPerRoundMax = 256;
  static constexpr absl::Duration kRetryDelayMin = absl::Milliseconds(100);
  static constexpr absl::Duration kRetryDelayMax = absl::Seconds(30);

  explicit BlobReferences(const MetadataDb& db) : queue_(db.store(), db.blob_reference_outbox) {}

  // Stage in `batch` that `version` now uses its blob, or no longer does.
  void StageAdd(store::WriteBatch* batch, const v1::Version& version);
  void StageRemove(store::WriteBatch* batch, const v1::Version& version);
  // Wakes the sender: a batch with staged changes has committed.
  void Notify() { queue_.Notify(); }

  // Starts a thread that sends the queue to `blobs` (which must outlive this).
  void StartSending(const BlobDirectory* blobs);

  // Sends up to kSentPerRoundMax changes, oldest first, removing each once blobs has
  // it. OK when the queue is empty; RESOURCE_EXHAUSTED when more are waiting; the
  // failure otherwise (the failed change and those after it stay queued). The thread
  // calls this; tests call it directly.
  absl::Status SendOnce(const BlobDirectory& blobs);

 private:
  void Stage(store::WriteBatch* batch, bool add, const v1::Version& version);

  store::Outbox queue_;
  std::unique_ptr<kit::OutboxSender> sender_;  // Declared last: stops first.
};

}  // namespace bitcontent::metadata
