// Conversions between Beast's HTTP messages and this library's Headers and Response.
// Internal to libs/http: the server and the client use them; nothing else sees Beast.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>

#include "libs/http/headers.h"
#include "libs/http/response.h"

namespace bitcontent::http {

using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Beast 1.74 has its own string_view type; these convert without copying.
inline boost::beast::string_view ToBeast(std::string_view text) {
  return {text.data(), text.size()};
}
inline std::string_view FromBeast(boost::beast::string_view text) {
  return {text.data(), text.size()};
}

// Copies Beast header fields into Headers.
Headers ToHeaders(const boost::beast::http::fields& fields);

// Returns true if `name` is an HTTP token and `value` holds no CR, LF or NUL, so the pair
// can be written without letting it forge other header fields.
bool IsSafeField(std::string_view name, std::string_view value);

// Replaces `out` with `response` framed for the wire: Date, Server, Content-Type,
// Content-Length (none for 204 and 304), Connection per `keep_alive`, and no body bytes
// for a HEAD request (`head`). A status outside 200..599 becomes a 500; unsafe or
// framing header fields from the handler are dropped.
void ToBeastResponse(Response response, unsigned version, bool keep_alive, bool head,
                     BeastResponse& out);

}  // namespace bitcontent::http
