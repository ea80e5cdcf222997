#include "clients/cli/transfer_commands.h"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/pricing_commands.h"
#include "clients/cli/progress_bar.h"
#include "clients/cli/run.h"
#include "libs/client/amount.h"
#include "libs/client/file_transfer.h"
#include "libs/client/link_url.h"
#include "libs/client/tree_client.h"

namespace bitcontent::cli {
namespace {

namespace fs = std::filesystem;
using client::AccountClient;
using client::FileTransfer;
using client::TransferProgress;
using client::TreeClient;
using client::TreeEntry;

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
          "sale, so only its key opens it");
    }
    return SaleLink{*std::move(file), false};
  }
  std::optional<uint64_t> limit;
  if (!max_price.empty()) {
    absl::StatusOr<uint64_t> amount = client::ParseAmount(max_price);
    if (!amount.ok()) return amount.status();
    limit = *amount;
  }
  if (absl::Status ready = PrepareBoughtFile(account, *file, limit, request_id); !ready.ok()) {
    return ready;
  }
  return SaleLink{*std::move(file), true};
}

}  // namespace

void AddTransferCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static std::string local;
  static std::string remote;
  static int parallel = 8;
  static std::string version;
  static std::string max_price;
  static std::string request_id;

  CLI::App* put = app.add_subcommand(
      "put", "Upload a file, sealed on this device; run it again to resume after an interruption");
  put->add_option("local", local, "The file to upload")->required();
  put->add_option("remote", remote,
                  "Where it goes: a folder (ending in /, or existing), a new file's path, or an "
                  "existing file, which gets a new version (default: / under its own name)");
  put->add_option("--parallel", parallel, "Chunks in flight at once")
      ->check(CLI::Range(1, FileTransfer::kParallelMax));
  put->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    std::string target = remote.empty() ? "/" : remote;
    if (absl::EndsWith(target, "/")) {
      target += fs::path(local).filename().string();
    } else if (absl::StatusOr<TreeEntry> existing = tree.Resolve(target);
               existing.ok() && existing->node.type() == metadata::v1::NODE_TYPE_FOLDER) {
      target = absl::StrCat(target, "/", fs::path(local).filename().string());
    }
    ProgressBar bar(fs::path(local).filename().string());
    FileTransfer transfer(
        &account, &tree,
        {.parallel = parallel, .progress = [&bar](const TransferProgress& p) { bar.Update(p); }});
    absl::StatusOr<TreeEntry> made = transfer.Put(local, target);
    if (!made.ok()) return made.status();
    std::printf("uploaded %s to %s\n", local.c_str(), target.c_str());
    return absl::OkStatus();
  }));

  CLI::App* get = app.add_subcommand(
      "get",
      "Download a file, or what a public link opens, a file or a whole folder (no login "
      "needed), checking every chunk; run it again to resume after an interruption");
  get->add_option("remote", remote,
                  "The file's path, e.g. /photos/cat.jpg, or a link http://host/l/ID#KEY")
      ->required();
  get->add_option("local", local,
                  "Where to write it (default: here), as cp does: into a directory that "
                  "exists, under its own name; otherwise at this path, as a file (or, for a "
                  "folder link, a new folder). A file already there is replaced once the "
                  "download is complete and verified");
  get->add_option("--version", version, "A kept version's id (`bitcontent versions` lists them)");
  get->add_option("--parallel", parallel, "Chunks in flight at once")
      ->check(CLI::Range(1, FileTransfer::kParallelMax));
  get->add_option("--max-price", max_price,
                  "For a sale link not bought yet: buy it first if it costs at most this, in "
                  "msat (\"1500\") or sat (\"2sat\")");
  get->add_option("--request-id", request_id, "Idempotency key of that purchase, as for buy");
  get->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    const bool linked = client::IsLinkUrl(remote);
    std::unique_ptr<ProgressBar> bar;
    FileTransfer transfer(
        &account, &tree,
        {.parallel = parallel, .progress = [&bar](const TransferProgress& p) { bar->Update(p); }});
    absl::StatusOr<client::LinkedFile> file;
    std::string name = LastName(remote);
    bool bought = false;
    if (linked) {
      absl::StatusOr<SaleLink> opened =
          OpenAnyLink(account, transfer, remote, max_price, request_id);
      if (!opened.ok()) return opened.status();
      file = std::move(opened->file);
      bought = opened->bought;
      name = file->entry.name;
    }
    std::string target = local.empty() ? "." : local;
    if (fs::is_directory(target)) target = (fs::path(target) / name).string();
    bar = std::make_unique<ProgressBar>(name);
    absl::Status got = !linked  ? transfer.Get(remote, target, version)
                       : bought ? transfer.GetBought(*file, target)
                       : file->entry.node.type() == metadata::v1::NODE_TYPE_FOLDER
                           ? transfer.GetLinkedFolder(*file, target)
                           : transfer.GetLinked(*file, target);
    if (!got.ok()) return got;
    std::printf("downloaded %s to %s\n", linked ? name.c_str() : remote.c_str(), target.c_str());
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
  create->add_option("path", path, "The file or folder, e.g. /Reports/q3.pdf")->required();
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
  static std::string folder;
  CLI::App* import = app.add_subcommand(
      "import-link", "Copy what a link opens into your files (no bytes move; it uses your quota)");
  import->add_option("link", link, "The link's URL")->required();
  import->add_option("folder", folder, "Your folder to put it in (default: /)");
  import->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
  FileTransfer transfer(&account, &tree, {});
  // A sale link imports for its buyer only (metadata checks the entitlement).
  absl::StatusOr<SaleLink> opened = OpenAnyLink(account, transfer, link, "", "");
  if (!opened.ok()) return opened.status();
  const client::LinkedFile* file = &opened->file;
  absl::StatusOr<TreeEntry> copy = transfer.ImportLink(*file, folder.empty() ? "/" : folder);
  if (!copy.ok()) return copy.status();
  std::printf("imported %s into %s\n", file->entry.name.c_str(),
              folder.empty() ? "/" : folder.c_str());
  return absl::OkStatus();
}));

CLI::App* revoke = command->add_subcommand("revoke", "Stop a link at once");
revoke->add_option("link", link, "The link's URL")->required();
revoke->callback(Run(options, exit_code, [](AccountClient& account) {
  absl::Status revoked = TreeClient(&account).RevokeLink(link);
  if (revoked.ok()) std::printf("revoked\n");
  return revoked;
}));
}  // namespace bitcontent::cli

}  // namespace bitcontent::cli
