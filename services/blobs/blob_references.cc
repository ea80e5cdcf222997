#include "services/blobs/blob_references.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/kit/resource_names.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"

namespace bitcontent::blobs {

absl::StatusOr<v1::Blob> BlobReferences::Load(absl::string_view blob_id) const {
  absl::StatusOr<std::optional<v1::Blob>> found =
      store::FindRecord<v1::Blob>(db_.store(), db_.blobs, blob_id);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "blobs/", blob_id,
        " not found: it was never committed, or it had no reference for longer than the "
        "grace and was collected"));
  }
  return **std::move(found);
}

absl::StatusOr<bool> BlobReferences::Has(absl::string_view key) const {
  absl::StatusOr<std::string> value = db_.store().Get(db_.blob_references, store::KeyView(key));
  if (value.ok()) return true;
  if (absl::IsNotFound(value.status())) return false;
  return value.status();
}

absl::StatusOr<v1::Blob> BlobReferences::Add(absl::string_view blob, absl::string_view reference) {
  absl::StatusOr<std::string> blob_id = kit::IdIn(blob, "blobs", "blob");
  if (!blob_id.ok()) return blob_id.status();
  if (absl::Status valid = kit::VersionIdsIn(reference, "reference").status(); !valid.ok())
    return valid;

  absl::MutexLock lock(&LockOf(*blob_id));
  absl::StatusOr<v1::Blob> counted = Load(*blob_id);
  if (!counted.ok()) return counted.status();
  const std::string key = BlobsDb::ReferenceKey(*blob_id, reference);
  absl::StatusOr<bool> known = Has(key);
  if (!known.ok()) return known.status();
  if (*known) return counted;  // Sent again: counted once.
  if (counted->reference_count() == kReferencesMax) {
    return absl::ResourceExhaustedError(
        absl::StrCat(blob, " already counts ", kReferencesMax, " references, the most it can"));
  }
  counted->set_reference_count(counted->reference_count() + 1);
  counted->set_state(v1::BLOB_STATE_ACTIVE);
  store::WriteBatch batch;
  batch.Put(db_.blob_references, store::KeyView(key), {});
  store::PutRecord(&batch, db_.blobs, *blob_id, *counted);
  batch.Delete(db_.unreferenced, store::KeyView(*blob_id));
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return counted;
}

absl::StatusOr<v1::Blob> BlobReferences::Remove(absl::string_view blob, absl::string_view reference,
                                                absl::Time now) {
  absl::StatusOr<std::string> blob_id = kit::IdIn(blob, "blobs", "blob");
  if (!blob_id.ok()) return blob_id.status();
  if (absl::Status valid = kit::VersionIdsIn(reference, "reference").status(); !valid.ok())
    return valid;

  absl::MutexLock lock(&LockOf(*blob_id));
  absl::StatusOr<v1::Blob> counted = Load(*blob_id);
  if (!counted.ok()) return counted.status();
  const std::string key = BlobsDb::ReferenceKey(*blob_id, reference);
  absl::StatusOr<bool> known = Has(key);
  if (!known.ok()) return known.status();
  if (!*known) return counted;  // Removed already, or never added: nothing to undo.
  if (counted->reference_count() == 0) {
    return absl::DataLossError(absl::StrCat(blob, " has ", reference,
                                            " recorded but counts no reference; its index is "
                                            "damaged and it is left as it is"));
  }
  counted->set_reference_count(counted->reference_count() - 1);
  store::WriteBatch batch;
  batch.Delete(db_.blob_references, store::KeyView(key));
  if (counted->reference_count() == 0) {
    // The grace starts now: a reference added back before it ends keeps the blob.
    counted->set_state(v1::BLOB_STATE_UNREFERENCED);
    batch.Put(db_.unreferenced, store::KeyView(*blob_id), BlobsDb::EncodeSince(now));
  }
  store::PutRecord(&batch, db_.blobs, *blob_id, *counted);
  if (absl::Status s = db_.store().Write(&batch, {.sync = true}); !s.ok()) return s;
  return counted;
}

}  // namespace bitcontent::blobs
