#include "libs/redis/reply.h"

#include "absl/strings/str_cat.h"

namespace bitcontent::redis {

std::string DescribeReply(const Reply& reply) {
  switch (reply.type) {
    case Reply::Type::kNil:
      return "(nil)";
    case Reply::Type::kInteger:
      return absl::StrCat("(integer) ", reply.integer);
    case Reply::Type::kString:
    case Reply::Type::kStatus:
      return absl::StrCat("\"", reply.string, "\"");
    case Reply::Type::kError:
      return absl::StrCat("(error) ", reply.string);
    case Reply::Type::kArray: {
      std::string text = "[";
      for (const Reply& element : reply.elements) {
        absl::StrAppend(&text, text.size() > 1 ? ", " : "", DescribeReply(element));
      }
      return text + "]";
    }
  }
  return "(unknown)";
}

}  // namespace bitcontent::redis
