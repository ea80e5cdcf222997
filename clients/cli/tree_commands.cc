#include "clients/cli/tree_commands.h"

#include <google/protobuf/util/time_util.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "clients/cli/progress_bar.h"
#include "clients/cli/run.h"
#include "libs/auth/proto_time.h"
#include "libs/client/amount.h"
#include "libs/client/file_transfer.h"
#include "libs/client/link_url.h"
#include "libs/client/node_envelope.h"
#include "libs/client/pricing_client.h"
#include "libs/client/tree_client.h"
#include "libs/ids/ids.h"

namespace bitcontent::cli {
namespace {

using client::AccountClient;
using client::DisplayPath;
using client::TrashedEntry;
using client::TreeClient;
using client::TreeEntry;

// A CLI11 check: digits only, said so (CLI11's own range check calls "abc" out of range).
std::string WholeNumber(const std::string& text) {
  if (client::IsDigits(text)) return "";
  return absl::StrCat("\"", text, "\" is not a whole number");
}

// "photos/" for folders, so a listing shows what can be entered; a mark for the trash.
// Control characters in a name (one made before they were refused, or a link's) are
// shown escaped, never sent to the terminal as they are.
std::string Shown(const TreeEntry& entry) {
  std::string shown = client::PrintableName(entry.name);
  if (entry.node.type() == metadata::v1::NODE_TYPE_FOLDER) shown += "/";
  if (entry.node.state() == metadata::v1::NODE_STATE_TRASHED) shown += "  (in the trash)";
  return shown;
}

// How a priced file's sale stands, as `ls -l` marks it: metadata knows only that pricing
// holds a price (buyers then need an entitlement); pricing says whether it is still sold.
std::string SaleMark(AccountClient& account, const TreeEntry& entry) {
  absl::StatusOr<pricing::v1::Price> price =
      client::PricingClient(&account).GetPrice(account.options().server, entry.node.name());
  const bool withdrawn = price.ok() && price->state() == pricing::v1::PRICE_STATE_WITHDRAWN;
  return withdrawn ? "  [withdrawn: earlier buyers only]" : "  [on sale]";
}

// `ls -l`'s line as far as the entry itself tells: a file's size and modification time
// (from its current version's sealed attributes), a folder's last change, the name.
std::string SizeTimeLine(const TreeEntry& entry, const std::string& shown) {
  std::string size = "-";
  std::string modified = ShownTime(entry.node.update_time());
  if (entry.node.type() != metadata::v1::NODE_TYPE_FOLDER) {
    absl::StatusOr<client::v1::VersionAttributes> attributes =
        client::OpenVersionAttributes(entry.key, entry.node.head_version().encrypted_attributes());
    if (attributes.ok()) {
      size = HumanBytes(attributes->plaintext_size_bytes());
      modified = ShownTime(attributes->modify_time());
    }
  }
  return absl::StrFormat("%10s  %s  %s", size, modified, shown);
}

// `ls -l`'s line of the member's own entry: SizeTimeLine, and what else holds of it.
std::string LongLine(AccountClient& account, const TreeEntry& entry, const std::string& shown) {
  std::string line = SizeTimeLine(entry, shown);
  if (entry.node.priced()) absl::StrAppend(&line, SaleMark(account, entry));
  if (entry.node.shared()) absl::StrAppend(&line, "  [shared]");
  return line;
}

// How `ls` lists.
struct Listing {
  bool trashed = false;              // --trash
  bool long_form = false;            // -l
  bool recursive = false;            // -R
  AccountClient* account = nullptr;  // to ask pricing how a priced file's sale stands (-l)
};

// Prints what `folder` holds, each entry named `prefix` then its name; with `recursive`,
// what each folder in it holds too, right after that folder. Counts the lines in `count`.
absl::Status ListTree(TreeClient& tree, const TreeEntry& folder, const std::string& prefix,
                      const Listing& how, size_t* count) {
  absl::StatusOr<std::vector<TreeEntry>> entries = tree.ListFolder(folder, how.trashed);
  if (!entries.ok()) return entries.status();
  for (const TreeEntry& entry : *entries) {
    const std::string shown = prefix + Shown(entry);
    std::printf("%s\n", (how.long_form ? LongLine(*how.account, entry, shown) : shown).c_str());
    ++*count;
    if (how.recursive && entry.node.type() == metadata::v1::NODE_TYPE_FOLDER) {
      const std::string inner = absl::StrCat(prefix, client::PrintableName(entry.name), "/");
      if (absl::Status s = ListTree(tree, entry, inner, how, count); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

// A listing that is empty prints nothing, so that scripts read no lines; a person at a
// terminal is told so on stderr (as kubectl says "No resources found").
// One line of `trash`: the id `restore` and `purge` take, when it went there, and where
// it was.
std::string TrashLine(const TrashedEntry& trashed) {
  return absl::StrCat(client::ShortNodeId(trashed.entry.node), "  ",
                      ShownTime(trashed.entry.node.trash_time()), "  ", trashed.path,
                      trashed.entry.node.type() == metadata::v1::NODE_TYPE_FOLDER ? "/" : "");
}

// The one entry in the trash `target` names; when a path names several, an error listing
// them with the ids that tell them apart.
absl::StatusOr<TrashedEntry> OneTrashed(TreeClient& tree, const std::string& target,
                                        const std::string& command) {
  absl::StatusOr<std::vector<TrashedEntry>> found = tree.FindTrashed(target);
  if (!found.ok()) return found.status();
  if (found->size() == 1) return std::move(found->front());
  std::string message = absl::StrCat(DisplayPath(target), " is in the trash ", found->size(),
                                     " times; name the one to ", command,
                                     " by its id (`bitcontent ", command, " ID`):");
  for (const TrashedEntry& trashed : *found) absl::StrAppend(&message, "\n  ", TrashLine(trashed));
  return absl::InvalidArgumentError(message);
}

// What a public link's file is: its name and size, from the attributes of its current
// version (sealed with the key the link carries).
std::string LinkedFileLine(const TreeEntry& file) {
  absl::StatusOr<client::v1::VersionAttributes> attributes =
      client::OpenVersionAttributes(file.key, file.node.head_version().encrypted_attributes());
  if (!attributes.ok()) return Shown(file);
  return absl::StrCat(Shown(file), "  ", HumanBytes(attributes->plaintext_size_bytes()));
}

// A sale link carries no key, so nothing of the file can be shown but what its seller
// made public: the title and the price, and how to buy it. False when `url` is not one.
absl::StatusOr<bool> ShowSale(AccountClient& account, client::FileTransfer& transfer,
                              const std::string& url) {
  absl::StatusOr<client::LinkUrl> parsed = client::ParseLinkUrl(url, client::LinkKey::kOptional);
  if (!parsed.ok() || !parsed->key.empty()) return false;
  absl::StatusOr<client::LinkedFile> resolved = transfer.ResolveLink(url);
  if (!resolved.ok()) return resolved.status();
  if (!resolved->entry.node.priced()) return false;
  absl::StatusOr<pricing::v1::Price> price =
      client::PricingClient(&account).GetPrice(parsed->server, resolved->entry.node.name());
  if (!price.ok()) return price.status();
  const std::string amount = client::FormatAmount(price->download_price_msat());
  std::printf("for sale: %s, %s\n",
              price->public_title().empty() ? "(untitled)"
                                            : client::PrintableName(price->public_title()).c_str(),
              price->download_price_msat() == 0 ? "stream only" : amount.c_str());
  if (price->state() == pricing::v1::PRICE_STATE_WITHDRAWN) {
    std::printf("withdrawn: no new sales; buyers still download it\n");
  } else {
    std::fprintf(stderr, "buy it with `bitcontent buy %s` (or `get` it with --max-price %llu)\n",
                 url.c_str(), static_cast<unsigned long long>(price->download_price_msat()));
  }
  return true;
}

// What a file on sale in a linked folder costs its reader, as `ls -l LINK` marks it
// (its price is public: what `get --max-price` must allow).
std::string LinkedSaleMark(AccountClient& account, const client::LinkedFile& linked) {
  absl::StatusOr<pricing::v1::Price> price =
      client::PricingClient(&account).GetPrice(linked.url.server, linked.entry.node.name());
  if (!price.ok()) return "  [on sale]";
  if (price->state() == pricing::v1::PRICE_STATE_WITHDRAWN) {
    return "  [withdrawn: earlier buyers only]";
  }
  if (price->download_price_msat() == 0) return "  [streaming only]";
  return absl::StrCat("  [on sale: ", client::FormatAmount(price->download_price_msat()), "]");
}

// ListTree for a folder a public link opens (-l and -R as for the member's own; what
// the link's owner has shared is not the reader's business, what is on sale is).
absl::Status ListLinkedTree(client::FileTransfer& transfer, const client::LinkedFile& folder,
                            const std::string& prefix, const Listing& how, size_t* count) {
  absl::StatusOr<std::vector<client::LinkedFile>> entries = transfer.ListLinked(folder);
  if (!entries.ok()) return entries.status();
  for (const client::LinkedFile& linked : *entries) {
    const std::string shown = prefix + Shown(linked.entry);
    std::string line = how.long_form ? SizeTimeLine(linked.entry, shown) : shown;
    if (how.long_form && linked.entry.node.priced() && how.account != nullptr) {
      absl::StrAppend(&line, LinkedSaleMark(*how.account, linked));
    }
    std::printf("%s\n", line.c_str());
    ++*count;
    if (how.recursive && linked.entry.node.type() == metadata::v1::NODE_TYPE_FOLDER) {
      const std::string inner = absl::StrCat(prefix, client::PrintableName(linked.entry.name), "/");
      if (absl::Status s = ListLinkedTree(transfer, linked, inner, how, count); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

// What a public link opens: a file's name and size, or what the folder holds; for a sale
// link, what it sells.
absl::Status ListLink(AccountClient& account, const std::string& url, const Listing& how) {
  TreeClient tree(&account);
  client::FileTransfer transfer(&account, &tree, {});
  absl::StatusOr<bool> sale = ShowSale(account, transfer, url);
  if (!sale.ok()) return sale.status();
  if (*sale) return absl::OkStatus();
  absl::StatusOr<client::LinkedFile> opened = transfer.OpenLink(url);
  if (!opened.ok()) return opened.status();
  if (opened->entry.node.type() != metadata::v1::NODE_TYPE_FOLDER) {
    const std::string line = how.long_form ? SizeTimeLine(opened->entry, Shown(opened->entry))
                                           : LinkedFileLine(opened->entry);
    std::printf("%s\n", line.c_str());
    return absl::OkStatus();
  }
  size_t count = 0;
  if (absl::Status s = ListLinkedTree(transfer, *opened, "", how, &count); !s.ok()) return s;
  if (count == 0) SayEmpty("(the linked folder is empty)");
  return absl::OkStatus();
}

// The folders shared with the member, as `shared` and `ls shared:` list them.
absl::Status ListShared(AccountClient& account) {
  absl::StatusOr<std::vector<client::SharedFolder>> folders = TreeClient(&account).SharedWithMe();
  if (!folders.ok()) return folders.status();
  for (const client::SharedFolder& folder : *folders) {
    std::printf(
        "%s/  (%s, from %s)\n", client::PrintableName(client::SharedPath(folder, *folders)).c_str(),
        folder.share.role() == metadata::v1::SHARE_ROLE_WRITER ? "read and write" : "read only",
        client::PrintableName(folder.owner_email).c_str());
  }
  if (folders->empty()) SayEmpty("(nothing is shared with you)");
  return absl::OkStatus();
}

// `status` of a restore back where it was, with what to do instead when that place is
// taken or no longer there.
absl::Status ExplainRestore(TreeClient& tree, const absl::Status& status,
                            const TrashedEntry& trashed) {
  const std::string id = client::ShortNodeId(trashed.entry.node);
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat(
        trashed.path, " exists (not in the trash), so the one in the trash cannot go back there: ",
        "restore it under another name (`bitcontent restore ", id, " ",
        ShellWord(trashed.path + " (restored)"), "`) or into another folder (`bitcontent restore ",
        id, " FOLDER`), or rename the one there first (`bitcontent mv ", ShellWord(trashed.path),
        " NEW-NAME`)"));
  }
  if (absl::IsFailedPrecondition(status)) {
    // The server names how to do it by its fields; say it with the command.
    std::string message(status.message());
    if (const size_t hint = message.find("; restore into another folder");
        hint != std::string::npos) {
      message.resize(hint);
    }
    // "/T is in the trash; ..." (or "nodes/ID ...", which the member knows by its path):
    // the folder it was in, and the two ways on.
    const std::string folder_trashed = " is in the trash; restore it or choose";
    if (const size_t at = message.find(folder_trashed); at != std::string::npos) {
      const size_t slash = trashed.path.rfind('/');
      const std::string folder = !absl::StartsWith(message, "nodes/") ? message.substr(0, at)
                                 : slash == 0 || slash == std::string::npos
                                     ? "/"
                                     : trashed.path.substr(0, slash);
      // That folder may be in the trash only through a folder above it, which is the
      // one to restore: the highest trashed folder on its path.
      std::string above = folder;
      if (absl::StatusOr<std::vector<TrashedEntry>> all = tree.Trashed(); all.ok()) {
        for (const TrashedEntry& other : *all) {
          if (other.path.size() < above.size() &&
              absl::StartsWith(folder, absl::StrCat(other.path, "/"))) {
            above = other.path;
          }
        }
      }
      return absl::FailedPreconditionError(
          absl::StrCat("the folder it was in, ", folder, ", is in the trash ",
                       above == folder ? "too" : absl::StrCat("with ", above),
                       ": restore that first (`", "bitcontent restore ", ShellWord(above),
                       "`), or restore this into another folder "
                       "with `bitcontent restore ",
                       id, " FOLDER`"));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        message, "; restore it into another folder with `bitcontent restore ", id, " FOLDER`"));
  }
  return status;
}

}  // namespace

void AddTreeCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static std::string path;
  static std::string destination;
  static std::string email;
  static std::string restore_version;
  static std::string delete_version;
  static bool show_trashed = false;
  static bool writer = false;

  CLI::App* mkdir = app.add_subcommand(
      "mkdir", "Make a folder (its parent must exist, unless -p makes the missing ones too)");
  mkdir->add_option("path", path, "e.g. /photos/2026")->check(CheckNotEmpty)->required();
  static bool parents = false;
  mkdir->add_flag("-p,--parents", parents,
                  "Make missing folders above it too; a folder already there is fine");
  mkdir->callback(Run(options, exit_code, [](AccountClient& account) {
    if (client::SplitTreePath(path).empty()) {  // "/": the root, which is never made.
      return absl::InvalidArgumentError(
          "/ is your root folder and always exists: give the folder to make, as in "
          "`bitcontent mkdir /photos/2026`");
    }
    int made = 0;
    absl::StatusOr<TreeEntry> folder = parents ? TreeClient(&account).MakeFolders(path, &made)
                                               : TreeClient(&account).MakeFolder(path);
    if (absl::IsNotFound(folder.status()) && !parents) {
      return WithMessage(folder.status(),
                         absl::StrCat(folder.status().message(),
                                      " (mkdir -p makes the missing folders above it too)"));
    }
    if (!folder.ok()) return folder.status();
    if (parents && made == 0) {
      std::printf("%s is there already\n", DisplayPath(path).c_str());
    } else {
      std::printf("made %s\n", DisplayPath(path).c_str());
    }
    return absl::OkStatus();
  }));

  CLI::App* ls = app.add_subcommand("ls", "List a folder, yours or one a public link opens");
  ls->add_option("path", path,
                 "The folder (default: /), shared: for the folders shared with you, or a link "
                 "http://host/l/ID#KEY")
      ->check(CheckNotEmpty);
  ls->add_flag("--trash", show_trashed, "Show what is in the trash too");
  static bool long_listing = false;
  static bool recursive = false;
  ls->add_flag("-R,--recursive", recursive,
               "What every folder in it holds too, each entry by its path from the one listed");
  ls->add_flag("-l,--long", long_listing,
               "Each entry's size and modification time (a folder's: its last change), and "
               "whether it is on sale or shared");
  ls->callback(Run(options, exit_code, [](AccountClient& account) {
    const Listing how = {.trashed = show_trashed,
                         .long_form = long_listing,
                         .recursive = recursive,
                         .account = &account};
    if (client::IsLinkUrl(path)) return ListLink(account, path, how);
    if (DisplayPath(path) == "shared:") return ListShared(account);
    TreeClient tree(&account);
    const std::string listed = path.empty() ? "/" : path;
    absl::StatusOr<TreeEntry> folder = tree.Resolve(listed);
    if (!folder.ok()) return folder.status();
    // A file is listed as itself, as ls does.
    if (folder->node.type() != metadata::v1::NODE_TYPE_FOLDER) {
      std::printf(
          "%s\n",
          (long_listing ? LongLine(account, *folder, Shown(*folder)) : Shown(*folder)).c_str());
      return absl::OkStatus();
    }
    size_t count = 0;
    if (absl::Status s = ListTree(tree, *folder, "", how, &count); !s.ok()) return s;
    if (count == 0) SayEmpty(absl::StrCat("(", DisplayPath(path), " is empty)"));
    return absl::OkStatus();
  }));

  CLI::App* mv = app.add_subcommand(
      "mv",
      "Move or rename a file or folder: into DEST when it is a folder, else to DEST as a new "
      "name (an existing file is not replaced); several into a folder at once");
  static std::vector<std::string> mv_paths;
  mv->add_option("paths", mv_paths,
                 "PATH DEST, or PATH... FOLDER. DEST: a folder to move it into, or its new path; "
                 "several PATHs go into a FOLDER that exists")
      ->check(CheckNotEmpty)
      ->required()
      ->expected(2, -1);
  mv->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    std::vector<std::string> sources = mv_paths;
    const std::string dest = sources.back();
    sources.pop_back();
    if (sources.size() > 1) {
      absl::StatusOr<TreeEntry> folder = tree.Resolve(dest);
      if (!folder.ok() || folder->node.type() != metadata::v1::NODE_TYPE_FOLDER) {
        return absl::InvalidArgumentError(
            absl::StrCat("several paths move into a folder: ", DisplayPath(dest),
                         " is none; make it first (`bitcontent mkdir`)"));
      }
    }
    return ForEachItem(sources, "did not move", [&](const std::string& source) {
      absl::StatusOr<std::string> moved = tree.Move(source, dest);
      if (!moved.ok()) return moved.status();
      const std::string from = DisplayPath(source);
      const bool renamed_in_place =
          from.substr(0, from.rfind('/')) == moved->substr(0, moved->rfind('/'));
      std::printf("%s %s to %s\n", renamed_in_place ? "renamed" : "moved", from.c_str(),
                  moved->c_str());
      return absl::OkStatus();
    });
  }));

  CLI::App* rm = app.add_subcommand("rm", "Put files or folders in the trash (restorable)");
  static std::vector<std::string> rm_paths;
  rm->add_option("paths", rm_paths, "One or more paths")->check(CheckNotEmpty)->required();
  rm->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    return ForEachItem(rm_paths, "could not go to the trash", [&](const std::string& one) {
      if (absl::Status trashed = tree.Trash(one); !trashed.ok()) return trashed;
      const std::string shown = DisplayPath(one);
      if (absl::StartsWith(shown, "shared:")) {  // A writer's: the owner's trash.
        std::printf("%s is in its owner's trash; they can restore it\n", shown.c_str());
      } else {
        std::printf("%s is in the trash; `bitcontent restore %s` undoes it\n", shown.c_str(),
                    ShellWord(shown).c_str());
      }
      return absl::OkStatus();
    });
  }));

  CLI::App* share = app.add_subcommand(
      "share",
      "Share a folder with a member (read-only unless --write); its key is sealed to theirs. "
      "Without an email: whom it is shared with");
  share->add_option("path", path, "The folder, e.g. /Holiday photos")
      ->check(CheckNotEmpty)
      ->required();
  share->add_option("email", email, "The member's email");
  share->add_flag("--write", writer, "Let them add folders and files too");
  share->callback(Run(options, exit_code, [](AccountClient& account) {
    if (email.empty()) {
      if (writer)
        return absl::InvalidArgumentError("--write needs the email of whom to share with");
      absl::StatusOr<std::vector<metadata::v1::Share>> shares = TreeClient(&account).Shares(path);
      if (!shares.ok()) return shares.status();
      for (const metadata::v1::Share& one : *shares) {
        std::printf("%s  %s  since %s\n", client::PrintableName(one.recipient_email()).c_str(),
                    one.role() == metadata::v1::SHARE_ROLE_WRITER ? "read and write" : "read only",
                    ShownTime(one.create_time()).c_str());
      }
      if (shares->empty()) {
        SayEmpty(absl::StrCat("(", DisplayPath(path), " is shared with nobody)"));
      }
      return absl::OkStatus();
    }
    absl::Status shared = TreeClient(&account).Share(path, email, writer);
    if (shared.ok()) {
      std::printf("shared %s with %s (%s); they find it with `bitcontent shared`\n",
                  DisplayPath(path).c_str(), email.c_str(),
                  writer ? "read and write" : "read only");
    }
    return shared;
  }));

  CLI::App* unshare = app.add_subcommand(
      "unshare",
      "Stop sharing a folder with a member; without EMAIL, leave a folder shared with you");
  unshare->add_option("path", path, "Your shared folder, or shared:NAME to leave")
      ->check(CheckNotEmpty)
      ->required();
  unshare->add_option("email", email, "Whom to stop sharing it with (yours only)");
  unshare->callback(Run(options, exit_code, [](AccountClient& account) {
    if (email.empty()) {
      absl::StatusOr<std::string> me = account.UserName();
      if (!me.ok()) return me.status();
      absl::Status left = TreeClient(&account).Leave(path, *me);
      if (left.ok()) {
        std::printf("you left %s; it stays its owner's, and they can share it with you again\n",
                    DisplayPath(path).c_str());
      }
      return left;
    }
    absl::Status ended = TreeClient(&account).Unshare(path, email);
    if (ended.ok()) {
      std::printf("%s is no longer shared with %s\n", DisplayPath(path).c_str(), email.c_str());
    }
    return ended;
  }));

  CLI::App* shared =
      app.add_subcommand("shared",
                         "Folders others share with you; reach them as shared:NAME/... in any path "
                         "(shared:OWNER_EMAIL:NAME/... when two have the same name)");
  shared->callback(
      Run(options, exit_code, [](AccountClient& account) { return ListShared(account); }));

  static bool empty = false;
  CLI::App* trash = app.add_subcommand(
      "trash",
      "What you put in the trash: its id, when and where it was; `restore` takes it back, "
      "`purge` deletes it");
  trash->add_flag("--empty", empty, "Delete everything in the trash for good");
  trash->callback(Run(options, exit_code, [](AccountClient& account) {
    if (empty) {
      absl::StatusOr<uint64_t> freed = TreeClient(&account).EmptyTrash();
      if (!freed.ok()) return freed.status();
      std::printf("the trash is empty; %s back in your quota\n", HumanBytes(*freed).c_str());
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<TrashedEntry>> trashed = TreeClient(&account).Trashed();
    if (!trashed.ok()) return trashed.status();
    for (const TrashedEntry& entry : *trashed) std::printf("%s\n", TrashLine(entry).c_str());
    if (trashed->empty()) SayEmpty("(the trash is empty)");
    return absl::OkStatus();
  }));

  CLI::App* purge = app.add_subcommand(
      "purge", "Delete a file or folder in the trash for good, every version with it");
  purge->add_option("path", path, "Its path, or the id `bitcontent trash` shows")
      ->check(CheckNotEmpty)
      ->required();
  purge->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    absl::StatusOr<TrashedEntry> trashed = OneTrashed(tree, path, "purge");
    if (absl::IsNotFound(trashed.status()) && tree.Resolve(path).ok()) {
      const std::string shown = DisplayPath(path);
      if (client::SplitTreePath(path).empty()) {
        return absl::InvalidArgumentError(
            "/ is your root folder: it is never in the trash; `bitcontent trash --empty` purges "
            "everything that is");
      }
      return absl::FailedPreconditionError(absl::StrCat(shown,
                                                        " is not in the trash; `bitcontent rm ",
                                                        ShellWord(shown), "` puts it there first"));
    }
    if (!trashed.ok()) return trashed.status();
    absl::StatusOr<uint64_t> freed = tree.Purge(*trashed);
    if (!freed.ok()) return freed.status();
    std::printf("purged %s; %s back in your quota\n", trashed->path.c_str(),
                HumanBytes(*freed).c_str());
    return absl::OkStatus();
  }));

  CLI::App* versions = app.add_subcommand("versions", "A file's kept versions, newest first");
  versions->add_option("path", path, "The file")->check(CheckNotEmpty)->required();
  const CLI::Validator version_id(CheckVersionId, "VERSION-ID");
  versions
      ->add_option("--restore", restore_version,
                   "Make this kept version (an id the listing shows) the current one again")
      ->check(version_id);
  versions
      ->add_option("--delete", delete_version,
                   "Delete this kept version (not the current one); its space comes back")
      ->check(version_id)
      ->excludes("--restore");
  versions->callback(Run(options, exit_code, [](AccountClient& account) {
    if (!delete_version.empty()) {
      absl::StatusOr<uint64_t> freed = TreeClient(&account).DeleteVersion(path, delete_version);
      if (absl::IsFailedPrecondition(freed.status())) {
        return absl::FailedPreconditionError(absl::StrCat(
            freed.status().message(), " (`bitcontent versions ", ShellWord(DisplayPath(path)),
            " --restore ID` makes another one current)"));
      }
      if (!freed.ok()) return freed.status();
      std::printf("deleted version %s of %s; %s back in your quota\n", delete_version.c_str(),
                  DisplayPath(path).c_str(), HumanBytes(*freed).c_str());
      return absl::OkStatus();
    }
    if (!restore_version.empty()) {
      absl::Status restored = TreeClient(&account).RestoreVersion(path, restore_version);
      if (restored.ok()) {
        std::printf("%s is version %s again\n", DisplayPath(path).c_str(), restore_version.c_str());
      }
      return restored;
    }
    absl::StatusOr<std::vector<client::VersionEntry>> listed = TreeClient(&account).Versions(path);
    if (!listed.ok()) return listed.status();
    for (const client::VersionEntry& entry : *listed) {
      const std::string& name = entry.version.name();
      // When the age limit drops an earlier version; there is none without a limit.
      const std::string until =
          entry.version.has_expire_time()
              ? absl::StrCat("  kept until ", ShownTime(entry.version.expire_time()))
              : "";
      std::printf("%s  %s  modified %s  uploaded %s%s%s\n",
                  name.substr(name.rfind('/') + 1).c_str(),
                  HumanBytes(entry.attributes.plaintext_size_bytes()).c_str(),
                  ShownTime(entry.attributes.modify_time()).c_str(),
                  ShownTime(entry.version.create_time()).c_str(),
                  entry.version.head() ? "  (current)" : "", until.c_str());
    }
    return absl::OkStatus();
  }));

  static std::optional<uint32_t> keep_versions;
  static std::optional<uint32_t> max_age_days;
  CLI::App* retention = app.add_subcommand(
      "retention", "How many versions of each file you keep and for how long; change it");
  retention
      ->add_option("--versions", keep_versions,
                   "Keep at most this many versions of each file, the current one included")
      ->check(WholeNumber)
      ->check(CLI::Range(uint32_t{1}, TreeClient::kVersionsKeptMax));
  retention
      ->add_option("--max-age-days", max_age_days,
                   "Drop earlier versions older than this many days (0: any age)")
      ->check(WholeNumber)
      ->check(CLI::Range(uint32_t{0}, TreeClient::kVersionAgeDaysMax));
  retention->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    absl::StatusOr<metadata::v1::RetentionPolicy> policy = tree.RetentionPolicy();
    if (policy.ok() && (keep_versions.has_value() || max_age_days.has_value())) {
      // What is not given stays as it was.
      policy = tree.SetRetentionPolicy(keep_versions.value_or(policy->max_versions()),
                                       max_age_days.value_or(policy->max_age_days()));
      if (!policy.ok()) {
        // The server names the fields; the member typed the flags.
        return absl::Status(
            policy.status().code(),
            absl::StrReplaceAll(policy.status().message(),
                                {{"retention_policy.max_versions", "--versions"},
                                 {"retention_policy.max_age_days", "--max-age-days"}}));
      }
    }
    if (!policy.ok()) return policy.status();
    std::printf("keeping %u version%s of each file", policy->max_versions(),
                policy->max_versions() == 1 ? "" : "s");
    if (policy->max_age_days() == 0) {
      std::printf(", of any age\n");
    } else {
      std::printf("; earlier versions go %u day%s after they are replaced\n",
                  policy->max_age_days(), policy->max_age_days() == 1 ? "" : "s");
    }
    return absl::OkStatus();
  }));

  CLI::App* restore = app.add_subcommand(
      "restore",
      "Take a file or folder out of the trash: back where it was, or to DEST (a folder to "
      "put it in, or a new path)");
  restore->add_option("path", path, "Its path, or the id `bitcontent trash` shows")
      ->check(CheckNotEmpty)
      ->required();
  restore
      ->add_option("dest", destination,
                   "Where to put it instead: a folder, or a new path (another name)")
      ->check(CheckNotEmpty);
  restore->callback(Run(options, exit_code, [](AccountClient& account) {
    TreeClient tree(&account);
    absl::StatusOr<TrashedEntry> trashed = OneTrashed(tree, path, "restore");
    if (!trashed.ok()) return trashed.status();
    absl::StatusOr<std::string> restored = tree.Restore(*trashed, destination);
    if (!restored.ok()) {
      return destination.empty() ? ExplainRestore(tree, restored.status(), *trashed)
                                 : restored.status();
    }
    if (*restored == trashed->path) {
      std::printf("restored %s\n", restored->c_str());
    } else {
      std::printf("restored %s as %s\n", trashed->path.c_str(), restored->c_str());
    }
    return absl::OkStatus();
  }));
}

}  // namespace bitcontent::cli
