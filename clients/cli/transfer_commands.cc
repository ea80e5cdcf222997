#include "clients/cli/transfer_commands.h"

#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/progress_bar.h"
#include "clients/cli/run.h"
#include "libs/client/file_transfer.h"
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

}  // namespace

void AddTransferCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static std::string local;
  static std::string remote;
  static int parallel = 8;

  CLI::App* put = app.add_subcommand(
      "put", "Upload a file, sealed on this device; run it again to resume after an interruption");
  put->add_option("local", local, "The file to upload")->required();
  put->add_option("remote", remote,
                  "Where it goes: a folder (ending in /, or existing) or a new file's path "
                  "(default: / under its own name)");
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

  CLI::App* get = app.add_subcommand("get", "Download a file and check every chunk of it");
  get->add_option("remote", remote, "The file's path, e.g. /photos/cat.jpg")->required();
  get->add_option("local", local, "Where to write it: a file or a directory (default: here)");
  get->add_option("--parallel", parallel, "Chunks in flight at once")
      ->check(CLI::Range(1, FileTransfer::kParallelMax));
  get->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    std::string target = local.empty() ? "." : local;
    if (fs::is_directory(target)) target = (fs::path(target) / LastName(remote)).string();
    ProgressBar bar(LastName(remote));
    FileTransfer transfer(
        &account, &tree,
        {.parallel = parallel, .progress = [&bar](const TransferProgress& p) { bar.Update(p); }});
    if (absl::Status got = transfer.Get(remote, target); !got.ok()) return got;
    std::printf("downloaded %s to %s\n", remote.c_str(), target.c_str());
    return absl::OkStatus();
  }));
}

}  // namespace bitcontent::cli
