// FileTransfer (file_transfer.h): what a public link opens, copied into the member's
// tree (import-link). No bytes move: each copy is a new file of the member's that shares
// the linked file's stored chunks, sealed to the folder it goes in.
//
// A linked folder is listed whole first, then copied from that listing: a folder
// imported into itself (or into a folder below it) holds a copy of what it held, once,
// instead of copying its own copy again and again; and the quota it needs is known, and
// checked, before anything is made.
#include "absl/strings/str_cat.h"
#include "bitcontent/accounts/v1/quota.pb.h"
#include "bitcontent/metadata/v1/nodes.pb.h"
#include "libs/client/file_transfer.h"
#include "libs/client/node_envelope.h"
#include "libs/client/tree_client.h"

namespace bitcontent::client {
namespace {

namespace md = metadata::v1;

// Most entries (files and folders, at every depth) one folder import copies.
constexpr size_t kImportEntriesMax = TreeClient::kFolderEntriesMax;

}  // namespace

struct FileTransfer::LinkedTree {
  LinkedFile folder = {};
  std::vector<LinkedFile> files = {};
  std::vector<LinkedTree> folders = {};

  // What copies of every file in it take of a quota.
  uint64_t StoredBytes() const {
    uint64_t bytes = 0;
    for (const LinkedFile& file : files) bytes += file.entry.node.head_version().size_bytes();
    for (const LinkedTree& folder : folders) bytes += folder.StoredBytes();
    return bytes;
  }
};

absl::StatusOr<FileTransfer::ImportedLink> FileTransfer::ImportLink(const LinkedFile& file,
                                                                    absl::string_view destination) {
  absl::StatusOr<TreeClient::Destination> to =
      tree_->ResolveDestination(destination, file.entry.name);
  if (!to.ok()) return to.status();
  if (file.entry.node.type() != md::NODE_TYPE_FOLDER) {
    absl::StatusOr<TreeEntry> copy = tree_->CopyLinked(file.entry, file.url.link, *to);
    if (!copy.ok()) return copy.status();
    return ImportedLink{.entry = *std::move(copy), .path = to->path, .files = 1};
  }
  LinkedTree tree{.folder = file};
  size_t entries = 0;
  if (absl::Status s = ListLinkedTree(&tree, &entries); !s.ok()) return s;
  // Into the member's own files, what does not fit is refused before anything is made.
  // (In a folder shared with them, its owner's quota is not theirs to read: metadata
  // refuses the first copy that does not fit.)
  if (!InSharedFolder(destination)) {
    accounts::v1::Quota quota;
    if (absl::Status s = account_->CallAsMember("GET", "/v1/users/me/quota", nullptr, &quota);
        !s.ok()) {
      return s;
    }
    if (const uint64_t needed = tree.StoredBytes(); needed > quota.available_bytes()) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "importing ", PrintableName(file.entry.name), " needs ", needed,
          " bytes of your quota and ", quota.available_bytes(), " are free",
          quota.reserved_bytes() > 0 ? " (unfinished uploads hold some: `bitcontent uploads`)" : "",
          "; nothing was imported"));
    }
  }
  // A folder is made anew where the member said (never merged into one already there,
  // as a file never replaces one), then filled.
  absl::StatusOr<TreeEntry> made = tree_->MakeFolderAt(to->folder, to->name, to->path);
  if (absl::IsAlreadyExists(made.status())) {
    return absl::AlreadyExistsError(absl::StrCat(to->path, " already exists and is not replaced"));
  }
  if (!made.ok()) return made.status();
  ImportedLink imported{.entry = *made, .path = to->path, .folders = 1};
  FolderTally tally;
  if (absl::Status s = ImportLinkedEntries(tree, *made, to->path, &tally, &imported); !s.ok()) {
    return s;
  }
  imported.files = tally.files - tally.failed;
  if (tally.failed > 0) {
    return absl::AbortedError(absl::StrCat(tally.failed, " of ", tally.files,
                                           " files were not imported (above)",
                                           tally.failed == tally.files ? "" : "; the others were"));
  }
  return imported;
}

absl::Status FileTransfer::ListLinkedTree(LinkedTree* tree, size_t* entries) {
  absl::StatusOr<std::vector<LinkedFile>> listed = ListLinked(tree->folder);
  if (!listed.ok()) return listed.status();
  *entries += listed->size();
  if (*entries > kImportEntriesMax) {
    return absl::FailedPreconditionError(
        absl::StrCat(PrintableName(tree->folder.entry.name), " holds more than ", kImportEntriesMax,
                     " files and folders, more than one import copies; ",
                     "import the folders in it one by one"));
  }
  for (LinkedFile& entry : *listed) {
    if (entry.entry.node.type() != md::NODE_TYPE_FOLDER) {
      tree->files.push_back(std::move(entry));
      continue;
    }
    tree->folders.push_back({.folder = std::move(entry)});
    if (absl::Status s = ListLinkedTree(&tree->folders.back(), entries); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status FileTransfer::ImportLinkedEntries(const LinkedTree& folder, const TreeEntry& into,
                                               const std::string& path, FolderTally* tally,
                                               ImportedLink* imported) {
  const auto destination = [&](const LinkedFile& entry) {
    return TreeClient::Destination{.folder = into,
                                   .name = entry.entry.name,
                                   .path = ChildPath(path, PrintableName(entry.entry.name))};
  };
  for (const LinkedTree& child : folder.folders) {
    const TreeClient::Destination to = destination(child.folder);
    absl::StatusOr<TreeEntry> made = tree_->MakeFolderAt(into, to.name, to.path);
    if (!made.ok()) return made.status();
    ++imported->folders;
    if (absl::Status s = ImportLinkedEntries(child, *made, to.path, tally, imported); !s.ok()) {
      return s;
    }
  }
  for (const LinkedFile& entry : folder.files) {
    const TreeClient::Destination to = destination(entry);
    // A file on sale: bought first when the member allowed its price (else refused by
    // metadata's sale gate, unless they bought it before).
    LinkedFile file = entry;
    absl::Status copied = file.entry.node.priced() && options_.priced_in_folder
                              ? options_.priced_in_folder(file)
                              : absl::OkStatus();
    if (copied.ok()) copied = tree_->CopyLinked(file.entry, file.url.link, to).status();
    // Over quota, every other file would be refused too.
    if (absl::IsResourceExhausted(copied)) {
      return absl::Status(copied.code(),
                          absl::StrCat(to.path, ": ", copied.message(),
                                       "; what came before it was imported, and the import "
                                       "stopped there"));
    }
    if (!copied.ok()) {
      copied = absl::Status(copied.code(),
                            absl::StrCat(to.path, " was not imported: ", copied.message()));
    }
    if (absl::Status s = CountFile(copied, tally); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace bitcontent::client
