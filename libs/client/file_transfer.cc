#include "libs/client/file_transfer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "bitcontent/blobs/v1/blobs_service.pb.h"
#include "bitcontent/client/v1/transfers.pb.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/auth/proto_time.h"
#include "libs/client/credential_store.h"
#include "libs/client/node_envelope.h"
#include "libs/client/sealed_spool.h"
#include "libs/client/transfer_lock.h"
#include "libs/client/transfer_workers.h"
#include "libs/client/unfinished_uploads.h"
#include "libs/crypto/random.h"
#include "libs/ids/ids.h"

namespace bitcontent::client {
namespace {

namespace md = metadata::v1;
namespace bl = blobs::v1;

constexpr size_t kFileKeyBytes = 32;
// Rounds of "send what is missing, commit" before an upload gives up: one is enough
// unless the session lists only part of what is missing (over 1,000 ranges).
constexpr int kSendRoundsMax = 64;
// The mode recorded for a file made from a stream, which has none of its own.
constexpr uint32_t kStreamMode = 0644;

// The parent folder's path and the last name of `remote_path`.
absl::StatusOr<std::pair<std::string, std::string>> SplitLast(absl::string_view remote_path) {
  std::vector<std::string> parts = SplitTreePath(remote_path);
  if (parts.empty()) return absl::InvalidArgumentError("name the file, not the root folder");
  std::string name = std::move(parts.back());
  parts.pop_back();
  std::string parent = "/";
  for (const std::string& part : parts) absl::StrAppend(&parent, part, "/");
  return std::make_pair(std::move(parent), std::move(name));
}

// The missing chunk indexes of an upload session, as far as it lists them.
std::vector<uint32_t> MissingOf(const bl::UploadSession& session) {
  std::vector<uint32_t> missing;
  for (const bl::IndexRange& range : session.missing_chunks()) {
    for (uint32_t i = 0; i < range.count(); ++i) missing.push_back(range.first_index() + i);
  }
  return missing;
}

// What tells whether a local file is still the one an upload began with, without reading
// it. Size and modification time alone do not: a file rewritten in place and given its
// old time back (`touch -d`) matches them. Its change time (st_ctim) cannot be set from
// user space and moves with any write or `touch`, and a file replaced by another (an
// editor's save by rename) has another inode; git's index trusts the same fields.
struct Fingerprint {
  uint64_t size_bytes = 0;
  absl::Time modified;
  absl::Time changed;
  uint64_t inode = 0;
  uint64_t device = 0;

  static Fingerprint Of(const struct stat& info) {
    return {.size_bytes = static_cast<uint64_t>(info.st_size),
            .modified = absl::TimeFromTimespec(info.st_mtim),
            .changed = absl::TimeFromTimespec(info.st_ctim),
            .inode = static_cast<uint64_t>(info.st_ino),
            .device = static_cast<uint64_t>(info.st_dev)};
  }

  bool operator==(const Fingerprint& other) const {
    return size_bytes == other.size_bytes && modified == other.modified &&
           changed == other.changed && inode == other.inode && device == other.device;
  }

  void RecordIn(v1::PendingUpload* pending) const {
    pending->set_plaintext_size_bytes(size_bytes);
    *pending->mutable_modify_time() = auth::ProtoFromTime(modified);
    *pending->mutable_change_time() = auth::ProtoFromTime(changed);
    pending->set_inode(inode);
    pending->set_device(device);
  }

  // Whether `pending` was saved for this file as it is now. A state saved before the
  // change time was recorded never matches, so it starts over.
  bool Matches(const v1::PendingUpload& pending) const {
    return pending.has_change_time() && pending.plaintext_size_bytes() == size_bytes &&
           auth::TimeFromProto(pending.modify_time()) == modified &&
           auth::TimeFromProto(pending.change_time()) == changed && pending.inode() == inode &&
           pending.device() == device;
  }
};

// Whether a run again may get over `status`, so the upload is kept for it: the network
// or a service out of reach, a rate limit, a login to renew. Anything else (a name
// taken meanwhile, a file that changed or shrank) will fail again the same way.
bool Resumable(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status) ||
         absl::IsUnauthenticated(status) || absl::IsResourceExhausted(status);
}

absl::StatusOr<PutDestination> ResolveDestination(TreeClient& tree, absl::string_view remote_path) {
  absl::StatusOr<std::pair<std::string, std::string>> place = SplitLast(remote_path);
  if (!place.ok()) return place.status();
  PutDestination destination{.remote_path = std::string(remote_path),
                             .folder_path = std::move(place->first),
                             .name = std::move(place->second)};
  if (absl::Status valid = ValidateNodeName(destination.name); !valid.ok()) return valid;
  absl::StatusOr<TreeEntry> folder = tree.Resolve(destination.folder_path);
  if (!folder.ok()) return folder.status();
  if (folder->node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(
        absl::StrCat(destination.folder_path, " is a file, not a folder"));
  }
  destination.folder = *std::move(folder);
  if (absl::StatusOr<TreeEntry> existing = tree.Resolve(remote_path); existing.ok()) {
    if (existing->node.type() != md::NODE_TYPE_FILE) {
      return absl::FailedPreconditionError(absl::StrCat(remote_path, " is a folder"));
    }
    destination.versioned = *std::move(existing);
  } else if (!absl::IsNotFound(existing.status())) {
    return existing.status();
  }
  return destination;
}

// Reserves `sealed_bytes` of quota for an upload to `destination`.
absl::StatusOr<md::Upload> BeginUpload(AccountClient& account, const PutDestination& destination,
                                       uint64_t sealed_bytes) {
  md::BeginUploadRequest begin;
  begin.set_parent(destination.folder.node.name());
  if (destination.versioned.has_value()) begin.set_node(destination.versioned->node.name());
  begin.set_size_bytes(sealed_bytes);
  begin.set_request_id(ids::NewRandomId());
  md::Upload upload;
  if (absl::Status s = account.CallAsMember("POST", "/v1/uploads", &begin, &upload); !s.ok()) {
    s = NamedByPath(s, destination.folder.node.name(), DisplayPath(destination.folder_path));
    return destination.versioned.has_value()
               ? NamedByPath(s, destination.versioned->node.name(), destination.remote_path)
               : s;
  }
  return upload;
}

// What a put saves in the config directory to resume or end its upload
// (upload-*.pending, unfinished_uploads.h), under the lock that makes it this run's alone
// until the put returns.
class SavedPut {
 public:
  // For a put of `local` (an absolute path, or kStandardInput) to `destination`; `shown`
  // names both in the message a second put of them gets while this one runs.
  static absl::StatusOr<SavedPut> Take(const AccountClient& account, absl::string_view local,
                                       const PutDestination& destination, absl::string_view shown) {
    const std::string& config_dir = account.options().config_dir;
    std::string name = PendingUploadFileName(account.options().server, local,
                                             destination.folder.node.name(), destination.name);
    std::error_code made_directory;
    std::filesystem::create_directories(config_dir, made_directory);
    absl::StatusOr<std::unique_ptr<TransferLock>> lock = TransferLock::Acquire(
        absl::StrCat(config_dir, "/", UploadLockFileName(name)),
        absl::StrCat("another bitcontent put of ", shown, " is running; wait for it to finish"),
        0600);
    if (!lock.ok()) return lock.status();
    return SavedPut(CredentialStore(config_dir), std::move(name), *std::move(lock));
  }

  // What an earlier run saved, if anything readable.
  std::optional<v1::PendingUpload> Read() const {
    v1::PendingUpload pending;
    absl::StatusOr<std::string> saved = store_.ReadPrivateFile(name_);
    if (!saved.ok() || !pending.ParseFromString(*saved)) return std::nullopt;
    return pending;
  }
  absl::Status Write(const v1::PendingUpload& pending) const {
    return store_.WritePrivateFile(name_, pending.SerializeAsString());
  }
  // The saved state's file name in the config directory.
  const std::string& name() const { return name_; }
  // Drops the saved state and the lock's file: nothing is left to resume.
  void Forget() {
    (void)store_.RemovePrivateFile(name_);
    lock_->RemoveFile();
  }

  SavedPut(SavedPut&&) = default;
  SavedPut& operator=(SavedPut&&) = default;
  // A run that saved nothing to resume (refused before it began, over quota) leaves no
  // lock file behind either.
  ~SavedPut() {
    if (lock_ != nullptr && !Read().has_value()) lock_->RemoveFile();
  }

 private:
  SavedPut(CredentialStore store, std::string name, std::unique_ptr<TransferLock> lock)
      : store_(std::move(store)), name_(std::move(name)), lock_(std::move(lock)) {}

  CredentialStore store_;
  std::string name_;
  std::unique_ptr<TransferLock> lock_;
};

// Aborts `upload` (of `what`, `size_bytes` reserved), which is given up on. A failure is
// told to options.notice, since the reservation then stays held until the upload
// expires; returns whether it was aborted.
bool AbortAbandoned(AccountClient& account, const TransferOptions& options,
                    const std::string& upload, uint64_t size_bytes, absl::string_view what) {
  const absl::Status aborted = AbortUpload(account, upload);
  if (aborted.ok()) return true;
  if (options.notice) {
    options.notice(absl::StrCat(
        "could not abort ", upload, ", an upload of ", what, " given up on (", aborted.message(),
        "): it holds ", size_bytes, " bytes of your quota until it expires, unless `bitcontent ",
        "uploads --abort ", absl::StripPrefix(upload, "uploads/"), "` frees them first"));
  }
  return false;
}

// What an upload sends: the layout, the chunks sealed, and what the version records.
struct Content {
  ChunkLayout layout;
  absl::Time modified;
  uint32_t mode = 0;
  std::function<absl::StatusOr<std::string>(uint32_t index)> sealed_chunk;
  // OK while the source is still what the chunks were sealed from; checked once all are
  // sent, before the upload becomes a version.
  std::function<absl::Status()> unchanged;
};

// Sends the chunks the upload's blob session lacks, commits the session, then the upload
// as a new file at `destination` or a new version of the file there.
absl::StatusOr<TreeEntry> SendAndCommit(AccountClient& account, const TransferOptions& options,
                                        const PutDestination& destination, const md::Upload& upload,
                                        const std::string& file_key,
                                        const std::string& nonce_prefix, const Content& content) {
  const ChunkLayout& layout = content.layout;
  absl::StatusOr<std::unique_ptr<ApiClient>> api =
      ApiClient::Connect(account.options().server, account.options().timeout);
  if (!api.ok()) return api.status();
  SharedGrant grant(upload.grant(), [&]() -> absl::StatusOr<std::string> {
    md::Upload fresh;
    absl::Status s =
        account.CallAsMember("GET", absl::StrCat("/v1/", upload.name()), nullptr, &fresh);
    if (!s.ok()) return s;
    return fresh.grant();
  });
  const std::string session_path = absl::StrCat("/v1/", upload.upload_session());
  bl::UploadSession session;
  {
    bl::BeginUploadSessionRequest begin;
    begin.set_chunk_count(static_cast<uint32_t>(layout.chunk_count()));
    begin.set_chunk_size_bytes(layout.chunk_bytes + kChunkOverheadBytes);
    begin.set_last_chunk_size_bytes(
        static_cast<uint32_t>(layout.sealed_bytes_of(layout.chunk_count() - 1)));
    absl::StatusOr<std::string> token = account.AccessToken();
    if (!token.ok()) return token.status();
    if (absl::Status s = (*api)->Call("POST", "/v1/uploadSessions", &begin, &session, *token,
                                      GrantHeaders(grant.Current()));
        !s.ok()) {
      return s;
    }
  }

  ProgressMeter meter(options.progress, layout.sealed_bytes(), session.received_bytes());
  bl::Blob blob;
  for (int round = 0;; ++round) {
    const std::vector<uint32_t> missing = MissingOf(session);
    absl::Status sent =
        RunParallel(MemberEndpoint(account), options.parallel, missing, grant,
                    [&](uint32_t index, ApiClient& connection, const std::string& used_grant,
                        const std::string& bearer) -> absl::Status {
                      absl::StatusOr<std::string> sealed = content.sealed_chunk(index);
                      if (!sealed.ok()) return sealed.status();
                      const size_t size = sealed->size();
                      http::Headers headers = GrantHeaders(used_grant);
                      headers.Set("Bitcontent-Chunk-Hash", absl::Base64Escape(ChunkHash(*sealed)));
                      absl::StatusOr<std::string> put =
                          connection.CallBytes("PUT", absl::StrCat(session_path, "/chunks/", index),
                                               headers, *std::move(sealed), bearer);
                      if (!put.ok()) return put.status();
                      meter.Add(size);
                      return absl::OkStatus();
                    });
    if (!sent.ok()) return sent;
    absl::StatusOr<std::string> token = account.AccessToken();
    if (!token.ok()) return token.status();
    const bl::CommitUploadSessionRequest commit_session;  // Named by the path and grant.
    absl::Status committed =
        (*api)->Call("POST", absl::StrCat(session_path, ":commit"), &commit_session, &blob, *token,
                     GrantHeaders(grant.Current()));
    if (committed.ok()) break;
    if (!absl::IsFailedPrecondition(committed) || round + 1 == kSendRoundsMax) return committed;
    if (absl::Status s = (*api)->Call("GET", session_path, nullptr, &session, *token,
                                      GrantHeaders(grant.Current()));
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = content.unchanged(); !s.ok()) return s;

  absl::StatusOr<SealedNode> sealed =
      SealChild(destination.folder.key, destination.name, content.modified, file_key);
  if (!sealed.ok()) return sealed.status();
  v1::VersionAttributes attributes;
  attributes.set_plaintext_size_bytes(layout.plaintext_bytes);
  attributes.set_chunk_bytes(layout.chunk_bytes);
  *attributes.mutable_modify_time() = auth::ProtoFromTime(content.modified);
  attributes.set_mode(content.mode);
  md::CommitUploadRequest commit;
  commit.set_blob(blob.name());
  commit.set_nonce_prefix(nonce_prefix);
  commit.set_version_encrypted_attributes(SealVersionAttributes(file_key, attributes));
  const std::optional<TreeEntry>& versioned = destination.versioned;
  if (versioned.has_value()) {
    commit.mutable_new_version()->set_node(versioned->node.name());
    commit.mutable_new_version()->set_expected_head_version(versioned->node.head_version().name());
  } else {
    commit.mutable_new_file()->set_wrapped_key(sealed->wrapped_key);
    commit.mutable_new_file()->set_name_hmac(sealed->name_hmac);
    commit.mutable_new_file()->set_encrypted_attributes(sealed->encrypted_attributes);
  }
  md::CommitUploadResponse made;
  absl::Status status =
      account.CallAsMember("POST", absl::StrCat("/v1/", upload.name(), ":commit"), &commit, &made);
  // What was there when the upload began changed meanwhile; nothing was overwritten, and
  // the same put run again finds the new state (and adds a version to what is there).
  if (absl::IsAlreadyExists(status) && !versioned.has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "a file named ", destination.remote_path,
        " appeared while this uploaded (made by another device or put), and was left as it is: "
        "run the same put again to add this as its new version, or put it under another name"));
  }
  if (absl::IsAborted(status) && versioned.has_value()) {
    return absl::AbortedError(
        absl::StrCat(destination.remote_path,
                     " got a new version from someone else while this uploaded, and was left as "
                     "it is: run the same put again to make this its newest version"));
  }
  if (!status.ok()) return status;
  return TreeEntry{std::move(*made.mutable_node()), file_key, destination.name};
}

}  // namespace

absl::StatusOr<TreeEntry> FileTransfer::Put(const std::string& local_path,
                                            absl::string_view remote_path, bool* unchanged) {
  absl::StatusOr<PutDestination> destination = ResolveDestination(*tree_, remote_path);
  if (!destination.ok()) return destination.status();
  struct stat info = {};
  if (destination->versioned.has_value() && stat(local_path.c_str(), &info) == 0 &&
      S_ISREG(info.st_mode) && Unchanged(*destination->versioned, info)) {
    if (unchanged != nullptr) *unchanged = true;
    return *destination->versioned;
  }
  return PutFile(local_path, remote_path, &*destination);
}

absl::StatusOr<TreeEntry> FileTransfer::PutFile(const std::string& local_path,
                                                absl::string_view remote_path,
                                                const PutDestination* known) {
  if (options_.parallel < 1 || options_.parallel > kParallelMax) {
    return absl::InvalidArgumentError(absl::StrCat("parallel must be 1 to ", kParallelMax));
  }
  const ChunkLayout probe{.chunk_bytes = options_.chunk_bytes};
  if (absl::Status valid = probe.Validate(); !valid.ok()) return valid;

  // What it is, before it is opened: opening a FIFO waits for a writer (forever, for
  // one nobody writes), and a socket cannot be opened at all.
  const absl::Status not_regular =
      absl::InvalidArgumentError(absl::StrCat(local_path, " is not a regular file"));
  struct stat info = {};
  if (stat(local_path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) return not_regular;
  Fd file(open(local_path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (file.get() < 0) return Errno("open", local_path);
  if (fstat(file.get(), &info) != 0) return Errno("read", local_path);
  if (!S_ISREG(info.st_mode)) return not_regular;  // Replaced by one since.
  const Fingerprint seen = Fingerprint::Of(info);
  const ChunkLayout layout{.plaintext_bytes = seen.size_bytes, .chunk_bytes = options_.chunk_bytes};

  absl::StatusOr<PutDestination> destination =
      known != nullptr ? *known : ResolveDestination(*tree_, remote_path);
  if (!destination.ok()) return destination.status();
  const std::string versioned_node =
      destination->versioned.has_value() ? destination->versioned->node.name() : "";

  const std::string absolute = std::filesystem::absolute(local_path).string();
  absl::StatusOr<SavedPut> saved = SavedPut::Take(*account_, absolute, *destination,
                                                  absl::StrCat(local_path, " to ", remote_path));
  if (!saved.ok()) return saved.status();
  const auto forget = [&] { saved->Forget(); };

  v1::PendingUpload pending;
  md::Upload upload;
  bool resumed = false;
  if (std::optional<v1::PendingUpload> earlier = saved->Read(); earlier.has_value()) {
    pending = *std::move(earlier);
    if (!seen.Matches(pending) || pending.chunk_bytes() != layout.chunk_bytes ||
        pending.node() != versioned_node) {
      // The file (or what is at the destination) is not what the saved upload was
      // sealing: its chunks cannot be reused, and its reservation must not linger.
      const ChunkLayout saved_layout{.plaintext_bytes = pending.plaintext_size_bytes(),
                                     .chunk_bytes = pending.chunk_bytes()};
      AbortAbandoned(*account_, options_, pending.upload(),
                     saved_layout.Validate().ok() ? saved_layout.sealed_bytes() : 0, local_path);
    } else {
      const absl::Status got =
          account_->CallAsMember("GET", absl::StrCat("/v1/", pending.upload()), nullptr, &upload);
      if (!got.ok() && !absl::IsNotFound(got)) return got;
      resumed = got.ok() && upload.state() == md::UPLOAD_STATE_OPEN;
      if (got.ok() && upload.state() == md::UPLOAD_STATE_COMMITTED) {
        forget();  // A run before this one committed it and stopped before forgetting it.
        return tree_->Resolve(remote_path);
      }
    }
  }
  if (!resumed) {
    absl::StatusOr<md::Upload> begun = BeginUpload(*account_, *destination, layout.sealed_bytes());
    if (!begun.ok()) return begun.status();
    upload = *std::move(begun);
    pending.Clear();
    pending.set_upload(upload.name());
    pending.set_upload_session(upload.upload_session());
    pending.set_file_key(destination->versioned.has_value() ? destination->versioned->key
                                                            : crypto::RandomBytes(kFileKeyBytes));
    pending.set_node(versioned_node);
    pending.set_nonce_prefix(ChunkCipher::RandomNoncePrefix());
    pending.set_chunk_bytes(layout.chunk_bytes);
    seen.RecordIn(&pending);
    pending.set_parent(destination->folder.node.name());
    pending.set_name(destination->name);
    pending.set_local_path(absolute);
    pending.set_remote_path(DisplayPath(remote_path));
    if (absl::Status s = saved->Write(pending); !s.ok()) {
      AbortAbandoned(*account_, options_, upload.name(), upload.size_bytes(), local_path);
      return s;
    }
    // A put of this file to this path saved for a folder since replaced can never resume.
    UnfinishedUploads(account_).AbortSuperseded(absolute, pending.remote_path(), saved->name());
  }
  absl::StatusOr<ChunkCipher> cipher =
      ChunkCipher::Create(pending.file_key(), pending.nonce_prefix());
  if (!cipher.ok()) return cipher.status();

  const Content content{
      .layout = layout,
      .modified = seen.modified,
      .mode = static_cast<uint32_t>(info.st_mode & 07777),
      .sealed_chunk = [&](uint32_t index) -> absl::StatusOr<std::string> {
        std::string plain(layout.plaintext_bytes_of(index), '\0');
        if (absl::Status s =
                ReadFully(file.get(), plain, uint64_t{index} * layout.chunk_bytes, local_path);
            !s.ok()) {
          return s;
        }
        return cipher->Seal(index, plain, index + 1 == layout.chunk_count());
      },
      .unchanged = [&]() -> absl::Status {
        struct stat now = {};
        if (fstat(file.get(), &now) == 0 && Fingerprint::Of(now) == seen) return absl::OkStatus();
        return absl::FailedPreconditionError(
            absl::StrCat(local_path,
                         " changed while it uploaded, so what was sent may mix old "
                         "and new bytes; nothing was stored: run the same put again "
                         "once it stays as it is"));
      }};
  absl::StatusOr<TreeEntry> made =
      SendAndCommit(*account_, options_, *destination, upload, pending.file_key(),
                    pending.nonce_prefix(), content);
  if (made.ok()) {
    forget();
    return made;
  }
  if (Resumable(made.status())) {
    return absl::Status(made.status().code(), absl::StrCat(made.status().message(),
                                                           "; run the same put again to resume"));
  }
  // It would fail again the same way: give the reservation back now, not in 7 days. When
  // that fails too, the saved state stays, so the next run finds the upload and ends it.
  if (AbortAbandoned(*account_, options_, upload.name(), upload.size_bytes(), local_path)) {
    forget();
  }
  return made.status();
}

absl::StatusOr<TreeEntry> FileTransfer::PutStream(int input, const std::string& shown,
                                                  absl::string_view remote_path) {
  if (options_.parallel < 1 || options_.parallel > kParallelMax) {
    return absl::InvalidArgumentError(absl::StrCat("parallel must be 1 to ", kParallelMax));
  }
  const ChunkLayout probe{.chunk_bytes = options_.chunk_bytes};
  if (absl::Status valid = probe.Validate(); !valid.ok()) return valid;
  absl::StatusOr<PutDestination> destination = ResolveDestination(*tree_, remote_path);
  if (!destination.ok()) return destination.status();
  const std::string file_key = destination->versioned.has_value()
                                   ? destination->versioned->key
                                   : crypto::RandomBytes(kFileKeyBytes);
  const std::string nonce_prefix = ChunkCipher::RandomNoncePrefix();
  absl::StatusOr<ChunkCipher> cipher = ChunkCipher::Create(file_key, nonce_prefix);
  if (!cipher.ok()) return cipher.status();

  // A stream cannot be resumed, but the upload it begins is saved until it ends: a kill
  // leaves it listed by `bitcontent uploads` as this device's, and the same put run
  // again gives its reservation back before it begins anew.
  absl::StatusOr<SavedPut> saved = SavedPut::Take(*account_, kStandardInput, *destination,
                                                  absl::StrCat("standard input to ", remote_path));
  if (!saved.ok()) return saved.status();
  const auto forget = [&] { saved->Forget(); };
  if (std::optional<v1::PendingUpload> earlier = saved->Read();
      earlier.has_value() && !AbortAbandoned(*account_, options_, earlier->upload(), 0, shown)) {
    return absl::UnavailableError(absl::StrCat("the upload a stopped put of standard input to ",
                                               remote_path,
                                               " began could not be aborted; try again"));
  }
  const absl::Time read_at = absl::Now();
  absl::StatusOr<std::unique_ptr<SealedSpool>> spool =
      SealedSpool::Fill(input, *cipher, options_.chunk_bytes);
  if (!spool.ok()) return spool.status();
  const ChunkLayout& layout = (*spool)->layout();

  absl::StatusOr<md::Upload> upload = BeginUpload(*account_, *destination, layout.sealed_bytes());
  if (!upload.ok()) {
    forget();
    return upload.status();
  }
  v1::PendingUpload pending;
  pending.set_upload(upload->name());
  pending.set_upload_session(upload->upload_session());
  pending.set_parent(destination->folder.node.name());
  pending.set_name(destination->name);
  pending.set_local_path(std::string(kStandardInput));
  pending.set_remote_path(DisplayPath(remote_path));
  if (absl::Status s = saved->Write(pending); !s.ok()) {
    AbortAbandoned(*account_, options_, upload->name(), upload->size_bytes(), shown);
    return s;
  }
  const Content content{
      .layout = layout,
      .modified = read_at,
      .mode = kStreamMode,
      .sealed_chunk = [&](uint32_t index) { return (*spool)->SealedChunk(index); },
      .unchanged = [] { return absl::OkStatus(); }};
  absl::StatusOr<TreeEntry> made =
      SendAndCommit(*account_, options_, *destination, *upload, file_key, nonce_prefix, content);
  // Nothing is kept to resume from (the stream is spent), so nothing may stay held. When
  // the abort fails, the saved upload stays for the next run (or `uploads`) to end.
  if (made.ok() ||
      AbortAbandoned(*account_, options_, upload->name(), upload->size_bytes(), shown)) {
    forget();
  }
  return made;
}

}  // namespace bitcontent::client
