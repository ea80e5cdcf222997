#include "libs/redis/pipeline.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/redis/client.h"
#include "libs/redis/connection.h"

namespace bitcontent::redis {

Pipeline::Pipeline(Client* client, std::unique_ptr<Connection> connection)
    : client_(client), connection_(std::move(connection)), thread_([this] { Run(); }) {}

Pipeline::~Pipeline() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void Pipeline::Send(std::vector<std::string> args, Done done) {
  {
    absl::MutexLock lock(&mu_);
    if (!stopping_ && waiting_.size() < kQueueMax) {
      waiting_.push_back({std::move(args), std::move(done)});
      return;
    }
  }
  done(absl::UnavailableError(absl::StrCat("Redis at ", client_->options().address, ": ", kQueueMax,
                                           " commands are already waiting")));
}

void Pipeline::Run() {
  std::vector<Pending> batch;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](Pipeline* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->waiting_.empty();
          },
          this));
      if (waiting_.empty()) return;  // Stopping, and nothing left to send.
      while (!waiting_.empty() && batch.size() < kBatchMax) {
        batch.push_back(std::move(waiting_.front()));
        waiting_.pop_front();
      }
    }
    Flush(batch);
    batch.clear();
  }
}

void Pipeline::Flush(std::vector<Pending>& batch) {
  absl::StatusOr<std::vector<Reply>> replies = absl::UnknownError("");
  // An open connection is worth trying even during a back-off (it tells at once whether
  // Redis is back); a closed one waits for the back-off to pass, as Client::Run does.
  if (absl::Status recent = client_->RecentFailure(); !recent.ok() && !connection_->connected()) {
    replies = recent;
  } else {
    std::vector<std::vector<std::string>> commands;
    commands.reserve(batch.size());
    for (Pending& pending : batch) commands.push_back(std::move(pending.args));
    replies = connection_->RunPipelined(commands, client_->options().timeout);
    client_->NoteResult(replies.status());
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (replies.ok()) {
      batch[i].done(std::move((*replies)[i]));
    } else {
      batch[i].done(replies.status());
    }
  }
}

}  // namespace bitcontent::redis
