#include "libs/redis/connection.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace bitcontent::redis {
namespace {

// Most arguments one command may carry; our commands have a handful, so more is a bug.
constexpr size_t kArgumentsMax = 1024;

timeval BoundedTimeval(absl::Duration duration) {
  // hiredis treats a zero timeout as "block forever"; never hand it one.
  duration = std::max(duration, absl::Milliseconds(1));
  return absl::ToTimeval(duration);
}

Reply FromHiredis(const redisReply& raw) {
  Reply reply;
  switch (raw.type) {
    case REDIS_REPLY_STRING:
      reply.type = Reply::Type::kString;
      reply.string.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_STATUS:
      reply.type = Reply::Type::kStatus;
      reply.string.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_ERROR:
      reply.type = Reply::Type::kError;
      reply.string.assign(raw.str, raw.len);
      break;
    case REDIS_REPLY_INTEGER:
      reply.type = Reply::Type::kInteger;
      reply.integer = raw.integer;
      break;
    case REDIS_REPLY_ARRAY:
      reply.type = Reply::Type::kArray;
      reply.elements.reserve(raw.elements);
      for (size_t i = 0; i < raw.elements; ++i) {
        reply.elements.push_back(FromHiredis(*raw.element[i]));
      }
      break;
    default:
      reply.type = Reply::Type::kNil;
  }
  return reply;
}

}  // namespace

Connection::Connection(std::string host, int port)
    : host_(std::move(host)), port_(port), address_(absl::StrCat(host_, ":", port_)) {}

Connection::~Connection() { Drop(); }

void Connection::Drop() {
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
  command_timeout_ = absl::ZeroDuration();
}

absl::Status Connection::Failure(const char* what) {
  std::string reason = context_ != nullptr && context_->errstr[0] != '\0'
                           ? std::string(context_->errstr)
                           : std::string("no answer");
  Drop();
  return absl::UnavailableError(absl::StrCat("Redis at ", address_, ": ", what, ": ", reason));
}

absl::Status Connection::Connect(absl::Duration timeout) {
  const timeval limit = BoundedTimeval(timeout);
  context_ = redisConnectWithTimeout(host_.c_str(), port_, limit);
  if (context_ == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("Redis at ", address_, ": cannot allocate a connection"));
  }
  if (context_->err != 0) return Failure("cannot connect");
  return absl::OkStatus();
}

absl::Status Connection::SetTimeout(absl::Duration timeout) {
  if (timeout == command_timeout_) return absl::OkStatus();
  if (redisSetTimeout(context_, BoundedTimeval(timeout)) != REDIS_OK) {
    return Failure("cannot set the command timeout");
  }
  command_timeout_ = timeout;
  return absl::OkStatus();
}

absl::Status Connection::Prepare(absl::Duration timeout) {
  if (context_ == nullptr) {
    const absl::Time deadline = absl::Now() + timeout;
    if (absl::Status connected = Connect(timeout); !connected.ok()) return connected;
    // Connecting used part of the budget; the commands get what is left.
    timeout =
        std::max(absl::Floor(deadline - absl::Now(), absl::Milliseconds(1)), absl::Milliseconds(1));
  }
  return SetTimeout(timeout);
}

absl::StatusOr<Reply> Connection::Run(const std::vector<std::string>& args,
                                      absl::Duration timeout) {
  absl::StatusOr<std::vector<Reply>> replies = RunPipelined({args}, timeout);
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<Reply>> Connection::RunPipelined(
    const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
  for (const std::vector<std::string>& args : commands) {
    if (args.empty() || args.size() > kArgumentsMax) {
      return absl::InvalidArgumentError(absl::StrCat("a Redis command takes 1 to ", kArgumentsMax,
                                                     " arguments, not ", args.size()));
    }
  }
  if (absl::Status prepared = Prepare(timeout); !prepared.ok()) return prepared;

  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::vector<std::string>& args : commands) {
    argv.clear();
    lengths.clear();
    for (const std::string& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    // Only buffers the command; the first redisGetReply sends them all.
    if (redisAppendCommandArgv(context_, static_cast<int>(args.size()), argv.data(),
                               lengths.data()) != REDIS_OK) {
      return Failure("cannot queue a command");
    }
  }
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  for (const std::vector<std::string>& args : commands) {
    void* raw = nullptr;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      return Failure(
          absl::StrCat("no answer to ", args[0], " within ", absl::FormatDuration(timeout))
              .c_str());
    }
    replies.push_back(FromHiredis(*static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  return replies;
}

}  // namespace bitcontent::redis
