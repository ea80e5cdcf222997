// Uploads: coordination of a file's bytes, which go to the blob service, with the tree
// and the owner's quota (uploads.proto). BeginUpload checks the folder, reserves the
// ciphertext size against the owner's quota (QuotaReserver) before any byte is
// accepted, and hands out an UPLOAD capability grant for a blob upload session named
// after the upload; GetUpload hands a fresh grant to resume; AbortUpload gives the
// quota back. CommitUpload checks with the blob service that the blob came from the
// upload's own session, turns the reservation into usage of the blob's size and makes
// the file, or a new head version of an existing one (whose older versions past the
// retention are dropped, their bytes given back to the quota). Download
// grants are READ grants for a version's blob, after the tree's access check.
//
// A crash between reserving and recording leaves a reservation nobody uses; accounts
// releases it at its expiry (the upload's, 7 days). An upload a client abandoned holds
// its reservation the same way until it expires, unless aborted: List shows a member
// the uploads they began that are still open, and the owner of a shared folder those its
// writers began there (an index by member, `user_uploads`). A commit runs
// the quota commit before its write, and both are idempotent, so a commit retried after a crash
// finishes.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/auth/signed_token.h"
#include "libs/kit/striped_locks.h"
#include "services/metadata/blob_directory.h"
#include "services/metadata/links.h"
#include "services/metadata/metadata_db.h"
#include "services/metadata/quota_reserver.h"
#include "services/metadata/tree.h"

namespace bitcontent::metadata {

// The state of `upload` at `now`: EXPIRED once an open upload is past its expiry.
v1::UploadState StateAt(const v1::Upload& upload, absl::Time now);

class Uploads {
 public:
  // Largest upload: 1 TiB of ciphertext (a member's quota is usually smaller).
  static constexpr uint64_t kSizeBytesMax = uint64_t{1} << 40;
  // Uncommitted uploads expire this long after creation.
  static constexpr absl::Duration kLifetime = absl::Hours(24 * 7);

  // All must outlive this.
  Uploads(const MetadataDb& db, Tree* tree, QuotaReserver* quota, const BlobDirectory* blobs,
          const auth::SigningKey* grant_key)
      : db_(db), tree_(tree), quota_(quota), blobs_(blobs), grant_key_(grant_key) {}

  absl::StatusOr<v1::Upload> Begin(const Actor& actor, const v1::BeginUploadRequest& request,
                                   absl::Time now);
  // The upload with a fresh grant while it is open; the folder's owner, when a writer
  // began it, sees it without one.
  absl::StatusOr<v1::Upload> Get(const Actor& actor, absl::string_view name, absl::Time now);
  // Aborts an open upload and releases its quota; aborting again answers it as it is.
  // The uploader or the folder's owner may.
  absl::StatusOr<v1::Upload> Abort(const Actor& actor, absl::string_view name, absl::Time now);
  // Aborts the open uploads into folders of `owner_id` (a bare id) that no longer exist
  // (purged), whoever began them: nothing could commit them, and each holds the owner's
  // quota. Returns the bytes their reservations gave back.
  absl::StatusOr<uint64_t> AbortOrphaned(absl::string_view owner_id, absl::Time now);
  // The open uploads the actor began, and those writers began in the actor's shared
  // folders, oldest first, without grants: what holds their
  // (or a shared folder owner's) quota until it is committed, aborted or expires.
  // Forgets the index entries of uploads found expired.
  absl::StatusOr<v1::ListUploadsResponse> List(const Actor& actor,
                                               const v1::ListUploadsRequest& request,
                                               absl::Time now);
  // Makes the upload's committed blob a new file or a new version; committing again
  // answers the same.
  absl::StatusOr<v1::CommitUploadResponse> Commit(const Actor& actor,
                                                  const v1::CommitUploadRequest& request,
                                                  absl::Time now);

  // Copies a file the actor may read, or one inside a public link, into a folder of
  // theirs; the copy shares the source's blob and counts against the folder owner's
  // quota (reserved and committed before the copy is written).
  absl::StatusOr<v1::Node> Copy(const Actor& actor, const v1::CopyNodeRequest& request,
                                const Links& links, absl::Time now);

  // Gives `bytes` of the owner's (purged or dropped versions) back to their quota, once
  // per `request_id`. A failure is logged: the usage then stays over-counted, never
  // under.
  void GiveBack(absl::string_view owner, uint64_t bytes, absl::string_view request_id);

  // A READ grant for a version of a file the actor may read.
  absl::StatusOr<v1::DownloadGrant> IssueDownloadGrant(const Actor& actor,
                                                       const v1::IssueDownloadGrantRequest& request,
                                                       absl::Time now) const;

 private:
  // Who may see an upload.
  enum class Seer { kUploader, kUploaderOrOwner };
  // The upload `name`, NOT_FOUND unless the actor is one `seer` allows.
  absl::StatusOr<v1::Upload> Load(const Actor& actor, absl::string_view name,
                                  Seer seer = Seer::kUploader) const;
  // Aborts the open `upload`, under its uploader's lock: gives its reservation back,
  // records it aborted, and asks blobs to drop its session.
  absl::Status End(v1::Upload& upload);
  // Reserves `size_bytes` of `owner_id`'s quota for `id` until `expire`. A writer in a
  // shared folder who would fill its owner's quota is told so, without the owner's figures.
  absl::StatusOr<accounts::v1::QuotaReservation> ReserveOwners(const Actor& actor,
                                                               const std::string& owner_id,
                                                               const std::string& id,
                                                               uint64_t size_bytes,
                                                               absl::Time expire);
  // `upload` as the member sees it: expired when past its expiry, a grant when open.
  v1::Upload Present(v1::Upload upload, absl::Time now) const;

  const MetadataDb& db_;
  Tree* const tree_;
  QuotaReserver* const quota_;
  const BlobDirectory* const blobs_;
  const auth::SigningKey* const grant_key_;
  kit::StripedLocks<> locks_;
};

}  // namespace bitcontent::metadata
