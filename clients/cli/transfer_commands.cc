#include "clients/cli/transfer_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "clients/cli/pricing_commands.h"
#include "clients/cli/progress_bar.h"
#include "clients/cli/run.h"
#include "clients/cli/unfinished_folders.h"
#include "libs/auth/proto_time.h"
#include "libs/client/amount.h"
#include "libs/client/api_client.h"
#include "libs/client/download_destination.h"
#include "libs/client/file_transfer.h"
#include "libs/client/link_url.h"
#include "libs/client/node_envelope.h"
#include "libs/client/tree_client.h"
#include "libs/client/unfinished_uploads.h"

namespace bitcontent::cli {
namespace {

namespace fs = std::filesystem;
using client::AccountClient;
using client::FileTransfer;
using client::TransferProgress;
using client::TreeClient;
using client::TreeEntry;

// `-` as a file names standard input (put) or standard output (get), as for cat and tar.
constexpr absl::string_view kStandardStream = "-";

// A put to `target` refused for want of quota: the member's unfinished uploads may be
// what holds it.
absl::Status ExplainQuota(const absl::Status& status, absl::string_view target) {
  if (client::ErrorReasonOf(status) != common::v1::ERROR_REASON_QUOTA_EXCEEDED) return status;
  // Into a shared folder: its owner is out of room, and the writer's uploads are not the cause.
  if (client::InSharedFolder(target)) return status;
  return WithMessage(
      status,
      absl::StrCat(status.message(), "; ",
                   "uploads not finished hold their size until committed, aborted or 7 days old: "
                   "`bitcontent uploads` lists yours, `bitcontent uploads --abort ID` (or --all) "
                   "frees what they hold"));
}

// "45s", "12m", "3h", "2d": how long ago, for people.
std::string Age(absl::Duration age) {
  if (age < absl::Minutes(1)) return absl::StrCat(absl::ToInt64Seconds(age), "s");
  if (age < absl::Hours(1)) return absl::StrCat(absl::ToInt64Minutes(age), "m");
  if (age < absl::Hours(48)) return absl::StrCat(absl::ToInt64Hours(age), "h");
  return absl::StrCat(absl::ToInt64Hours(age) / 24, "d");
}

std::string LastName(absl::string_view remote) {
  const std::vector<std::string> parts = client::SplitTreePath(remote);
  return parts.empty() ? "" : parts.back();
}

// What a link opens, and whether it is a priced file the member downloads as its buyer.
struct SaleLink {
  client::LinkedFile file;
  bool bought = false;
};

// Opens a link's URL: a plain link with its key as always (anonymous); a sale link (no
// key), or a link to a file that is priced, only for its buyer: bought first when
// `max_price` allows, then with the key pricing releases to them.
absl::StatusOr<SaleLink> OpenAnyLink(AccountClient& account, FileTransfer& transfer,
                                     const std::string& url, const std::string& max_price,
                                     const std::string& request_id) {
  absl::StatusOr<client::LinkUrl> parsed = client::ParseLinkUrl(url, client::LinkKey::kOptional);
  if (!parsed.ok()) return parsed.status();
  absl::StatusOr<client::LinkedFile> file =
      parsed->key.empty() ? transfer.ResolveLink(url) : transfer.OpenLink(url);
  if (!file.ok()) return file.status();
  const bool priced =
      file->entry.node.priced() && file->entry.node.type() == metadata::v1::NODE_TYPE_FILE;
  if (!priced) {
    if (parsed->key.empty()) {
      return absl::InvalidArgumentError(
          "the key after '#' is missing (copy the whole link): what this link opens is not for "
          "sale, so only its key opens it (a sale link carries no key; if this was one, its "
          "owner has stopped selling it)");
    }
    return SaleLink{*std::move(file), false};
  }
  absl::StatusOr<std::optional<uint64_t>> limit = MaxPriceOf(max_price);
  if (!limit.ok()) return limit.status();
  if (absl::Status ready = PrepareBoughtFile(account, *file, *limit, request_id); !ready.ok()) {
    return ready;
  }
  return SaleLink{*std::move(file), true};
}

// TransferOptions::notice: each line on standard error, after `before` (a progress bar
// cleared, so that the line is not drawn over).
std::function<void(absl::string_view)> NoticeOnStderr(std::function<void()> before = {}) {
  return [before = std::move(before)](absl::string_view line) {
    if (before) before();
    std::fprintf(stderr, "bitcontent: %s\n", std::string(line).c_str());
  };
}

// What a linked folder's files on sale go through as they come down or are imported
// (TransferOptions::priced_in_folder): each bought within `max_price`, one purchase a
// file (a `request_id` given stands for them all, each file its own); `before` runs
// first. `again` says how the member runs again to buy them.
std::function<absl::Status(client::LinkedFile&)> BuyInFolder(AccountClient& account,
                                                             const std::string& max_price,
                                                             const std::string& request_id,
                                                             std::string again,
                                                             std::function<void()> before = {}) {
  return [&account, &max_price, &request_id, again = std::move(again),
          before = std::move(before)](client::LinkedFile& priced) -> absl::Status {
    absl::StatusOr<std::optional<uint64_t>> limit = MaxPriceOf(max_price);
    if (!limit.ok()) return limit.status();
    const std::string each =
        request_id.empty()
            ? ""
            : absl::StrCat(request_id, "/", absl::StripPrefix(priced.entry.node.name(), "nodes/"));
    if (before) before();
    return PrepareBoughtFile(account, priced, *limit, each, again);
  };
}

// The writer who began an upload in the member's shared folder, as shown to the member.
std::string UploaderShown(const client::UnfinishedUpload& unfinished) {
  return unfinished.uploader_email.empty() ? "a member you shared it with"
                                           : unfinished.uploader_email;
}

// What an unfinished upload is for: its destination and local file when this device
// began it; else the folder it goes into (names are sealed: the path comes from the
// member's own tree) and who began it.
std::string Destination(const client::UnfinishedUpload& unfinished) {
  if (unfinished.local_path == client::kStandardInput) {
    return absl::StrCat(unfinished.remote_path, " from standard input",
                        unfinished.running ? " (running now)"
                                           : " (cannot resume; the same put run again frees it)");
  }
  if (!unfinished.remote_path.empty()) {
    return absl::StrCat(unfinished.remote_path, " from ", unfinished.local_path,
                        unfinished.running ? " (running now)" : "");
  }
  const std::string into = unfinished.folder_path.empty()
                               ? "into a folder shared with you"
                               : absl::StrCat("into ", unfinished.folder_path);
  if (unfinished.begun_by_member) return absl::StrCat(into, " (begun on another device)");
  return absl::StrCat(into, " (begun by ", UploaderShown(unfinished), ")");
}

void PrintUploads(const std::vector<client::UnfinishedUpload>& listed) {
  if (listed.empty()) {
    std::printf("no unfinished uploads: none holds any of your quota\n");
    return;
  }
  const absl::Time now = absl::Now();
  uint64_t held = 0;
  size_t holding = 0;
  std::printf("%-26s  %10s  %4s  %s\n", "ID", "SIZE", "AGE", "DESTINATION");
  for (const client::UnfinishedUpload& unfinished : listed) {
    const metadata::v1::Upload& upload = unfinished.upload;
    if (unfinished.holds_member_quota) {
      held += upload.size_bytes();
      ++holding;
    }
    std::printf("%-26s  %10s  %4s  %s\n",
                std::string(absl::StripPrefix(upload.name(), "uploads/")).c_str(),
                HumanBytes(upload.size_bytes()).c_str(),
                Age(now - auth::TimeFromProto(upload.create_time())).c_str(),
                Destination(unfinished).c_str());
  }
  const size_t others = listed.size() - holding;
  const std::string mine = holding == 0 ? "none holds any of your quota"
                                        : absl::StrCat(holding, " unfinished upload",
                                                       holding == 1 ? " holds " : "s hold ",
                                                       HumanBytes(held), " of your quota");
  const std::string theirs = others == 0
                                 ? ""
                                 : absl::StrCat("; ", others, others == 1 ? " holds" : " hold",
                                                " the quota of a folder shared with you");
  // Only a put this device began can be run again to resume it.
  const bool resumable_here =
      std::any_of(listed.begin(), listed.end(), [](const client::UnfinishedUpload& unfinished) {
        return !unfinished.remote_path.empty() && unfinished.local_path != client::kStandardInput;
      });
  std::printf("%s%s; `bitcontent uploads --abort ID` (or --all, for those you began) frees it%s\n",
              mine.c_str(), theirs.c_str(),
              resumable_here ? ", and running the same put again resumes one begun here" : "");
}

// How an upload that is no longer open ended.
const char* UploadEnding(metadata::v1::UploadState state) {
  switch (state) {
    case metadata::v1::UPLOAD_STATE_COMMITTED:
      return "it was committed: it is a file now";
    case metadata::v1::UPLOAD_STATE_ABORTED:
      return "aborted";
    case metadata::v1::UPLOAD_STATE_EXPIRED:
      return "expired";
    default:
      return "not open";
  }
}

absl::Status AbortAll(client::UnfinishedUploads& unfinished,
                      const std::vector<client::UnfinishedUpload>& listed) {
  uint64_t freed = 0;
  size_t aborted = 0;
  for (const client::UnfinishedUpload& each : listed) {
    const std::string id(absl::StripPrefix(each.upload.name(), "uploads/"));
    if (!each.begun_by_member) {
      // Another member's work in progress: aborting it is a decision to take one by one.
      std::fprintf(stderr, "left %s: %s began it in your shared folder (--abort %s stops it)\n",
                   id.c_str(), UploaderShown(each).c_str(), id.c_str());
      continue;
    }
    if (each.running) {
      std::fprintf(stderr, "left %s: a put on this device is running it (--abort %s stops it)\n",
                   id.c_str(), id.c_str());
      continue;
    }
    absl::StatusOr<client::UnfinishedUploads::Aborted> done = unfinished.Abort(id);
    if (!done.ok()) return done.status();
    if (!done->freed) continue;  // Ended meanwhile.
    freed += each.upload.size_bytes();
    ++aborted;
  }
  std::printf("aborted %zu upload%s; %s back in your quota\n", aborted, aborted == 1 ? "" : "s",
              HumanBytes(freed).c_str());
  return absl::OkStatus();
}

// Copies what `url` opens into the member's tree at `destination`: into it when it is a
// folder, else as a new name; a linked folder with all it holds. A sale link imports for
// its buyer only (metadata checks the entitlement).
absl::Status ImportLink(AccountClient& account, const std::string& url,
                        const std::string& destination, const std::string& max_price,
                        const std::string& request_id) {
  TreeClient tree(&account);
  FileTransfer transfer(
      &account, &tree,
      {.notice = NoticeOnStderr(),
       .priced_in_folder = BuyInFolder(account, max_price, request_id,
                                       "import the folder again, to a new destination,")});
  absl::StatusOr<SaleLink> opened = OpenAnyLink(account, transfer, url, max_price, request_id);
  if (!opened.ok()) return opened.status();
  absl::StatusOr<FileTransfer::ImportedLink> copy = transfer.ImportLink(opened->file, destination);
  if (!copy.ok()) return copy.status();
  // "into /Inbox" when it went into the folder named, "as /Inbox/new.png" for a new name.
  const std::string into = client::DisplayPath(destination);
  std::printf("imported %s %s %s", client::PrintableName(opened->file.entry.name).c_str(),
              copy->path == into ? "as" : "into", into.c_str());
  if (copy->folders > 0) {
    std::printf(" (%zu file%s, %zu folder%s)", copy->files, copy->files == 1 ? "" : "s",
                copy->folders, copy->folders == 1 ? "" : "s");
  }
  std::printf("\n");
  return absl::OkStatus();
}

// One line of `link list`: what the link opens, its URL, and how it stands.
std::string LinkLine(const client::LinkEntry& entry) {
  const metadata::v1::Link& link = entry.link;
  std::string line = entry.path.empty() ? absl::StrCat(link.name(), "  (what it opened is deleted)")
                                        : absl::StrCat(entry.path, "  ",
                                                       entry.url.empty() ? link.name() : entry.url);
  absl::StrAppend(&line, "  ", link.download_count(),
                  link.download_count() == 1 ? " download" : " downloads");
  if (link.state() == metadata::v1::LINK_STATE_REVOKED) {
    absl::StrAppend(&line, ", revoked ", ShownTime(link.revoke_time()));
  } else if (link.state() == metadata::v1::LINK_STATE_EXPIRED) {
    absl::StrAppend(&line, ", expired ", ShownTime(link.expire_time()));
  } else if (link.has_expire_time()) {
    absl::StrAppend(&line, ", expires ", ShownTime(link.expire_time()));
  }
  if (entry.in_trash) absl::StrAppend(&line, ", in the trash: opens nothing until restored");
  return line;
}

// A put's target that ends in / names a folder: made here when it is not there yet
// (its parent must be), as `mkdir` would, so that `put a b /New/` needs no mkdir first.
// A shared:NAME/ that is not there is no folder to make: the owner names theirs.
absl::Status MakeTargetFolder(TreeClient& tree, const std::string& target) {
  if (!absl::EndsWith(target, "/")) return absl::OkStatus();
  const std::vector<std::string> parts = client::SplitTreePath(target);
  if (parts.empty() || (parts.size() == 1 && client::InSharedFolder(target))) {
    return absl::OkStatus();
  }
  absl::StatusOr<TreeEntry> existing = tree.Resolve(target);
  if (!absl::IsNotFound(existing.status())) return absl::OkStatus();
  absl::StatusOr<TreeEntry> made = tree.MakeFolder(target);
  if (!made.ok()) return made.status();
  std::printf("made %s\n", client::DisplayPath(target).c_str());
  return absl::OkStatus();
}

// Uploads `local` (a file, a directory or - for standard input) to `target`: into it
// when `into_folder`, under the local name, else at that path.
absl::Status PutOne(AccountClient& account, TreeClient& tree, const std::string& local,
                    std::string target, bool into_folder, int parallel) {
  const bool from_stdin = local == kStandardStream;
  if (into_folder && from_stdin) {
    return absl::InvalidArgumentError(
        "standard input has no name of its own: give the file's, as in `bitcontent put - "
        "/Backups/db.sql`");
  }
  std::error_code not_dir;
  const bool folder = !from_stdin && fs::is_directory(local, not_dir);
  if (into_folder) {
    if (!absl::EndsWith(target, "/")) target += "/";
    // The name given, as cp -r takes it (a link to a directory keeps its own name); for
    // "." or ".." (or a trailing slash on them), the directory's own name.
    std::string given = local;
    while (given.size() > 1 && given.back() == '/') given.pop_back();
    std::string name = fs::path(given).lexically_normal().filename().string();
    if (folder && (name.empty() || name == "." || name == "..")) {
      name = fs::weakly_canonical(fs::absolute(local)).filename().string();
    }
    target += name;
  }
  const std::string shown = from_stdin ? "standard input" : local;
  ProgressBar bar(from_stdin ? LastName(target) : fs::path(local).filename().string());
  FileTransfer transfer(&account, &tree,
                        {.parallel = parallel,
                         .progress = [&bar](const TransferProgress& p) { bar.Update(p); },
                         .notice = NoticeOnStderr([&bar] { bar.Clear(); })});
  if (folder) {
    // A folder this put makes: noted, so that the same put run again goes on into it
    // rather than into a new one inside it (unfinished_folders.h).
    const UnfinishedFolders unfinished(account.options().config_dir);
    const std::string made_key = UnfinishedFolders::PutKey(account.options().server, local, target);
    if (!into_folder) {
      absl::StatusOr<TreeEntry> made = tree.EnsureFolder(target);
      if (!made.ok()) return made.status();
      unfinished.Note(made_key, made->node.name());
    }
    absl::StatusOr<client::FolderUpload> sent = transfer.PutFolder(local, target);
    bar.Clear();
    if (!sent.ok()) return ExplainQuota(sent.status(), target);
    unfinished.Forget(made_key);
    std::printf("uploaded %s to %s: %d %s sent, %d unchanged, %d skipped\n",
                client::PrintableName(shown).c_str(), client::PrintableName(target).c_str(),
                sent->uploaded, sent->uploaded == 1 ? "file" : "files", sent->unchanged,
                sent->skipped);
    if (sent->failed > 0) {
      return absl::AbortedError(absl::StrCat(
          sent->failed, sent->failed == 1 ? " entry was" : " entries were",
          " not sent (above); the others were: run the same put again once what is in the "
          "way is sorted out"));
    }
    // Links and devices are left out by design; a file whose name cannot be stored was
    // meant to go, so a script must not take the put for complete.
    if (sent->unnamed > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(sent->unnamed, sent->unnamed == 1 ? " file was" : " files were",
                       " not sent for its name (above): rename ",
                       sent->unnamed == 1 ? "it" : "them", " and run the same put again"));
    }
    return absl::OkStatus();
  }
  bool unchanged = false;
  absl::StatusOr<TreeEntry> made = from_stdin ? transfer.PutStream(STDIN_FILENO, shown, target)
                                              : transfer.Put(local, target, &unchanged);
  bar.Clear();
  if (!made.ok()) return ExplainQuota(made.status(), target);
  if (unchanged) {
    std::printf("%s is already at %s, unchanged: nothing was sent\n",
                client::PrintableName(shown).c_str(), client::PrintableName(target).c_str());
    return absl::OkStatus();
  }
  std::printf("uploaded %s to %s\n", client::PrintableName(shown).c_str(),
              client::PrintableName(target).c_str());
  return absl::OkStatus();
}

// What `get` was given besides its paths.
struct GetFlags {
  int parallel = 8;
  std::string version, max_price, request_id;
};

// Whether a download can land at `local` (a directory, or a file in one), checked before
// anything is fetched or bought: the open of its partial file would fail only after that,
// and its message would name a file the member never mentioned; so would a link to
// nothing or a socket there (download_destination.h).
absl::Status CheckLocalTarget(const std::string& local) {
  if (local.empty() || local == kStandardStream || fs::is_directory(local)) {
    return absl::OkStatus();
  }
  if (local.back() == '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("there is no directory ", local, " here: make it first"));
  }
  const fs::path parent = fs::path(local).parent_path();
  if (!parent.empty() && !fs::is_directory(parent)) {
    return absl::InvalidArgumentError(absl::StrCat("there is no directory ", parent.string(),
                                                   "/ to put ", local, " in: make it first"));
  }
  return client::ResolveDownloadDestination(local, /*in_folder=*/false).status();
}

// Downloads `remote` (a path of the member's, or a link) to `local`, as `get` does one.
absl::Status GetOne(AccountClient& account, const std::string& remote, const std::string& local,
                    const GetFlags& flags) {
  if (absl::Status where = CheckLocalTarget(local); !where.ok()) return where;
  TreeClient tree(&account);
  const bool linked = client::IsLinkUrl(remote);
  const bool to_stdout = local == kStandardStream;
  std::unique_ptr<ProgressBar> bar;
  const auto clear_bar = [&bar] {
    if (bar != nullptr) bar->Clear();
  };
  FileTransfer transfer(&account, &tree,
                        {.parallel = flags.parallel,
                         .progress = [&bar](const TransferProgress& p) { bar->Update(p); },
                         .notice = NoticeOnStderr(clear_bar),
                         .priced_in_folder = BuyInFolder(account, flags.max_price, flags.request_id,
                                                         "get the folder again", clear_bar)});
  absl::StatusOr<client::LinkedFile> file;
  std::string name = LastName(remote);
  bool bought = false;
  if (linked) {
    absl::StatusOr<SaleLink> opened =
        OpenAnyLink(account, transfer, remote, flags.max_price, flags.request_id);
    if (!opened.ok()) return opened.status();
    file = std::move(opened->file);
    bought = opened->bought;
    name = file->entry.name;
  }
  // The member's own file or folder, resolved once.
  absl::StatusOr<TreeEntry> entry = linked ? file->entry : tree.Resolve(remote);
  if (!entry.ok()) return entry.status();
  const bool folder = entry->node.type() == metadata::v1::NODE_TYPE_FOLDER;
  if (folder && to_stdout) {
    return absl::InvalidArgumentError(absl::StrCat(
        linked ? "this link opens a folder" : client::DisplayPath(remote) + " is a folder",
        ", which cannot go to standard output: name a directory"));
  }
  if (folder && !flags.version.empty()) {
    return absl::InvalidArgumentError("--version names a version of a file, not of a folder");
  }
  std::string target = local.empty() ? "." : local;
  // A folder that goes to a directory of its own which this command made on an earlier
  // run: on into it, not into a new one inside it (unfinished_folders.h).
  const UnfinishedFolders unfinished(account.options().config_dir);
  const std::string made_key = UnfinishedFolders::GetKey(
      linked ? file->url.server : account.options().server, entry->node.name(), target);
  const bool named_dir = folder && !to_stdout && !local.empty();
  const bool makes_dir = named_dir && !fs::is_directory(target);
  const bool made_dir = named_dir && !makes_dir && unfinished.Find(made_key).has_value();
  if (!to_stdout && fs::is_directory(target) && !made_dir) {
    target = (fs::path(target) / name).string();
  }
  if (makes_dir || made_dir) unfinished.Note(made_key, target);
  // Said before a byte is fetched, rather than when the finished file cannot take its place.
  if (!to_stdout && !folder && fs::is_directory(target)) {
    return absl::FailedPreconditionError(absl::StrCat(
        target, " is a directory here, so the file cannot be written there: give another path"));
  }
  const client::DownloadTarget to =
      to_stdout ? client::DownloadTarget::Stream(STDOUT_FILENO, "standard output")
                : client::DownloadTarget(target);
  // The data goes to standard output: no progress line where it shows on the same screen.
  bar = to_stdout ? std::make_unique<ProgressBar>(
                        name, stderr, isatty(STDERR_FILENO) == 1 && isatty(STDOUT_FILENO) == 0)
                  : std::make_unique<ProgressBar>(name);
  absl::Status got = !linked
                         ? (folder ? transfer.GetFolder(*entry, client::DisplayPath(remote), target)
                                   : transfer.Get(*entry, remote, to, flags.version))
                     : bought ? transfer.GetBought(*file, to)
                     : folder ? transfer.GetLinkedFolder(*file, target)
                              : transfer.GetLinked(*file, to);
  if (absl::IsNotFound(got) && !flags.version.empty()) {
    // The server names the version by its resource name; the member knows its id.
    return absl::NotFoundError(absl::StrCat(
        client::DisplayPath(remote), " has no version ", flags.version, ": `bitcontent versions ",
        ShellWord(client::DisplayPath(remote)), "` lists those kept"));
  }
  if (!got.ok()) return got;
  if (makes_dir || made_dir) unfinished.Forget(made_key);
  bar->Clear();
  // With the data on standard output, what is said goes to standard error.
  // Names are others' words (a link's, a shared folder's): shown harmless, as ls shows them.
  std::fprintf(to_stdout ? stderr : stdout, "downloaded %s to %s\n",
               client::PrintableName(linked ? name : remote).c_str(),
               client::PrintableName(to.path()).c_str());
  return absl::OkStatus();
}

}  // namespace

void AddTransferCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static int parallel = 8;
  static std::string version;
  static std::string max_price;
  static std::string request_id;

  CLI::App* put = app.add_subcommand(
      "put",
      "Upload a file or a whole directory, sealed on this device; run it again to resume after "
      "an interruption");
  static std::vector<std::string> put_paths;
  put->add_option(
         "paths", put_paths,
         "LOCAL [REMOTE], or LOCAL... FOLDER. LOCAL: a file or directory to upload (a "
         "directory's files that are already there, unchanged, are left as they are), or - for "
         "standard input (read to its end and sealed into $TMPDIR first, at most 64 GiB; not "
         "resumable). REMOTE: where it goes: a folder (ending in /, or existing), a new file's "
         "(or folder's) path, or an existing file, which gets a new version (default: / under "
         "its own name); several LOCALs go into a FOLDER")
      ->check(CheckNotEmpty)
      ->required();
  put->add_option("--parallel", parallel, "Chunks in flight at once")
      ->check(CLI::Range(1, FileTransfer::kParallelMax));
  put->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    // PATHS... REMOTE: the last names where the others go, unless there is only one.
    std::vector<std::string> locals = put_paths;
    std::string target = "/";
    if (locals.size() > 1) {
      target = locals.back();
      locals.pop_back();
    }
    if (target == kStandardStream) {
      return absl::InvalidArgumentError(
          "- is standard input, not a place in your files: name where it goes, as in "
          "`bitcontent put - /Backups/db.sql`");
    }
    // A target ending in / is a folder whatever is there (MakeTargetFolder makes it).
    const bool names_folder = absl::EndsWith(target, "/");
    absl::StatusOr<TreeEntry> existing =
        names_folder ? absl::NotFoundError("") : tree.Resolve(target);
    const bool existing_folder =
        existing.ok() && existing->node.type() == metadata::v1::NODE_TYPE_FOLDER;
    // A folder an earlier run of this same put made (and did not fill) is where the
    // directory goes, not a place to put it in.
    const bool made_before =
        existing_folder && locals.size() == 1 && fs::is_directory(locals.front()) &&
        UnfinishedFolders(account.options().config_dir)
                .Find(UnfinishedFolders::PutKey(account.options().server, locals.front(),
                                                target)) == existing->node.name();
    const bool into_folder = names_folder || (existing_folder && !made_before);
    if (locals.size() > 1) {
      if (!into_folder) {
        return absl::InvalidArgumentError(
            absl::StrCat("several files go into a folder: ", client::DisplayPath(target),
                         " is none; end it with / to make it, or make it first (`bitcontent "
                         "mkdir`)"));
      }
      if (std::find(locals.begin(), locals.end(), kStandardStream) != locals.end()) {
        return absl::InvalidArgumentError(
            "- (standard input) goes alone: `bitcontent put - /Backups/db.sql`");
      }
    }
    if (absl::Status made = MakeTargetFolder(tree, target); !made.ok()) return made;
    return ForEachItem(locals, "did not go up", [&](const std::string& local) {
      return PutOne(account, tree, local, target, into_folder, parallel);
    });
  }));

  CLI::App* get = app.add_subcommand(
      "get",
      "Download a file or a whole folder of yours, or what a public link opens (no login "
      "needed), checking every chunk; run it again to resume after an interruption");
  static std::vector<std::string> get_paths;
  get->add_option(
         "paths", get_paths,
         "REMOTE [LOCAL], or REMOTE... DIRECTORY. REMOTE: the path of a file or folder, e.g. "
         "/photos/cat.jpg, or a link http://host/l/ID#KEY. LOCAL: where to write it (default: "
         "here), as cp does: into a directory that exists, under its own name; otherwise at "
         "this path, as a file (or, for a folder, a new folder). A file already there is "
         "replaced once the download is complete and verified; as cp does, a link there is "
         "followed (one to nothing is refused) and a FIFO or device is written into. - writes a "
         "file to standard output, in order as its chunks are verified (not resumable). Several "
         "REMOTEs go into a DIRECTORY that exists")
      ->check(CheckNotEmpty)
      ->required();
  get->add_option("--version", version, "A kept version's id (`bitcontent versions` lists them)")
      ->check(CLI::Validator(CheckVersionId, "VERSION-ID"));
  get->add_option("--parallel", parallel, "Chunks in flight at once")
      ->check(CLI::Range(1, FileTransfer::kParallelMax));
  get->add_option("--max-price", max_price,
                  "For a sale link not bought yet: buy it first if it costs at most this, in "
                  "msat (\"1500\") or sat (\"2sat\", \"1.5sat\")");
  get->add_option("--request-id", request_id, "Idempotency key of that purchase, as for buy")
      ->check(CheckRequestId);
  get->callback(Run(options, exit_code, [](AccountClient& account) {
    // REMOTE [LOCAL], or REMOTE... DIRECTORY.
    std::vector<std::string> remotes = get_paths;
    std::string into;
    if (remotes.size() > 1) {
      into = remotes.back();
      remotes.pop_back();
    }
    if (remotes.size() > 1) {
      if (!fs::is_directory(into)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "several downloads go into a directory: ", into, " is none; make it first"));
      }
      if (!version.empty()) {
        return absl::InvalidArgumentError("--version names a version of one file: get it alone");
      }
    }
    const GetFlags flags = {
        .parallel = parallel, .version = version, .max_price = max_price, .request_id = request_id};
    return ForEachItem(remotes, "did not come down", [&](const std::string& remote) {
      return GetOne(account, remote, into, flags);
    });
  }));

  static std::string abort_upload;
  static bool abort_all = false;
  CLI::App* uploads = app.add_subcommand(
      "uploads",
      "List your unfinished uploads, and those others began in folders you share with "
      "them, each holding its size of the folder owner's quota until it is committed, "
      "aborted or 7 days old; or abort them to free that");
  uploads->add_option("--abort", abort_upload, "Abort this upload (an ID from the list)");
  uploads->add_flag("--all", abort_all,
                    "Abort every unfinished upload (but those a put on this device is running)");
  uploads->callback(Run(options, exit_code, [](AccountClient& account) {
    client::UnfinishedUploads unfinished(&account);
    if (!abort_upload.empty()) {
      absl::StatusOr<client::UnfinishedUploads::Aborted> aborted = unfinished.Abort(abort_upload);
      // Not an upload id at all: the command line is in error, not the upload.
      if (absl::IsInvalidArgument(aborted.status())) {
        throw CLI::ValidationError("--abort", std::string(aborted.status().message()));
      }
      if (!aborted.ok()) return aborted.status();
      const std::string id(absl::StripPrefix(aborted->upload.name(), "uploads/"));
      if (aborted->freed) {
        std::printf("aborted %s; %s back in your quota\n", id.c_str(),
                    HumanBytes(aborted->upload.size_bytes()).c_str());
      } else {
        std::printf("%s had ended already (%s); it holds none of your quota\n", id.c_str(),
                    UploadEnding(aborted->upload.state()));
      }
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<client::UnfinishedUpload>> listed = unfinished.List();
    if (!listed.ok()) return listed.status();
    if (abort_all) return AbortAll(unfinished, *listed);
    PrintUploads(*listed);
    return absl::OkStatus();
  }));
}

void AddLinkCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static std::string path;
  static std::string link;
  static int expire_days = 0;
  CLI::App* command = app.add_subcommand("link", "Public links: anyone with one can download");
  command->require_subcommand(1);
  CLI::App* create = command->add_subcommand(
      "create",
      "Make a link to a file or folder; its key is in the part after '#', never sent to the "
      "server");
  create->add_option("path", path, "The file or folder, e.g. /Reports/q3.pdf")
      ->check(CheckNotEmpty)
      ->required();
  create->add_option("--expire-days", expire_days, "Stop working after this many days")
      ->check(CLI::Range(1, 3650));
  create->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::StatusOr<std::string> url =
        TreeClient(&account).CreateLink(path, absl::Hours(24) * expire_days);
    if (!url.ok()) return url.status();
    std::printf("%s\n", url->c_str());
    if (!absl::StrContains(*url, '#')) {
      std::fprintf(stderr,
                   "a sale link: %s is priced, so the link carries no key; buyers get the key "
                   "from pricing after paying (`bitcontent buy` / `bitcontent get --max-price`)\n",
                   path.c_str());
    }
    return absl::OkStatus();
  }));
  static std::string destination;
  CLI::App* import_link = app.add_subcommand(
      "import-link", "Copy what a link opens into your files (no bytes move; it uses your quota)");
  import_link->add_option("link", link, "The link's URL")->required();
  import_link
      ->add_option("destination", destination,
                   "Your folder to put it in, or a new path to give it another name "
                   "(default: /)")
      ->check(CheckNotEmpty);
  static std::string import_max_price, import_request_id;
  import_link->add_option("--max-price", import_max_price,
                          "Buy what is on sale in it first, if it costs at most this (each file "
                          "of a folder), in msat (\"1500\") or sat (\"2sat\")");
  import_link
      ->add_option("--request-id", import_request_id,
                   "Idempotency key of that purchase, as for buy")
      ->check(CheckRequestId);
  import_link->callback(Run(options, exit_code, [](AccountClient& account) {
    return ImportLink(account, link, destination.empty() ? "/" : destination, import_max_price,
                      import_request_id);
  }));

  static bool all_links = false;
  CLI::App* list = command->add_subcommand(
      "list", "Your links: what each opens, its URL (with its key) and its downloads");
  list->add_flag("--all", all_links, "Also those expired or revoked");
  list->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::StatusOr<std::vector<client::LinkEntry>> links = TreeClient(&account).Links(all_links);
    if (!links.ok()) return links.status();
    for (const client::LinkEntry& entry : *links) std::printf("%s\n", LinkLine(entry).c_str());
    if (links->empty()) SayEmpty(all_links ? "(no links)" : "(no active links)");
    return absl::OkStatus();
  }));

  CLI::App* revoke = command->add_subcommand("revoke", "Stop a link at once");
  revoke
      ->add_option("link", link, "The link's URL (the part after '#' may be left out), or links/ID")
      ->required();
  revoke->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::Status revoked = TreeClient(&account).RevokeLink(link);
    if (revoked.ok()) std::printf("revoked\n");
    return revoked;
  }));
}

}  // namespace bitcontent::cli
