#include "services/metadata/blob_references.h"

#include <vector>

#include "libs/kit/log.h"
#include "services/metadata/records.pb.h"

namespace bitcontent::metadata {

void BlobReferences::StageAdd(store::WriteBatch* batch, const v1::Version& version) {
  Stage(batch, true, version);
}

void BlobReferences::StageRemove(store::WriteBatch* batch, const v1::Version& version) {
  Stage(batch, false, version);
}

void BlobReferences::Stage(store::WriteBatch* batch, bool add, const v1::Version& version) {
  storage::BlobReferenceChange change;
  change.set_add(add);
  change.set_blob(version.blob());
  change.set_reference(version.name());
  queue_.Stage(batch, change.SerializeAsString());
}

absl::Status BlobReferences::SendOnce(const BlobDirectory& blobs) {
  absl::StatusOr<std::vector<store::Outbox::Entry>> entries = queue_.Oldest(kSentPerRoundMax);
  if (!entries.ok()) return entries.status();
  std::vector<store::Outbox::Entry> done;
  absl::Status failure = absl::OkStatus();
  for (store::Outbox::Entry& entry : *entries) {
    storage::BlobReferenceChange change;
    if (!change.ParseFromString(entry.value)) {
      kit::Log(spdlog::level::err, "a damaged blob reference change is dropped");
      done.push_back(std::move(entry));
      continue;
    }
    const absl::Status sent = change.add()
                                  ? blobs.AddReference(change.blob(), change.reference())
                                  : blobs.RemoveReference(change.blob(), change.reference());
    if (!sent.ok() && !absl::IsNotFound(sent) && !absl::IsInvalidArgument(sent)) {
      failure = sent;
      break;  // Keep this change and the ones after it, in order, for the next round.
    }
    // A removal of a blob already gone has nothing left to do. An addition for one gone,
    // or a change blobs calls malformed, can never succeed: a version whose blob was
    // collected is lost, which must be loud.
    if (!sent.ok() && (change.add() || absl::IsInvalidArgument(sent))) {
      kit::Log(
          spdlog::level::err, "blobs refused a blob reference",
          {{"blob", change.blob()}, {"reference", change.reference()}, {"error", sent.message()}});
    }
    done.push_back(std::move(entry));
  }
  if (!done.empty()) {
    if (absl::Status removed = queue_.Remove(done); !removed.ok()) return removed;
  }
  if (!failure.ok()) return failure;
  if (entries->size() == kSentPerRoundMax) {
    return absl::ResourceExhaustedError("more blob reference changes are waiting");
  }
  return absl::OkStatus();
}

void BlobReferences::StartSending(const BlobDirectory* blobs) {
  sender_ = std::make_unique<kit::OutboxSender>(
      &queue_, [this, blobs] { return SendOnce(*blobs); },
      kit::OutboxSenderOptions{.what = "blob references",
                               .receiver = "blobs",
                               .retry_delay_min = kRetryDelayMin,
                               .retry_delay_max = kRetryDelayMax});
  sender_->Start();
}

}  // namespace bitcontent::metadata
