#include "libs/http/wire.h"

#include <spdlog/spdlog.h>

#include <string>

#include "absl/strings/match.h"
#include "libs/http/absl_string.h"
#include "libs/http/http_date.h"

namespace bitcontent::http {
namespace {

namespace bhttp = boost::beast::http;

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Fields the server computes itself; a handler's copy would contradict the framing.
bool IsFramingField(std::string_view name) {
  const absl::string_view field = ToAbsl(name);
  return absl::EqualsIgnoreCase(field, "content-length") ||
         absl::EqualsIgnoreCase(field, "transfer-encoding") ||
         absl::EqualsIgnoreCase(field, "connection") || absl::EqualsIgnoreCase(field, "date") ||
         absl::EqualsIgnoreCase(field, "server");
}

}  // namespace

Headers ToHeaders(const bhttp::fields& fields) {
  Headers headers;
  for (const auto& field : fields) {
    headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  return headers;
}

bool IsSafeField(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void ToBeastResponse(Response response, unsigned version, bool keep_alive, bool head,
                     BeastResponse& out) {
  if (response.status < 200 || response.status > 599) {
    spdlog::error("http: handler returned invalid status {}; answering 500", response.status);
    response = Response::Error(500, absl::StatusCode::kInternal, "internal error");
  }
  out = BeastResponse();
  out.result(static_cast<unsigned>(response.status));
  out.version(version);
  out.set(bhttp::field::date, ToBeast(CurrentHttpDate()));
  out.set(bhttp::field::server, "bitcontent");
  if (!response.content_type.empty() && IsSafeField("content-type", response.content_type)) {
    out.set(bhttp::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) {
    if (IsFramingField(name)) continue;
    if (!IsSafeField(name, value)) {
      spdlog::warn("http: dropping unsafe response header '{}'", name);
      continue;
    }
    out.insert(name, value);
  }
  out.keep_alive(keep_alive);
  // RFC 9110 forbids a body and Content-Length on 204; 304 describes a body not sent.
  if (response.status == 204 || response.status == 304) return;
  out.content_length(response.body.size());
  if (!head) out.body() = std::move(response.body);
}

}  // namespace bitcontent::http
