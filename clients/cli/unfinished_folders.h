// Folder transfers whose first run made their destination and did not finish:
// `put DIR /New` makes /New, `get /Folder new-dir` makes new-dir. Run again, the
// destination exists, and as cp does the command would then go into it under the
// source's own name (/New/DIR), starting over beside what the first run left. A run that
// makes its destination notes it here (in the config directory), so that the same
// command run again goes on into that destination; a finished run forgets it.
#pragma once

#include <optional>
#include <string>

namespace bitcontent::cli {

class UnfinishedFolders {
 public:
  explicit UnfinishedFolders(std::string config_dir);

  // What Note recorded under `key`, if the run that noted it has not finished.
  std::optional<std::string> Find(const std::string& key) const;
  // Records that the transfer `key` made its destination, `destination` (a node name or
  // a local path): durable before the first byte moves.
  void Note(const std::string& key, const std::string& destination) const;
  void Forget(const std::string& key) const;

  // The keys of a folder put and a folder get, by what the command was given.
  static std::string PutKey(const std::string& server, const std::string& local_dir,
                            const std::string& remote);
  static std::string GetKey(const std::string& server, const std::string& remote_node,
                            const std::string& local_dir);

 private:
  const std::string path_;
};

}  // namespace bitcontent::cli
