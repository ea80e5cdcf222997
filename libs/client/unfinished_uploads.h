// UnfinishedUploads: the uploads a member began and has not finished, and those writers
// began in the member's shared folders. Each holds its size of the folder owner's quota,
// reserved before its first byte, until it is committed, aborted or expires (7 days
// after it began); `bitcontent uploads` lists them and frees what they hold. The list
// comes from metadata (ListUploads); what this device saved to resume one (`bitcontent
// put`'s upload-*.pending files in the config directory) adds the local file and the
// destination, which the server never sees in clear.
//
// The names of those saved files, and of the lock a running put holds
// (transfer_lock.h), are made here too, so FileTransfer::Put and this agree on them.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bitcontent/client/v1/transfers.pb.h"
#include "bitcontent/metadata/v1/uploads.pb.h"
#include "libs/client/account_client.h"
#include "libs/client/tree_client.h"

namespace bitcontent::client {

// The local path saved for a put of standard input, which cannot be resumed.
inline constexpr absl::string_view kStandardInput = "-";

// The file in the config directory where a put of `local` (an absolute path) to `name`
// in the folder `parent` ("nodes/{node}") on `server` keeps what it needs to resume.
std::string PendingUploadFileName(absl::string_view server, absl::string_view local,
                                  absl::string_view parent, absl::string_view name);
// The lock file a put holds while it runs on the saved state `pending_name`.
std::string UploadLockFileName(absl::string_view pending_name);

// Aborts `upload` ("uploads/{upload}"), giving its reservation back; aborting one that
// was already aborted, or expired, is OK.
absl::Status AbortUpload(AccountClient& account, absl::string_view upload);

struct UnfinishedUpload {
  // As metadata lists it: name, size_bytes, parent, node, create_time, expire_time,
  // owner and uploader.
  metadata::v1::Upload upload = {};
  // Whether the member began it (else a writer began it in their shared folder).
  bool begun_by_member = true;
  // Whether it holds the member's quota (else the owner's of a folder shared with them).
  bool holds_member_quota = true;
  // For one this device did not begin: the path of the folder it goes into, when that is
  // the member's ("/Team/"), and, when a writer began it, the writer's email as the
  // member shared the folder with them (empty when no longer shared).
  std::string folder_path = {};
  std::string uploader_email = {};
  // When this device began it: the local file and the destination, as given to put.
  std::string local_path = {};
  std::string remote_path = {};
  // Whether a put on this device is running it now.
  bool running = false;
};

class UnfinishedUploads {
 public:
  // Uploads listed at most (pages of 100): accounts holds at most 10,000 reservations a
  // member.
  static constexpr int kListedMax = 10000;

  // `account` logged in, outliving this.
  explicit UnfinishedUploads(AccountClient* account) : account_(account) {}

  // The member's open uploads, and those writers began in the member's shared folders,
  // oldest first.
  absl::StatusOr<std::vector<UnfinishedUpload>> List();

  struct Aborted {
    // As it now is: aborted, or as it had ended before (committed, aborted, expired).
    metadata::v1::Upload upload;
    // Whether it was open, so that this abort gave its reservation back.
    bool freed = false;
  };
  // Aborts `upload` ("uploads/{upload}" or the bare id) when it is still open, and
  // forgets what this device saved to resume it. INVALID_ARGUMENT for what is no upload
  // id, NOT_FOUND for an upload the member never began.
  absl::StatusOr<Aborted> Abort(absl::string_view upload);

  // Aborts the uploads earlier puts of `local` to `remote_path` saved on this device,
  // but for the saved state `keep`, and forgets them: a put that starts over because the
  // folder it went into was replaced (trashed and made anew) can never resume them, and
  // they would hold their size of the quota for 7 days. One a put is running is left
  // alone. Best effort: returns how many it aborted.
  size_t AbortSuperseded(absl::string_view local, absl::string_view remote_path,
                         absl::string_view keep);

  // For a logout: aborts every upload this device saved to resume, but those a put is
  // running, and forgets each one, also when the server could not be told (each holds
  // its file's key, which must not outlive the session on disk; the server ends an
  // upload nobody finishes after 7 days). Returns how many it aborted.
  size_t AbortAllSaved();

 private:
  // Aborts the upload saved in `file` unless a put is running it, and forgets it: when
  // the server said it is gone, when it was aborted, and with `forget_anyway` in every
  // case. Whether it was aborted now.
  bool AbortSaved(const std::string& file, const v1::PendingUpload& pending, bool forget_anyway);

  // This device's saved uploads on the member's server, by upload name, with the file
  // each is saved in.
  std::vector<std::pair<std::string, v1::PendingUpload>> Saved() const;

  AccountClient* const account_;
};

}  // namespace bitcontent::client
