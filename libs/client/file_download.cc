// FileTransfer (file_transfer.h): downloads, of the member's files and through public
// links. Uploads are in file_transfer.cc, copies of what links open in link_import.cc.
#include <unistd.h>

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bitcontent/metadata/v1/metadata_service.pb.h"
#include "libs/client/download_destination.h"
#include "libs/client/download_file.h"
#include "libs/client/download_state.h"
#include "libs/client/file_transfer.h"
#include "libs/client/link_url.h"
#include "libs/client/node_envelope.h"
#include "libs/client/ordered_writer.h"
#include "libs/client/transfer_lock.h"
#include "libs/client/transfer_workers.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/ids/ids.h"

namespace bitcontent::client {
namespace {

namespace md = metadata::v1;

// Where a download of `local_path` is written until it is whole: NAME.bitcontent-part
// beside it, with its state in NAME.bitcontent-part.state, names plainly the client's
// own, so that no file of the member's (their own "NAME.part") is ever taken for a
// partial download, written over or removed. A name too long for those suffixes (a file
// system takes 255 bytes, and names may be that long) gets a fixed-length stand-in made
// from its hash, so any name a member may give a file also comes down, and resumes.
std::string PartialPath(const std::string& local_path) {
  constexpr size_t kNameBytesMax = 255;
  constexpr absl::string_view kPartSuffix = ".bitcontent-part";
  // The longest name made beside it: the state's, while it is saved (download_state.cc).
  constexpr absl::string_view kStateSuffix = ".state.tmp";
  constexpr size_t kSuffixBytesMax = kPartSuffix.size() + kStateSuffix.size();
  const size_t slash = local_path.rfind('/');
  const size_t name_at = slash == std::string::npos ? 0 : slash + 1;
  if (local_path.size() - name_at + kSuffixBytesMax <= kNameBytesMax) {
    return absl::StrCat(local_path, kPartSuffix);
  }
  return absl::StrCat(
      local_path.substr(0, name_at), ".bitcontent-",
      crypto::HexEncode(crypto::Blake2b256(local_path.substr(name_at)).substr(0, 16)), ".part");
}

// Each worker thread receives, opens and writes its chunks in one aligned buffer of its
// own: no string is made, zeroed or copied per chunk.
direct_io::AlignedBuffer& ThreadBuffer(size_t size) {
  thread_local std::unique_ptr<direct_io::AlignedBuffer> buffer;
  if (buffer == nullptr || buffer->size() < size) {
    buffer = std::make_unique<direct_io::AlignedBuffer>(size);
  }
  return *buffer;
}

// A version about to be downloaded: its layout, the cipher that opens its chunks and
// the grant to read them with; written to a file or a stream.
struct OpenedVersion {
  const std::string& shown;
  const TransferEndpoint& endpoint;
  const ChunkLayout layout;
  const ChunkCipher cipher;
  const std::string chunks_path;  // "/v1/blobs/{blob}/chunks/"
  const std::string blob;
  SharedGrant* const grant;
  const TransferOptions* const options;

  // Fetches chunk `index` into `buffer` and opens it there: the plaintext's size, its
  // bytes at the start of the buffer. `written_to` names where it would have gone.
  absl::StatusOr<size_t> Fetch(uint32_t index, ApiClient& connection, const std::string& grant,
                               const std::string& bearer, direct_io::AlignedBuffer& buffer,
                               const std::string& written_to) const {
    const bool last = index + 1 == layout.chunk_count();
    const size_t sealed_max = layout.chunk_bytes + kChunkOverheadBytes;
    // First the copy blobs reads first, unchecked (this check is the end-to-end one);
    // when it does not open, blobs is asked to verify its copies and send a good one.
    absl::StatusOr<size_t> plain;
    for (const bool verify : {false, true}) {
      absl::StatusOr<size_t> sealed = connection.GetBytes(
          absl::StrCat(chunks_path, index, verify ? "?verify=true" : ""), GrantHeaders(grant),
          absl::MakeSpan(buffer.data(), sealed_max), bearer);
      if (!sealed.ok()) return sealed.status();
      plain = *sealed == layout.sealed_bytes_of(index)
                  ? cipher.OpenInPlace(index, absl::MakeSpan(buffer.data(), *sealed), last)
                  : absl::DataLossError("it has the wrong size");
      if (plain.ok()) break;
    }
    if (!plain.ok()) {
      return absl::DataLossError(absl::StrCat(
          "chunk ", index, " of ", shown, " failed verification (", plain.status().message(),
          "): it was altered, swapped or cut short, and none of it was written to ", written_to));
    }
    return plain;
  }

  absl::Status ToFile(const std::string& local_path) const;
  absl::Status ToStream(const DownloadTarget& target) const;
  // Into what `destination` resolved to: a file, or a FIFO or device opened as a stream.
  absl::Status To(const DownloadDestination& destination) const;
};

absl::Status OpenedVersion::ToFile(const std::string& local_path) const {
  const std::string partial = PartialPath(local_path);
  // Whether a stopped run left its partial file, seen before the lock below makes one.
  const bool partial_exists = access(partial.c_str(), F_OK) == 0;
  // The partial file is the lock: two runs writing it would mix their chunks and states.
  absl::StatusOr<std::unique_ptr<TransferLock>> lock = TransferLock::Acquire(
      partial,
      absl::StrCat("another bitcontent get to ", local_path, " is running; wait for it to finish"));
  if (!lock.ok()) return lock.status();
  // What a stopped run of this download already wrote (nothing when there was none).
  DownloadState state = DownloadState::Load(partial + ".state", blob, layout, partial_exists);
  absl::StatusOr<std::unique_ptr<DownloadFile>> out =
      DownloadFile::Create(partial, layout.chunk_bytes, layout.plaintext_bytes,
                           /*resume=*/state.done_count() > 0);
  if (!out.ok()) return out.status();
  // A failure the server or the network may get over keeps what is written, for the
  // next run; any other (a chunk that does not open, a file that is gone) drops it.
  const auto abandon = [&](absl::Status status) {
    if (absl::IsUnavailable(status) || absl::IsDeadlineExceeded(status)) {
      if (state.Save().ok()) {
        return absl::Status(status.code(),
                            absl::StrCat(status.message(), "; run the same get again to resume"));
      }
    }
    state.Remove();
    unlink(partial.c_str());
    return status;
  };
  std::vector<uint32_t> all;
  for (uint32_t i = 0; i < layout.chunk_count(); ++i) {
    if (!state.done(i)) all.push_back(i);
  }
  ProgressMeter meter(options->progress, layout.plaintext_bytes, state.done_bytes());
  const size_t sealed_max = layout.chunk_bytes + kChunkOverheadBytes;
  absl::Status fetched = RunParallel(
      endpoint, options->parallel, all, *grant,
      [&](uint32_t index, ApiClient& connection, const std::string& used_grant,
          const std::string& bearer) -> absl::Status {
        direct_io::AlignedBuffer& buffer = ThreadBuffer(sealed_max);
        absl::StatusOr<size_t> plain =
            Fetch(index, connection, used_grant, bearer, buffer, local_path);
        if (!plain.ok()) return plain.status();
        if (absl::Status s = (*out)->Write(buffer, *plain, uint64_t{index} * layout.chunk_bytes);
            !s.ok()) {
          return s;
        }
        meter.Add(*plain);
        return state.MarkDone(index);
      });
  if (!fetched.ok()) return abandon(fetched);
  if (absl::Status s = (*out)->Finish(layout.plaintext_bytes); !s.ok()) return abandon(s);
  // Checked again at the last moment: a rename replaces whatever is there by then.
  if (absl::Status s = CheckReplaceable(local_path); !s.ok()) return abandon(s);
  if (rename(partial.c_str(), local_path.c_str()) != 0) {
    return abandon(Errno("rename into", local_path));
  }
  state.Remove();
  return absl::OkStatus();
}

absl::Status OpenedVersion::ToStream(const DownloadTarget& target) const {
  // Two chunks a worker: enough to keep every worker busy while the first in line is
  // written, at most that many MiB held.
  OrderedWriter writer(target.fd(), target.path(), 2 * static_cast<uint32_t>(options->parallel));
  std::vector<uint32_t> all;
  for (uint32_t i = 0; i < layout.chunk_count(); ++i) all.push_back(i);
  ProgressMeter meter(options->progress, layout.plaintext_bytes, 0);
  const size_t sealed_max = layout.chunk_bytes + kChunkOverheadBytes;
  absl::Status fetched = RunParallel(
      endpoint, options->parallel, all, *grant,
      [&](uint32_t index, ApiClient& connection, const std::string& used_grant,
          const std::string& bearer) -> absl::Status {
        if (absl::Status turn = writer.WaitForTurn(index); !turn.ok()) return turn;
        direct_io::AlignedBuffer& buffer = ThreadBuffer(sealed_max);
        absl::StatusOr<size_t> plain =
            Fetch(index, connection, used_grant, bearer, buffer, target.path());
        if (!plain.ok()) return plain.status();
        if (absl::Status s = writer.Put(index, std::string(buffer.data(), *plain)); !s.ok()) {
          return s;
        }
        meter.Add(*plain);
        return absl::OkStatus();
      },
      [&writer] { writer.Cancel(); });
  if (!fetched.ok() && writer.written() > 0) {
    return absl::Status(fetched.code(),
                        absl::StrCat(fetched.message(), "; ", target.path(), " got only the first ",
                                     writer.written(), " of ", layout.chunk_count(), " chunks"));
  }
  return fetched;
}

absl::Status OpenedVersion::To(const DownloadDestination& destination) const {
  if (!destination.stream) return ToFile(destination.path);
  absl::StatusOr<int> fd = OpenDownloadStream(destination.path);
  if (!fd.ok()) return fd.status();
  absl::Status written = ToStream(DownloadTarget::Stream(*fd, destination.path));
  if (close(*fd) != 0 && written.ok()) return Errno("write", destination.path);
  return written;
}

}  // namespace

absl::Status FileTransfer::Get(absl::string_view remote_path, const DownloadTarget& target,
                               absl::string_view version) {
  absl::StatusOr<TreeEntry> entry = tree_->Resolve(remote_path);
  if (!entry.ok()) return entry.status();
  return Get(*entry, std::string(remote_path), target, version);
}

absl::Status FileTransfer::Get(const TreeEntry& file, const std::string& shown,
                               const DownloadTarget& target, absl::string_view version) {
  const std::string version_name =
      version.empty() ? "" : absl::StrCat(file.node.name(), "/versions/", version);
  const std::string grant_path = absl::StrCat("/v1/", file.node.name(), ":issueDownloadGrant");
  return Download(
      file, shown, MemberEndpoint(*account_),
      [&]() -> absl::StatusOr<md::DownloadGrant> {
        md::IssueDownloadGrantRequest request;
        request.set_version(version_name);
        md::DownloadGrant grant;
        absl::Status s = account_->CallAsMember("POST", grant_path, &request, &grant);
        if (!s.ok()) return s;
        return grant;
      },
      target);
}

absl::StatusOr<LinkedFile> FileTransfer::OpenLink(absl::string_view url) {
  absl::StatusOr<LinkUrl> link = ParseLinkUrl(url);
  if (!link.ok()) return link.status();
  absl::StatusOr<LinkedFile> file = ResolveLink(url);
  if (!file.ok()) return file.status();
  if (absl::Status s = OpenWithKey(*file, link->key); !s.ok()) return s;
  return file;
}

absl::StatusOr<LinkedFile> FileTransfer::ResolveLink(absl::string_view url) {
  absl::StatusOr<LinkUrl> link = ParseLinkUrl(url, LinkKey::kOptional);
  if (!link.ok()) return link.status();
  absl::StatusOr<std::unique_ptr<ApiClient>> api =
      ApiClient::Connect(link->server, account_->options().timeout);
  if (!api.ok()) return api.status();
  md::ResolveLinkResponse resolved;
  if (absl::Status s = (*api)->Call("GET", absl::StrCat("/v1/", link->link), nullptr, &resolved);
      !s.ok()) {
    return s;
  }
  LinkedFile file;
  file.url = *std::move(link);
  file.entry.node = std::move(*resolved.mutable_node());
  return file;
}

absl::Status FileTransfer::OpenWithKey(LinkedFile& file, std::string key) {
  absl::StatusOr<v1::NodeAttributes> attributes =
      OpenAttributes(key, file.entry.node.encrypted_attributes());
  if (!attributes.ok()) {
    return absl::DataLossError(
        "the link's key does not open what it points to: the link was copied wrong or altered");
  }
  file.url.key = key;
  file.entry.key = std::move(key);
  file.entry.name = attributes->name();
  return absl::OkStatus();
}

absl::Status FileTransfer::GetLinked(const LinkedFile& file, const DownloadTarget& target) {
  return DownloadThroughLink(file, target, /*as_member=*/false);
}

absl::Status FileTransfer::DownloadThroughLink(const LinkedFile& file, const DownloadTarget& target,
                                               bool as_member) {
  const TransferEndpoint endpoint =
      as_member ? MemberEndpoint(*account_)
                : TransferEndpoint{.server = file.url.server,
                                   .timeout = account_->options().timeout,
                                   .bearer = []() -> absl::StatusOr<std::string> { return ""; }};
  const std::string grant_path = absl::StrCat("/v1/", file.url.link, ":issueDownloadGrant");
  return Download(
      file.entry, file.entry.name, endpoint,
      [&]() -> absl::StatusOr<md::DownloadGrant> {
        md::IssueLinkDownloadGrantRequest request;
        request.set_node(file.entry.node.name());  // The link's own node, or one inside it.
        md::DownloadGrant grant;
        if (as_member) {
          // Metadata checks the member's token against their entitlement.
          absl::Status s = account_->CallAsMember("POST", grant_path, &request, &grant);
          if (!s.ok()) return s;
          return grant;
        }
        absl::StatusOr<std::unique_ptr<ApiClient>> api =
            ApiClient::Connect(endpoint.server, endpoint.timeout);
        if (!api.ok()) return api.status();
        absl::Status s = (*api)->Call("POST", grant_path, &request, &grant);
        if (!s.ok()) return s;
        return grant;
      },
      target);
}

absl::Status FileTransfer::Download(
    const TreeEntry& file, const std::string& shown, const TransferEndpoint& endpoint,
    const std::function<absl::StatusOr<metadata::v1::DownloadGrant>()>& issue_grant,
    const DownloadTarget& target) {
  if (options_.parallel < 1 || options_.parallel > kParallelMax) {
    return absl::InvalidArgumentError(absl::StrCat("parallel must be 1 to ", kParallelMax));
  }
  if (file.node.type() != md::NODE_TYPE_FILE) {
    return absl::FailedPreconditionError(absl::StrCat(shown, " is a folder, not a file"));
  }
  // What is at the local path decides how the file goes there, before a grant is asked
  // (a stream target is written as it is).
  absl::StatusOr<DownloadDestination> destination = DownloadDestination{};
  if (!target.stream()) destination = ResolveDownloadDestination(target.path(), target.in_folder());
  if (!destination.ok()) return destination.status();
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
  SharedGrant grant(granted.grant(), [&]() -> absl::StatusOr<std::string> {
    absl::StatusOr<md::DownloadGrant> fresh = issue_grant();
    if (!fresh.ok()) return fresh.status();
    if (fresh->blob() != granted.blob()) {
      return absl::AbortedError(absl::StrCat(shown, " changed during the download; run again"));
    }
    return fresh->grant();
  });
  const OpenedVersion opened{.shown = shown,
                             .endpoint = endpoint,
                             .layout = layout,
                             .cipher = *cipher,
                             .chunks_path = absl::StrCat("/v1/", granted.blob(), "/chunks/"),
                             .blob = granted.blob(),
                             .grant = &grant,
                             .options = &options_};
  return target.stream() ? opened.ToStream(target) : opened.To(*destination);
}

}  // namespace bitcontent::client
