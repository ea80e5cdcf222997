// FileTransfer (file_transfer.h): what a public link opens, copied into the member's
// tree (import-link). No bytes move: each copy is a new file of the member's that shares
// the linked file's stored chunks, sealed to the folder it goes in.
#include "absl/strings/str_cat.h"
#include "bitcontent/metadata/v1/nodes.pb.h"
#include "libs/client/file_transfer.h"
#include "libs/client/node_envelope.h"
#include "libs/client/tree_client.h"

namespace bitcontent::client {
namespace {

namespace md = metadata::v1;

}  // namespace

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
  // A folder is made anew where the member said (never merged into one already there,
  // as a file never replaces one), then filled.
  absl::StatusOr<TreeEntry> made = tree_->MakeFolderAt(to->folder, to->name, to->path);
  if (absl::IsAlreadyExists(made.status())) {
    return absl::AlreadyExistsError(absl::StrCat(to->path, " already exists and is not replaced"));
  }
  if (!made.ok()) return made.status();
  ImportedLink imported{.entry = *made, .path = to->path, .folders = 1};
  FolderTally tally;
  if (absl::Status s = ImportLinkedEntries(file, *made, to->path, &tally, &imported); !s.ok()) {
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

absl::Status FileTransfer::ImportLinkedEntries(const LinkedFile& folder, const TreeEntry& into,
                                               const std::string& path, FolderTally* tally,
                                               ImportedLink* imported) {
  absl::StatusOr<std::vector<LinkedFile>> entries = ListLinked(folder);
  if (!entries.ok()) return entries.status();
  for (const LinkedFile& entry : *entries) {
    const TreeClient::Destination to{.folder = into,
                                     .name = entry.entry.name,
                                     .path = ChildPath(path, PrintableName(entry.entry.name))};
    if (entry.entry.node.type() == md::NODE_TYPE_FOLDER) {
      absl::StatusOr<TreeEntry> made = tree_->MakeFolderAt(into, to.name, to.path);
      if (!made.ok()) return made.status();
      ++imported->folders;
      if (absl::Status s = ImportLinkedEntries(entry, *made, to.path, tally, imported); !s.ok()) {
        return s;
      }
      continue;
    }
    // A file on sale: bought first when the member allowed its price (else refused by
    // metadata's sale gate, unless they bought it before).
    LinkedFile file = entry;
    absl::Status copied = file.entry.node.priced() && options_.priced_in_folder
                              ? options_.priced_in_folder(file)
                              : absl::OkStatus();
    if (copied.ok()) copied = tree_->CopyLinked(file.entry, file.url.link, to).status();
    // Over quota, every other file would be refused too.
    if (absl::IsResourceExhausted(copied)) {
      return absl::Status(copied.code(), absl::StrCat(to.path, ": ", copied.message(),
                                                      "; what came before it was imported"));
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
