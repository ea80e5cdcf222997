#include "libs/client/file_transfer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bitcontent/blobs/v1/blobs_service.pb.h"
#include "bitcontent/client/v1/transfers.pb.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/auth/proto_time.h"
#include "libs/client/credential_store.h"
#include "libs/client/link_url.h"
#include "libs/client/node_envelope.h"
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

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::UnavailableError(absl::StrCat("cannot ", what, " ", path, ": ", strerror(errno)));
}

absl::Status ReadFully(int fd, std::string& buffer, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < buffer.size()) {
    const ssize_t n = pread(fd, buffer.data() + done, buffer.size() - done, offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read", path);
    if (n == 0)
      return absl::FailedPreconditionError(absl::StrCat(path, " shrank while it was read"));
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status WriteFully(int fd, absl::string_view bytes, uint64_t offset, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = pwrite(fd, bytes.data() + done, bytes.size() - done, offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("write", path);
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

bool Transient(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status);
}

bool GrantExpired(const absl::Status& status) {
  return absl::IsUnauthenticated(status) && absl::StrContains(status.message(), "grant expired");
}

// The grant every chunk call carries, renewed once for all threads when it expires.
class SharedGrant {
 public:
  SharedGrant(std::string grant, std::function<absl::StatusOr<std::string>()> renew)
      : grant_(std::move(grant)), renew_(std::move(renew)) {}

  std::string Current() {
    absl::MutexLock lock(&mutex_);
    return grant_;
  }

  // A fresh grant, unless another thread already replaced `used`.
  absl::Status Renew(const std::string& used) {
    absl::MutexLock lock(&mutex_);
    if (grant_ != used) return absl::OkStatus();
    absl::StatusOr<std::string> fresh = renew_();
    if (!fresh.ok()) return fresh.status();
    grant_ = *std::move(fresh);
    return absl::OkStatus();
  }

 private:
  absl::Mutex mutex_;
  std::string grant_ ABSL_GUARDED_BY(mutex_);
  const std::function<absl::StatusOr<std::string>()> renew_;
};

// Sums progress from the transfer threads and reports it, one call at a time.
class ProgressMeter {
 public:
  ProgressMeter(const std::function<void(const TransferProgress&)>& report, uint64_t total,
                uint64_t skipped)
      : report_(report),
        progress_{.done_bytes = skipped, .total_bytes = total, .skipped_bytes = skipped} {
    if (report_) report_(progress_);
  }

  void Add(uint64_t bytes) {
    absl::MutexLock lock(&mutex_);
    progress_.done_bytes += bytes;
    if (report_) report_(progress_);
  }

 private:
  const std::function<void(const TransferProgress&)>& report_;
  absl::Mutex mutex_;
  TransferProgress progress_ ABSL_GUARDED_BY(mutex_);
};

// The member's endpoint: their server and access token, refreshed under a lock (one
// refresh, not one per thread).
TransferEndpoint MemberEndpoint(AccountClient& account) {
  auto mutex = std::make_shared<absl::Mutex>();
  return {.server = account.options().server,
          .timeout = account.options().timeout,
          .bearer = [&account, mutex]() -> absl::StatusOr<std::string> {
            absl::MutexLock lock(mutex.get());
            return account.AccessToken();
          }};
}

// Runs `work(index, connection, grant, bearer)` for every index on up to `parallel`
// threads, each with its own connection to the gateway; a transient failure is tried
// again (kAttemptsMax in all), an expired grant renewed once. The first other failure
// stops the rest and is returned.
absl::Status RunParallel(
    const TransferEndpoint& endpoint, int parallel, const std::vector<uint32_t>& indexes,
    SharedGrant& grant,
    const std::function<absl::Status(uint32_t, ApiClient&, const std::string& grant,
                                     const std::string& bearer)>& work) {
  absl::Mutex mutex;
  absl::Status failure;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  const auto fail = [&](absl::Status status) {
    absl::MutexLock lock(&mutex);
    if (failure.ok()) failure = std::move(status);
    stop = true;
  };
  const auto run = [&] {
    absl::StatusOr<std::unique_ptr<ApiClient>> api =
        ApiClient::Connect(endpoint.server, endpoint.timeout);
    if (!api.ok()) return fail(api.status());
    while (!stop) {
      const size_t at = next.fetch_add(1);
      if (at >= indexes.size()) return;
      absl::Status status;
      bool renewed = false;
      for (int attempt = 0; attempt < FileTransfer::kAttemptsMax; ++attempt) {
        if (attempt > 0) absl::SleepFor(absl::Milliseconds(100) * (1 << (2 * attempt)));
        absl::StatusOr<std::string> token = endpoint.bearer();
        if (!token.ok()) return fail(token.status());
        const std::string used = grant.Current();
        status = work(indexes[at], **api, used, *token);
        if (GrantExpired(status) && !renewed) {
          renewed = true;
          if (absl::Status fresh = grant.Renew(used); !fresh.ok()) return fail(fresh);
          --attempt;
          continue;
        }
        if (!Transient(status)) break;
      }
      if (!status.ok()) return fail(status);
    }
  };
  std::vector<std::thread> threads;
  const int count = std::max(1, std::min<int>(parallel, static_cast<int>(indexes.size())));
  for (int i = 0; i < count; ++i) threads.emplace_back(run);
  for (std::thread& thread : threads) thread.join();
  return failure;
}

http::Headers GrantHeaders(const std::string& grant) {
  http::Headers headers;
  headers.Set("Bitcontent-Grant", grant);
  return headers;
}

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
      return s;
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

absl::Status FileTransfer::Get(absl::string_view remote_path, const std::string& local_path,
                               absl::string_view version) {
  absl::StatusOr<TreeEntry> entry = tree_->Resolve(remote_path);
  if (!entry.ok()) return entry.status();
  const std::string version_name =
      version.empty() ? "" : absl::StrCat(entry->node.name(), "/versions/", version);
  const std::string grant_path = absl::StrCat("/v1/", entry->node.name(), ":issueDownloadGrant");
  return Download(
      *entry, std::string(remote_path), MemberEndpoint(*account_),
      [&]() -> absl::StatusOr<md::DownloadGrant> {
        md::IssueDownloadGrantRequest request;
        request.set_version(version_name);
        md::DownloadGrant grant;
        absl::Status s = account_->CallAsMember("POST", grant_path, &request, &grant);
        if (!s.ok()) return s;
        return grant;
      },
      local_path);
}

absl::StatusOr<LinkedFile> FileTransfer::OpenLink(absl::string_view url) {
  absl::StatusOr<LinkUrl> link = ParseLinkUrl(url);
  if (!link.ok()) return link.status();
  absl::StatusOr<std::unique_ptr<ApiClient>> api =
      ApiClient::Connect(link->server, account_->options().timeout);
  if (!api.ok()) return api.status();
  md::ResolveLinkResponse resolved;
  if (absl::Status s = (*api)->Call("GET", absl::StrCat("/v1/", link->link), nullptr, &resolved);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<v1::NodeAttributes> attributes =
      OpenAttributes(link->key, resolved.node().encrypted_attributes());
  if (!attributes.ok()) {
    return absl::DataLossError(
        "the link's key does not open what it points to: the link was copied wrong or altered");
  }
  LinkedFile file;
  file.url = std::move(*link);
  file.entry = TreeEntry{std::move(*resolved.mutable_node()), file.url.key, attributes->name()};
  return file;
}

absl::StatusOr<TreeEntry> FileTransfer::ImportLink(const LinkedFile& file,
                                                   absl::string_view folder_path) {
  absl::StatusOr<TreeEntry> folder = tree_->Resolve(folder_path);
  if (!folder.ok()) return folder.status();
  if (folder->node.type() != md::NODE_TYPE_FOLDER) {
    return absl::FailedPreconditionError(absl::StrCat(folder_path, " is a file, not a folder"));
  }
  md::CopyNodeRequest request;
  request.set_source(file.entry.node.name());
  request.set_link(file.url.link);
  request.set_new_parent(folder->node.name());
  request.set_wrapped_key(WrapNodeKey(folder->key, file.entry.key));
  request.set_name_hmac(NameHmac(folder->key, file.entry.name));
  request.set_request_id(ids::NewRandomId());
  md::Node copy;
  absl::Status s = account_->CallAsMember("POST", "/v1/nodes:copy", &request, &copy);
  if (absl::IsAlreadyExists(s)) {
    return absl::AlreadyExistsError(
        absl::StrCat(folder_path, " already holds something called ", file.entry.name));
  }
  if (!s.ok()) return s;
  return TreeEntry{std::move(copy), file.entry.key, file.entry.name};
}

absl::Status FileTransfer::GetLinked(const LinkedFile& file, const std::string& local_path) {
  const TransferEndpoint anonymous = {.server = file.url.server,
                                      .timeout = account_->options().timeout,
                                      .bearer = []() -> absl::StatusOr<std::string> { return ""; }};
  const std::string grant_path = absl::StrCat("/v1/", file.url.link, ":issueDownloadGrant");
  return Download(
      file.entry, file.entry.name, anonymous,
      [&]() -> absl::StatusOr<md::DownloadGrant> {
        absl::StatusOr<std::unique_ptr<ApiClient>> api =
            ApiClient::Connect(anonymous.server, anonymous.timeout);
        if (!api.ok()) return api.status();
        md::IssueLinkDownloadGrantRequest request;
        md::DownloadGrant grant;
        absl::Status s = (*api)->Call("POST", grant_path, &request, &grant);
        if (!s.ok()) return s;
        return grant;
      },
      local_path);
}

absl::Status FileTransfer::Download(
    const TreeEntry& file, const std::string& shown, const TransferEndpoint& endpoint,
    const std::function<absl::StatusOr<metadata::v1::DownloadGrant>()>& issue_grant,
    const std::string& local_path) {
  if (options_.parallel < 1 || options_.parallel > kParallelMax) {
    return absl::InvalidArgumentError(absl::StrCat("parallel must be 1 to ", kParallelMax));
  }
  if (file.node.type() != md::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(absl::StrCat(shown, " is a folder, not a file"));
  }
  absl::StatusOr<md::DownloadGrant> first = issue_grant();
  if (!first.ok()) return first.status();
  const md::DownloadGrant granted = *std::move(first);
  const md::Version& version = granted.version();
  absl::StatusOr<v1::VersionAttributes> attributes =
      OpenVersionAttributes(file.key, version.encrypted_attributes());
  if (!attributes.ok()) {
    return absl::DataLossError(absl::StrCat(
        shown, "'s version does not open with its key: ", attributes.status().message()));
  }
  const ChunkLayout layout{.plaintext_bytes = attributes->plaintext_size_bytes(),
                           .chunk_bytes = attributes->chunk_bytes()};
  if (!layout.Validate().ok() || layout.chunk_count() != version.chunk_count() ||
      layout.sealed_bytes() != version.size_bytes()) {
    return absl::DataLossError(absl::StrCat(
        shown, "'s stored layout does not match the one sealed with it: it was altered"));
  }
  absl::StatusOr<ChunkCipher> cipher = ChunkCipher::Create(file.key, version.nonce_prefix());
  if (!cipher.ok()) return cipher.status();

  const std::string partial = local_path + ".part";
  Fd out(open(partial.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (out.get() < 0) return Errno("create", partial);
  const auto abandon = [&](absl::Status status) {
    unlink(partial.c_str());
    return status;
  };
  std::vector<uint32_t> all(layout.chunk_count());
  for (uint32_t i = 0; i < all.size(); ++i) all[i] = i;
  SharedGrant grant(granted.grant(), [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<md::DownloadGrant> fresh = issue_grant();
    if (!fresh.ok()) return fresh.status();
    if (fresh->blob() != granted.blob()) {
      return absl::AbortedError(absl::StrCat(shown, " changed during the download; run again"));
    }
    return fresh->grant();
  });
  ProgressMeter meter(options_.progress, layout.plaintext_bytes, 0);
  const std::string blob_path = absl::StrCat("/v1/", granted.blob(), "/chunks/");
  absl::Mutex write_mutex;
  absl::Status fetched = RunParallel(
      endpoint, options_.parallel, all, grant,
      [&](uint32_t index, ApiClient& connection, const std::string& used_grant,
          const std::string& bearer) -> absl::Status {
        absl::StatusOr<std::string> sealed = connection.CallBytes(
            "GET", absl::StrCat(blob_path, index), GrantHeaders(used_grant), "", bearer);
        if (!sealed.ok()) return sealed.status();
        const bool last = index + 1 == layout.chunk_count();
        absl::StatusOr<std::string> plain = sealed->size() == layout.sealed_bytes_of(index)
                                                ? cipher->Open(index, *sealed, last)
                                                : absl::DataLossError("it has the wrong size");
        if (!plain.ok()) {
          return absl::DataLossError(absl::StrCat(
              "chunk ", index, " of ", shown, " failed verification (", plain.status().message(),
              "): it was altered, swapped or cut short; "
              "nothing was written to ",
              local_path));
        }
        {
          // One writer at a time: threads writing one file together only spin on its
          // inode lock.
          absl::MutexLock lock(&write_mutex);
          if (absl::Status s =
                  WriteFully(out.get(), *plain, uint64_t{index} * layout.chunk_bytes, partial);
              !s.ok()) {
            return s;
          }
        }
        meter.Add(plain->size());
        return absl::OkStatus();
      });
  if (!fetched.ok()) return abandon(fetched);
  if (ftruncate(out.get(), static_cast<off_t>(layout.plaintext_bytes)) != 0 ||
      fsync(out.get()) != 0) {
    return abandon(Errno("write", partial));
  }
  if (rename(partial.c_str(), local_path.c_str()) != 0) {
    return abandon(Errno("rename into", local_path));
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::client
