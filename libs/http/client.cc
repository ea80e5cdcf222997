#include "libs/http/client.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/http/absl_string.h"
#include "libs/http/address.h"
#include "libs/http/wire.h"

namespace bitcontent::http {
namespace {

constexpr size_t kReadBufferBytes = 64 << 10;

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using Deadline = std::chrono::steady_clock::time_point;

// Largest response header accepted.
constexpr uint32_t kResponseHeaderBytesMax = 64 << 10;

// A kept-alive connection idle longer than this is closed rather than reused: servers
// close idle ones (ours after 30 s), and a request sent as they do is lost in between.
constexpr auto kIdleReuseMax = std::chrono::seconds(15);

}  // namespace

struct Client::Impl {
  absl::Status Connect(Deadline deadline);
  // `unanswered`: set when it failed before a byte of the answer came.
  absl::StatusOr<ClientResponse> Exchange(const ClientRequest& request, Deadline deadline,
                                          bool* unanswered);
  absl::Status Failure(std::string_view what, const beast::error_code& error) const;
  bhttp::request<bhttp::string_body> ToMessage(const ClientRequest& request) const;

  ClientOptions options;
  std::string authority;  // "host:port", for the Host header and messages.
  net::io_context io_context{1};
  std::optional<beast::tcp_stream> stream;  // Engaged while connected.
  beast::flat_buffer buffer;
  std::chrono::steady_clock::time_point last_used = {};  // When `stream` last answered.
};

absl::Status Client::Impl::Failure(std::string_view what, const beast::error_code& error) const {
  if (error == beast::error::timeout) {
    return absl::DeadlineExceededError(absl::StrCat("http: ", ToAbsl(what), " ", authority,
                                                    " timed out after ",
                                                    absl::FormatDuration(options.timeout)));
  }
  if (error == bhttp::error::body_limit) {
    return absl::ResourceExhaustedError(absl::StrCat("http: response from ", authority, " exceeds ",
                                                     options.response_body_bytes_max, " bytes"));
  }
  return absl::UnavailableError(
      absl::StrCat("http: ", ToAbsl(what), " ", authority, ": ", error.message()));
}

absl::Status Client::Impl::Connect(Deadline deadline) {
  beast::error_code error;
  tcp::resolver resolver(io_context);
  const auto endpoints = resolver.resolve(options.host, std::to_string(options.port), error);
  if (error) return Failure("cannot resolve", error);
  stream.emplace(io_context);
  stream->expires_at(deadline);
  stream->async_connect(endpoints, [&error](beast::error_code connect_error, const tcp::endpoint&) {
    error = connect_error;
  });
  io_context.restart();
  io_context.run();
  if (error) {
    stream.reset();
    return Failure("cannot connect to", error);
  }
  stream->socket().set_option(tcp::no_delay(true), error);
  buffer.clear();
  // Beast reads at most what the buffer can hold without growing it; a small buffer
  // would take a 1 MiB body 512 bytes (and one timer) at a time.
  buffer.reserve(kReadBufferBytes);
  return absl::OkStatus();
}

bhttp::request<bhttp::string_body> Client::Impl::ToMessage(const ClientRequest& request) const {
  bhttp::request<bhttp::string_body> message;
  message.method_string(ToBeast(request.method));
  message.target(ToBeast(request.target));
  message.version(11);
  if (!request.headers.Has("host")) message.set(bhttp::field::host, authority);
  for (const auto& [name, value] : request.headers) message.insert(name, value);
  message.body() = request.body;
  message.prepare_payload();
  return message;
}

// Writes the request while already reading the response, so a server that answers
// early (413 before the body is all sent) is heard rather than met with a failed write.
//
// A body of known length goes straight from the socket into the response's string (or
// the request's body_buffer), in reads as large as the socket has ready: Beast's own body reading
// takes at most 64 KiB a read (and resets the deadline timer each time) and copies each piece out
// of the read buffer, which for a 1 MiB chunk was 17 reads and 34 more system calls.
absl::StatusOr<ClientResponse> Client::Impl::Exchange(const ClientRequest& request,
                                                      Deadline deadline, bool* unanswered) {
  bhttp::request<bhttp::string_body> message = ToMessage(request);
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(options.response_body_bytes_max);
  parser.header_limit(kResponseHeaderBytesMax);
  if (request.method == "HEAD") parser.skip(true);

  beast::error_code write_error;
  beast::error_code read_error;
  bool written = false;
  bool answered_early = false;
  std::string direct_body;
  bool into_buffer = false;
  size_t buffered_length = 0;
  const auto finish_read = [&](beast::error_code error) {
    read_error = error;
    if (written) return;
    answered_early = true;
    beast::error_code ignored;
    stream->socket().cancel(ignored);  // Stop sending a body nobody will read.
  };
  stream->expires_at(deadline);
  bhttp::async_write(*stream, message, [&](beast::error_code error, size_t) {
    written = true;
    write_error = error;
  });
  bhttp::async_read_header(*stream, buffer, parser, [&](beast::error_code error, size_t) {
    if (error || parser.is_done()) return finish_read(error);
    const boost::optional<uint64_t> length = parser.content_length();
    if (!length.has_value() || parser.chunked()) {
      // Read to the end of the connection or chunk by chunk: Beast knows how.
      return bhttp::async_read(*stream, buffer, parser, [&](beast::error_code body_error, size_t) {
        finish_read(body_error);
      });
    }
    if (*length > options.response_body_bytes_max) return finish_read(bhttp::error::body_limit);
    const unsigned status = parser.get().result_int();
    into_buffer = status >= 200 && status < 300 && *length <= request.body_buffer.size();
    buffered_length = into_buffer ? *length : 0;
    if (!into_buffer) direct_body.resize(*length);
    char* const body = into_buffer ? request.body_buffer.data() : direct_body.data();
    const size_t buffered = std::min<size_t>(buffer.size(), *length);
    net::buffer_copy(net::buffer(body, buffered), buffer.data());
    buffer.consume(buffered);
    net::async_read(*stream, net::buffer(body + buffered, *length - buffered),
                    [&](beast::error_code body_error, size_t) { finish_read(body_error); });
  });
  io_context.restart();
  io_context.run();

  *unanswered = read_error && !parser.got_some();
  if (read_error) {
    stream.reset();
    if (read_error == bhttp::error::end_of_stream && write_error) {
      return Failure("cannot send to", write_error);
    }
    return Failure("no response from", read_error);
  }
  const bool direct = !parser.is_done();
  bhttp::response<bhttp::string_body> reply = parser.release();
  ClientResponse response;
  response.status = static_cast<int>(reply.result_int());
  response.headers = ToHeaders(reply.base());
  if (direct && into_buffer) {
    response.body_buffer_bytes = buffered_length;
  } else {
    response.body = direct ? std::move(direct_body) : std::move(reply.body());
  }
  if (!reply.keep_alive() || answered_early || write_error) stream.reset();
  last_used = std::chrono::steady_clock::now();
  return response;
}

Client::Client(ClientOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->authority = JoinHostPort(options.host, options.port);
  impl_->options = std::move(options);
}

Client::~Client() = default;

absl::StatusOr<ClientResponse> Client::Send(const ClientRequest& request) {
  const auto now = std::chrono::steady_clock::now();
  const Deadline deadline = now + absl::ToChronoNanoseconds(impl_->options.timeout);
  if (impl_->stream.has_value() && now - impl_->last_used > kIdleReuseMax) impl_->stream.reset();
  const bool reused = impl_->stream.has_value();
  if (!reused) {
    if (absl::Status status = impl_->Connect(deadline); !status.ok()) return status;
  }
  bool unanswered = false;
  absl::StatusOr<ClientResponse> response = impl_->Exchange(request, deadline, &unanswered);
  // A kept-alive connection the server closed as this request went out: nothing of it
  // was answered, so it is sent once more on a new connection (as curl does).
  if (!response.ok() && reused && unanswered && std::chrono::steady_clock::now() < deadline) {
    if (absl::Status status = impl_->Connect(deadline); !status.ok()) return status;
    response = impl_->Exchange(request, deadline, &unanswered);
  }
  return response;
}

bool Client::connected() const { return impl_->stream.has_value(); }

void Client::Close() { impl_->stream.reset(); }

absl::StatusOr<ClientResponse> Fetch(const ClientOptions& options, const ClientRequest& request) {
  Client client(options);
  if (request.headers.Has("connection")) return client.Send(request);
  ClientRequest closing = request;
  closing.headers.Set("Connection", "close");
  return client.Send(closing);
}

}  // namespace bitcontent::http
