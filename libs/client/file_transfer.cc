#include "libs/client/file_transfer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bitcontent/blobs/v1/blobs_service.pb.h"
#include "bitcontent/client/v1/transfers.pb.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/auth/proto_time.h"
#include "libs/client/credential_store.h"
#include "libs/client/node_envelope.h"
#include "libs/client/transfer_workers.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
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

// Where a pending upload of `local` to `name` in `parent` is kept.
std::string PendingFileName(absl::string_view server, absl::string_view local,
                            absl::string_view parent, absl::string_view name) {
  const std::string key =
      crypto::Blake2b256(absl::StrCat(server, "\n", local, "\n", parent, "\n", name));
  return absl::StrCat("upload-", crypto::HexEncode(key).substr(0, 32), ".pending");
}

// The missing chunk indexes of an upload session, as far as it lists them.
std::vector<uint32_t> MissingOf(const bl::UploadSession& session) {
  std::vector<uint32_t> missing;
  for (const bl::IndexRange& range : session.missing_chunks()) {
    for (uint32_t i = 0; i < range.count(); ++i) missing.push_back(range.first_index() + i);
  }
  return missing;
}

}  // namespace

absl::StatusOr<TreeEntry> FileTransfer::Put(const std::string& local_path,
                                            absl::string_view remote_path) {
  if (options_.parallel < 1 || options_.parallel > kParallelMax) {
    return absl::InvalidArgumentError(absl::StrCat("parallel must be 1 to ", kParallelMax));
  }
  const ChunkLayout probe{.chunk_bytes = options_.chunk_bytes};
  if (absl::Status valid = probe.Validate(); !valid.ok()) return valid;
  absl::StatusOr<std::pair<std::string, std::string>> place = SplitLast(remote_path);
  if (!place.ok()) return place.status();
  const auto& [folder_path, name] = *place;
  if (absl::Status valid = ValidateNodeName(name); !valid.ok()) return valid;

  Fd file(open(local_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return Errno("open", local_path);
  struct stat info = {};
  if (fstat(file.get(), &info) != 0) return Errno("read", local_path);
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(local_path, " is not a regular file"));
  }
  const ChunkLayout layout{.plaintext_bytes = static_cast<uint64_t>(info.st_size),
                           .chunk_bytes = options_.chunk_bytes};
  const absl::Time modified = absl::TimeFromTimespec(info.st_mtim);

  absl::StatusOr<TreeEntry> folder = tree_->Resolve(folder_path);
  if (!folder.ok()) return folder.status();
  if (folder->node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(absl::StrCat(folder_path, " is a file, not a folder"));
  }
  // An existing file gets a new version, sealed with its own key.
  std::optional<TreeEntry> versioned;
  if (absl::StatusOr<TreeEntry> existing = tree_->Resolve(remote_path); existing.ok()) {
    if (existing->node.type() != md::NODE_TYPE_FILE) {
      return absl::FailedPreconditionError(absl::StrCat(remote_path, " is a folder"));
    }
    versioned = *std::move(existing);
  } else if (!absl::IsNotFound(existing.status())) {
    return existing.status();
  }

  const CredentialStore store(account_->options().config_dir);
  const std::string pending_name =
      PendingFileName(account_->options().server, std::filesystem::absolute(local_path).string(),
                      folder->node.name(), name);
  v1::PendingUpload pending;
  md::Upload upload;
  bool resumed = false;
  if (absl::StatusOr<std::string> saved = store.ReadPrivateFile(pending_name);
      saved.ok() && pending.ParseFromString(*saved) &&
      pending.plaintext_size_bytes() == layout.plaintext_bytes &&
      pending.chunk_bytes() == layout.chunk_bytes &&
      auth::TimeFromProto(pending.modify_time()) == modified &&
      pending.node() == (versioned.has_value() ? versioned->node.name() : "")) {
    const absl::Status got =
        account_->CallAsMember("GET", absl::StrCat("/v1/", pending.upload()), nullptr, &upload);
    resumed = got.ok() && upload.state() == md::UPLOAD_STATE_OPEN;
    if (got.ok() && upload.state() == md::UPLOAD_STATE_COMMITTED) {
      (void)store.RemovePrivateFile(pending_name);
      return tree_->Resolve(remote_path);
    }
    if (!got.ok() && !absl::IsNotFound(got)) return got;
  }
  if (!resumed) {
    pending.Clear();
    md::BeginUploadRequest begin;
    begin.set_parent(folder->node.name());
    if (versioned.has_value()) begin.set_node(versioned->node.name());
    begin.set_size_bytes(layout.sealed_bytes());
    begin.set_request_id(ids::NewRandomId());
    if (absl::Status s = account_->CallAsMember("POST", "/v1/uploads", &begin, &upload); !s.ok()) {
      s = NamedByPath(s, folder->node.name(), DisplayPath(folder_path));
      return versioned.has_value() ? NamedByPath(s, versioned->node.name(), remote_path) : s;
    }
    pending.set_upload(upload.name());
    pending.set_upload_session(upload.upload_session());
    pending.set_file_key(versioned.has_value() ? versioned->key
                                               : crypto::RandomBytes(kFileKeyBytes));
    if (versioned.has_value()) pending.set_node(versioned->node.name());
    pending.set_nonce_prefix(ChunkCipher::RandomNoncePrefix());
    pending.set_chunk_bytes(layout.chunk_bytes);
    pending.set_plaintext_size_bytes(layout.plaintext_bytes);
    *pending.mutable_modify_time() = auth::ProtoFromTime(modified);
    pending.set_parent(folder->node.name());
    pending.set_name(name);
    if (absl::Status s = store.WritePrivateFile(pending_name, pending.SerializeAsString());
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<ChunkCipher> cipher =
      ChunkCipher::Create(pending.file_key(), pending.nonce_prefix());
  if (!cipher.ok()) return cipher.status();

  absl::StatusOr<std::unique_ptr<ApiClient>> api =
      ApiClient::Connect(account_->options().server, account_->options().timeout);
  if (!api.ok()) return api.status();
  SharedGrant grant(upload.grant(), [&]() -> absl::StatusOr<std::string> {
    md::Upload fresh;
    absl::Status s =
        account_->CallAsMember("GET", absl::StrCat("/v1/", pending.upload()), nullptr, &fresh);
    if (!s.ok()) return s;
    return fresh.grant();
  });
  const std::string session_path = absl::StrCat("/v1/", pending.upload_session());
  bl::UploadSession session;
  {
    bl::BeginUploadSessionRequest begin;
    begin.set_chunk_count(static_cast<uint32_t>(layout.chunk_count()));
    begin.set_chunk_size_bytes(layout.chunk_bytes + kChunkOverheadBytes);
    begin.set_last_chunk_size_bytes(
        static_cast<uint32_t>(layout.sealed_bytes_of(layout.chunk_count() - 1)));
    absl::StatusOr<std::string> token = account_->AccessToken();
    if (!token.ok()) return token.status();
    if (absl::Status s = (*api)->Call("POST", "/v1/uploadSessions", &begin, &session, *token,
                                      GrantHeaders(grant.Current()));
        !s.ok()) {
      return s;
    }
  }

  ProgressMeter meter(options_.progress, layout.sealed_bytes(), session.received_bytes());
  bl::Blob blob;
  for (int round = 0;; ++round) {
    const std::vector<uint32_t> missing = MissingOf(session);
    absl::Status sent = RunParallel(
        MemberEndpoint(*account_), options_.parallel, missing, grant,
        [&](uint32_t index, ApiClient& connection, const std::string& used_grant,
            const std::string& bearer) -> absl::Status {
          std::string plain(layout.plaintext_bytes_of(index), '\0');
          if (absl::Status s =
                  ReadFully(file.get(), plain, uint64_t{index} * layout.chunk_bytes, local_path);
              !s.ok()) {
            return s;
          }
          std::string sealed = cipher->Seal(index, plain, index + 1 == layout.chunk_count());
          const size_t size = sealed.size();
          http::Headers headers = GrantHeaders(used_grant);
          headers.Set("Bitcontent-Chunk-Hash", absl::Base64Escape(ChunkHash(sealed)));
          absl::StatusOr<std::string> put =
              connection.CallBytes("PUT", absl::StrCat(session_path, "/chunks/", index), headers,
                                   std::move(sealed), bearer);
          if (!put.ok()) return put.status();
          meter.Add(size);
          return absl::OkStatus();
        });
    if (!sent.ok()) return sent;
    absl::StatusOr<std::string> token = account_->AccessToken();
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

  absl::StatusOr<SealedNode> sealed = SealChild(folder->key, name, modified, pending.file_key());
  if (!sealed.ok()) return sealed.status();
  v1::VersionAttributes attributes;
  attributes.set_plaintext_size_bytes(layout.plaintext_bytes);
  attributes.set_chunk_bytes(layout.chunk_bytes);
  *attributes.mutable_modify_time() = auth::ProtoFromTime(modified);
  attributes.set_mode(info.st_mode & 07777);
  md::CommitUploadRequest commit;
  commit.set_blob(blob.name());
  commit.set_nonce_prefix(pending.nonce_prefix());
  commit.set_version_encrypted_attributes(SealVersionAttributes(pending.file_key(), attributes));
  if (versioned.has_value()) {
    commit.mutable_new_version()->set_node(versioned->node.name());
    commit.mutable_new_version()->set_expected_head_version(versioned->node.head_version().name());
  } else {
    commit.mutable_new_file()->set_wrapped_key(sealed->wrapped_key);
    commit.mutable_new_file()->set_name_hmac(sealed->name_hmac);
    commit.mutable_new_file()->set_encrypted_attributes(sealed->encrypted_attributes);
  }
  md::CommitUploadResponse made;
  absl::Status status = account_->CallAsMember(
      "POST", absl::StrCat("/v1/", pending.upload(), ":commit"), &commit, &made);
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat(
        remote_path, " was made by someone else while this uploaded; remove it and run again"));
  }
  if (!status.ok()) return status;
  (void)store.RemovePrivateFile(pending_name);
  return TreeEntry{std::move(*made.mutable_node()), pending.file_key(), name};
}

}  // namespace bitcontent::client
