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

bool IsNoScript(const absl::StatusOr<Reply>& reply) {
  return reply.ok() && reply->is_error() && absl::StartsWith(reply->string, "NOSCRIPT");
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

absl::StatusOr<std::string> Script::Sha1(Client& client) const {
  {
    absl::MutexLock lock(&mu_);
    if (!sha1_.empty()) return sha1_;
  }
  return Load(client);
}

absl::StatusOr<Reply> Script::Run(Client& client, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args) const {
  absl::StatusOr<std::string> sha1 = Sha1(client);
  if (!sha1.ok()) return sha1.status();
  absl::StatusOr<Reply> reply = client.Run(EvalShaCommand(*sha1, keys, args));
  if (!IsNoScript(reply)) return reply;
  absl::StatusOr<std::string> reloaded = Load(client);
  if (!reloaded.ok()) return reloaded.status();
  return client.Run(EvalShaCommand(*reloaded, keys, args));
}

void Script::Send(Client& client, const std::vector<std::string>& keys,
                  const std::vector<std::string>& args,
                  std::function<void(absl::StatusOr<Reply>)> done) const {
  absl::StatusOr<std::string> sha1 = Sha1(client);
  if (!sha1.ok()) return done(sha1.status());
  client.Send(EvalShaCommand(*sha1, keys, args),
              [this, &client, keys, args, done = std::move(done)](absl::StatusOr<Reply> reply) {
                // Redis lost the script (a restart, SCRIPT FLUSH): load it and run it
                // again, once, waiting, on the pipeline thread; rare enough to wait.
                if (IsNoScript(reply)) reply = Run(client, keys, args);
                done(std::move(reply));
              });
}

}  // namespace bitcontent::redis
