#include "clients/cli/unfinished_folders.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bitcontent::cli {
namespace {

namespace fs = std::filesystem;

// One line per transfer: its key's fields and its destination, each escaped (Field) and
// joined by tabs; the last tab comes before the destination.
std::map<std::string, std::string> Read(const std::string& path) {
  std::map<std::string, std::string> entries;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    const size_t tab = line.rfind('\t');
    if (tab != std::string::npos) entries[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return entries;
}

void Write(const std::string& path, const std::map<std::string, std::string>& entries) {
  // Written aside, then renamed over: a run killed meanwhile leaves the old list whole.
  const std::string fresh = path + ".new";
  {
    std::ofstream out(fresh, std::ios::trunc);
    for (const auto& [key, destination] : entries) out << key << '\t' << destination << '\n';
  }
  std::error_code ignored;
  // Private, as everything in the config directory: it names the member's folders.
  fs::permissions(fresh, fs::perms::owner_read | fs::perms::owner_write, ignored);
  fs::rename(fresh, path, ignored);
}

// A field of a key: tabs and newlines (which a path may hold) escaped.
std::string Field(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Absolute(const std::string& local) {
  std::error_code ignored;
  return fs::weakly_canonical(fs::absolute(local), ignored).string();
}

}  // namespace

UnfinishedFolders::UnfinishedFolders(std::string config_dir)
    : path_((fs::path(std::move(config_dir)) / "unfinished-folders").string()) {}

std::optional<std::string> UnfinishedFolders::Find(const std::string& key) const {
  const std::map<std::string, std::string> entries = Read(path_);
  auto it = entries.find(key);
  if (it == entries.end()) return std::nullopt;
  return it->second;
}

void UnfinishedFolders::Note(const std::string& key, const std::string& destination) const {
  std::map<std::string, std::string> entries = Read(path_);
  entries[key] = Field(destination);
  Write(path_, entries);
}

void UnfinishedFolders::Forget(const std::string& key) const {
  std::map<std::string, std::string> entries = Read(path_);
  if (entries.erase(key) > 0) Write(path_, entries);
}

std::string UnfinishedFolders::PutKey(const std::string& server, const std::string& local_dir,
                                      const std::string& remote) {
  return absl::StrCat("put\t", Field(server), "\t", Field(Absolute(local_dir)), "\t",
                      Field(remote));
}

std::string UnfinishedFolders::GetKey(const std::string& server, const std::string& remote_node,
                                      const std::string& local_dir) {
  return absl::StrCat("get\t", Field(server), "\t", Field(remote_node), "\t",
                      Field(Absolute(local_dir)));
}

}  // namespace bitcontent::cli
