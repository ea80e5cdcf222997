// Reply: one Redis answer as a plain value, so callers never see hiredis types.
//
// A Redis error answer ("-ERR ...", "-NOSCRIPT ...") is a Reply of type kError, not a
// failed call: the command reached Redis and Redis answered. A failed call (Redis
// unreachable, timed out) is an absl::Status from Client::Run instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace bitcontent::redis {

struct Reply {
  enum class Type { kNil, kInteger, kString, kStatus, kArray, kError };

  Type type = Type::kNil;
  int64_t integer = 0;               // kInteger.
  std::string string = {};           // kString, kStatus, kError (the message).
  std::vector<Reply> elements = {};  // kArray.

  bool is_error() const { return type == Type::kError; }
};

// A short description for messages and test failures: `(integer) 3`, `"OK"`, `(nil)`.
std::string DescribeReply(const Reply& reply);

}  // namespace bitcontent::redis
