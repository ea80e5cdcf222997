#include "libs/http/response.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_cat.h"

namespace bitcontent::http {

FileBody FileBody::Own(int fd, uint64_t offset, uint64_t length) {
  // The owner holds nothing but closes `fd` when the last copy of the body lets go.
  return FileBody{
      .fd = fd,
      .offset = offset,
      .length = length,
      .owner = std::shared_ptr<const void>(nullptr, [fd](const void*) { ::close(fd); })};
}

Response Response::Text(int status, std::string body) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response Response::Json(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

Response Response::Error(int status, absl::StatusCode code, std::string_view message) {
  return Json(status, absl::StrCat("{\"code\":", static_cast<int>(code), ",\"message\":\"",
                                   JsonEscape(message), "\"}"));
}

std::string JsonEscape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '"':
        escaped += "\\\"";
        break;
      case '\\':
        escaped += "\\\\";
        break;
      case '\n':
        escaped += "\\n";
        break;
      case '\r':
        escaped += "\\r";
        break;
      case '\t':
        escaped += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char code[8];
          std::snprintf(code, sizeof(code), "\\u%04x", static_cast<unsigned>(c));
          escaped += code;
        } else {
          escaped.push_back(c);
        }
    }
  }
  return escaped;
}

}  // namespace bitcontent::http
