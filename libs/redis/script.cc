#include "libs/redis/script.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace bitcontent::redis {
namespace {

std::vector<std::string> EvalShaCommand(const std::string& sha1,
                                        const std::vector<std::string>& keys,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> command;
  command.reserve(3 + keys.size() + args.size());
  command.emplace_back("EVALSHA");
  command.push_back(sha1);
  command.push_back(absl::StrCat(keys.size()));
  command.insert(command.end(), keys.begin(), keys.end());
  command.insert(command.end(), args.begin(), args.end());
  return command;
}

}  // namespace

absl::StatusOr<std::string> Script::Load(Client& client) const {
  absl::StatusOr<Reply> loaded = client.Run({"SCRIPT", "LOAD", source_});
  if (!loaded.ok()) return loaded.status();
  if (loaded->type != Reply::Type::kString) {
    return absl::InternalError(
        absl::StrCat("Redis refused to load a script: ", DescribeReply(*loaded)));
  }
  absl::MutexLock lock(&mu_);
  sha1_ = loaded->string;
  return sha1_;
}

absl::StatusOr<Reply> Script::Run(Client& client, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args) const {
  std::string sha1;
  {
    absl::MutexLock lock(&mu_);
    sha1 = sha1_;
  }
  if (sha1.empty()) {
    absl::StatusOr<std::string> loaded = Load(client);
    if (!loaded.ok()) return loaded.status();
    sha1 = *std::move(loaded);
  }
  absl::StatusOr<Reply> reply = client.Run(EvalShaCommand(sha1, keys, args));
  if (!reply.ok() || !reply->is_error() || !absl::StartsWith(reply->string, "NOSCRIPT")) {
    return reply;
  }
  absl::StatusOr<std::string> reloaded = Load(client);
  if (!reloaded.ok()) return reloaded.status();
  return client.Run(EvalShaCommand(*reloaded, keys, args));
}

}  // namespace bitcontent::redis
