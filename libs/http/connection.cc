#include "libs/http/connection.h"

#include <spdlog/spdlog.h>
#include <sys/sendfile.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <exception>
#include <utility>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "libs/http/absl_string.h"
#include "libs/http/address.h"
#include "libs/http/url.h"
#include "libs/http/wire.h"

namespace bitcontent::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// Bytes asked of the socket per read while waiting for a request or draining.
constexpr size_t kReadChunkBytes = 16 << 10;
// Bounds on draining a connection that is being closed (see Linger).
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr size_t kLingerBytesMax = 4 << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::chrono::nanoseconds ToChrono(absl::Duration duration) {
  return absl::ToChronoNanoseconds(duration);
}

bool IsParseError(const beast::error_code& error) {
  static const beast::error_category& category =
      bhttp::make_error_code(bhttp::error::bad_target).category();
  return error.category() == category && error != bhttp::error::end_of_stream &&
         error != bhttp::error::partial_message;
}

// Runs `handler`; an exception it throws drops its Responder, which answers 500.
void Invoke(const AsyncHandler& handler, std::shared_ptr<const Request> request,
            Responder respond) {
  const Request& seen = *request;  // Kept alive by `request` for the messages below.
  try {
    handler(request, std::move(respond));
  } catch (const std::exception& e) {
    spdlog::error("http: handler for {} {} threw: {}", seen.method, seen.path, e.what());
  } catch (...) {
    spdlog::error("http: handler for {} {} threw a non-standard exception", seen.method, seen.path);
  }
}

}  // namespace

Connection::Connection(net::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)),
      state_(std::move(state)),
      // Room for a full header plus one read of what follows it; the parser's own
      // limits fail a request long before this would be reached.
      buffer_(state_->options.request_header_bytes_max + 2 * kReadChunkBytes),
      file_timer_(stream_.get_executor()) {
  beast::error_code error;
  const net::ip::tcp::endpoint peer = stream_.socket().remote_endpoint(error);
  if (!error) peer_ = JoinHostPort(peer.address().to_string(), peer.port());
}

Connection::~Connection() {
  if (registered_) state_->tracker.Remove(id_);
}

void Connection::Start() {
  id_ = state_->tracker.Add(weak_from_this());
  registered_ = true;
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
}

void Connection::Shutdown() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->reading_) self->Close();
  });
}

// Every read starts here: once the server is stopping, no new read begins, and a read
// already pending is cut by Shutdown (which runs on the same strand).
bool Connection::BeginRead() {
  if (state_->stopping.load()) return false;
  reading_ = true;
  return true;
}

void Connection::WaitForRequest() {
  // Pipelined bytes already buffered are the next request: parse them at once.
  if (buffer_.size() > 0) return ReadHeader();
  if (!BeginRead()) return Close();
  stream_.expires_after(ToChrono(state_->options.idle_timeout));
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          [self = shared_from_this()](beast::error_code error, size_t bytes) {
                            self->OnFirstBytes(error, bytes);
                          });
}

void Connection::OnFirstBytes(beast::error_code error, size_t bytes) {
  reading_ = false;
  if (error) return Close();  // Idle timeout, peer gone, or Shutdown.
  buffer_.commit(bytes);
  ReadHeader();
}

void Connection::ReadHeader() {
  if (!BeginRead()) return Close();
  const ServerOptions& options = state_->options;
  parser_.emplace();
  parser_->header_limit(
      static_cast<uint32_t>(std::min<size_t>(options.request_header_bytes_max, UINT32_MAX)));
  parser_->body_limit(options.request_body_bytes_max);
  stream_.expires_after(ToChrono(options.read_timeout));  // Covers header and body.
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, size_t) { self->OnHeader(error); });
}

void Connection::OnHeader(beast::error_code error) {
  reading_ = false;
  if (error) return OnReadError(error);
  const boost::optional<uint64_t> length = parser_->content_length();
  if (length.has_value() && *length > state_->options.request_body_bytes_max) {
    return OnReadError(bhttp::error::body_limit);
  }
  const auto& header = parser_->get();
  const bool wants_continue =
      header.version() >= 11 && !parser_->is_done() &&
      absl::EqualsIgnoreCase(ToAbsl(FromBeast(header[bhttp::field::expect])), "100-continue");
  if (!wants_continue) return ReadBody();
  net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                   [self = shared_from_this()](beast::error_code error, size_t) {
                     if (error) return self->Close();
                     self->ReadBody();
                   });
}

void Connection::ReadBody() {
  if (parser_->is_done()) return Dispatch();
  if (!BeginRead()) return Close();
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, size_t) { self->OnBody(error); });
}

void Connection::OnBody(beast::error_code error) {
  reading_ = false;
  if (error) return OnReadError(error);
  Dispatch();
}

void Connection::OnReadError(beast::error_code error) {
  if (error == bhttp::error::body_limit) {
    return Reject(413, absl::StatusCode::kResourceExhausted, "request body too large");
  }
  if (error == bhttp::error::header_limit || error == bhttp::error::buffer_overflow) {
    return Reject(431, absl::StatusCode::kResourceExhausted, "request header too large");
  }
  if (IsParseError(error)) {
    return Reject(400, absl::StatusCode::kInvalidArgument, "malformed HTTP request");
  }
  Close();  // Timeout, peer gone, or Shutdown: nobody to answer.
}

void Connection::Dispatch() {
  bhttp::request<bhttp::string_body> message = parser_->release();
  parser_.reset();
  auto request = std::make_shared<Request>();
  request->method = std::string(message.method_string());
  request->target = std::string(message.target());
  request->version = message.version();
  request->peer = peer_;
  request->headers = ToHeaders(message.base());
  request->body = std::move(message.body());
  // The answer may come from another thread; it is written on this connection's strand.
  Responder respond([self = shared_from_this(), version = request->version,
                     keep_alive = message.keep_alive(),
                     head = request->method == "HEAD"](Response response) {
    net::dispatch(self->stream_.get_executor(), [self, response = std::move(response), version,
                                                 keep_alive, head]() mutable {
      // Read `stopping` once answered: a Stop() that began meanwhile gets
      // this connection closed once the answer is out.
      self->Send(std::move(response), version, keep_alive && !self->state_->stopping.load(), head);
    });
  });
  Answer(std::move(request), std::move(respond));
}

void Connection::Answer(std::shared_ptr<Request> request, Responder respond) const {
  const TargetParts parts = SplitTarget(request->target);
  request->path = std::string(parts.path);
  RouteMatch match = state_->router.Match(request->method, request->path);
  switch (match.outcome) {
    case RouteMatch::Outcome::kBadPath:
      return respond.Answer(
          ErrorAnswer(400, absl::StatusCode::kInvalidArgument, "malformed request path"));
    case RouteMatch::Outcome::kNotFound:
      return respond.Answer(
          ErrorAnswer(404, absl::StatusCode::kNotFound, "no route for this path"));
    case RouteMatch::Outcome::kMethodNotAllowed: {
      Response response = ErrorAnswer(405, absl::StatusCode::kUnimplemented, "method not allowed");
      response.headers.Set("Allow", std::move(match.allow));
      return respond.Answer(std::move(response));
    }
    case RouteMatch::Outcome::kFound:
      break;
  }
  absl::StatusOr<Params> query = ParseQuery(parts.query);
  if (!query.ok()) {
    return respond.Answer(
        ErrorAnswer(400, absl::StatusCode::kInvalidArgument, "malformed query string"));
  }
  request->query = *std::move(query);
  request->path_params = std::move(match.path_params);
  Invoke(*match.handler, std::move(request), std::move(respond));
}

Response Connection::ErrorAnswer(int status, absl::StatusCode code,
                                 std::string_view message) const {
  const auto& make = state_->options.error_response;
  return make ? make(status, code, message) : Response::Error(status, code, message);
}

void Connection::Reject(int status, absl::StatusCode code, std::string_view message) {
  const unsigned version =
      parser_.has_value() && parser_->is_header_done() ? parser_->get().version() : 11;
  parser_.reset();
  Send(ErrorAnswer(status, code, message), version, /*keep_alive=*/false, /*head=*/false);
}

void Connection::Send(Response response, unsigned version, bool keep_alive, bool head) {
  std::shared_ptr<BodyStream> body_stream = std::move(response.stream);
  const uint64_t stream_length = response.stream_length;
  std::optional<BorrowedBody> borrowed = std::move(response.borrowed);
  const bool from_file = response.file.has_value();
  FileBody file = from_file ? *std::move(response.file) : FileBody();
  ToBeastResponse(std::move(response), version, keep_alive, head, message_);
  if (body_stream != nullptr) {
    message_.content_length(stream_length);
    return SendHeaderThen(
        stream_length, keep_alive, head,
        [self = shared_from_this(), body_stream = std::move(body_stream), stream_length,
         keep_alive]() mutable { self->Pump(std::move(body_stream), stream_length, keep_alive); });
  }
  if (borrowed.has_value()) {
    uint64_t length = 0;
    for (std::string_view piece : borrowed->pieces) length += piece.size();
    message_.content_length(length);
    return SendHeaderThen(
        length, keep_alive, head,
        [self = shared_from_this(), borrowed = *std::move(borrowed), keep_alive]() mutable {
          self->SendBorrowed(std::move(borrowed), keep_alive);
        });
  }
  if (from_file) {
    message_.content_length(file.length);
    return SendHeaderThen(file.length, keep_alive, head,
                          [self = shared_from_this(), file = std::move(file),
                           keep_alive]() mutable { self->SendFile(std::move(file), keep_alive); });
  }
  stream_.expires_after(ToChrono(state_->options.write_timeout));
  bhttp::async_write(stream_, message_,
                     [self = shared_from_this(), keep_alive](beast::error_code error, size_t) {
                       self->OnWrite(error, keep_alive);
                     });
}

void Connection::SendHeaderThen(uint64_t length, bool keep_alive, bool head,
                                std::function<void()> body) {
  serializer_.emplace(message_);
  stream_.expires_after(ToChrono(state_->options.write_timeout));
  bhttp::async_write_header(stream_, *serializer_,
                            [self = shared_from_this(), length, keep_alive, head,
                             body = std::move(body)](beast::error_code error, size_t) {
                              if (error) return self->Close();
                              if (head || length == 0) return self->OnWrite({}, keep_alive);
                              body();
                            });
}

void Connection::SendBorrowed(BorrowedBody borrowed, bool keep_alive) {
  std::vector<net::const_buffer> buffers;
  buffers.reserve(borrowed.pieces.size());
  for (std::string_view piece : borrowed.pieces) buffers.emplace_back(piece.data(), piece.size());
  stream_.expires_after(ToChrono(state_->options.write_timeout));
  // `buffers` is copied into the operation; `owner` keeps the bytes they point at.
  net::async_write(stream_, buffers,
                   [self = shared_from_this(), owner = std::move(borrowed.owner), keep_alive](
                       beast::error_code error, size_t) { self->OnWrite(error, keep_alive); });
}

void Connection::SendFile(FileBody file, bool keep_alive) {
  beast::error_code error;
  // sendfile must return rather than wait for room in the socket; Asio's own
  // operations on the socket work either way.
  stream_.socket().native_non_blocking(true, error);
  if (error) return Close();
  SendFileUntil(std::move(file), keep_alive,
                std::chrono::steady_clock::now() + ToChrono(state_->options.write_timeout));
}

void Connection::SendFileUntil(FileBody file, bool keep_alive,
                               std::chrono::steady_clock::time_point deadline) {
  while (file.length > 0) {
    auto offset = static_cast<off_t>(file.offset);
    const ssize_t sent =
        ::sendfile(stream_.socket().native_handle(), file.fd, &offset, file.length);
    if (sent > 0) {
      file.offset += static_cast<uint64_t>(sent);
      file.length -= static_cast<uint64_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    // 0: the file ended before the length announced; other errors: the peer is gone.
    if (sent == 0 || errno != EAGAIN || std::chrono::steady_clock::now() >= deadline) {
      return Close();
    }
    // The socket is full: wait until it drains, or the write timeout closes it.
    file_timer_.expires_at(deadline);
    file_timer_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (!error) self->stream_.socket().cancel();
    });
    stream_.socket().async_wait(net::socket_base::wait_write,
                                [self = shared_from_this(), file = std::move(file), keep_alive,
                                 deadline](beast::error_code error) mutable {
                                  self->file_timer_.cancel();
                                  if (error) return self->Close();
                                  self->SendFileUntil(std::move(file), keep_alive, deadline);
                                });
    return;
  }
  OnWrite({}, keep_alive);
}

void Connection::Pump(std::shared_ptr<BodyStream> body_stream, uint64_t left, bool keep_alive) {
  BodyStream& source = *body_stream;
  source.Next([self = shared_from_this(), body_stream = std::move(body_stream), left,
               keep_alive](absl::StatusOr<std::string> piece) mutable {
    // The piece may come from any thread; the socket is this connection's executor's.
    net::post(self->stream_.get_executor(), [self, body_stream = std::move(body_stream), left,
                                             keep_alive, piece = std::move(piece)]() mutable {
      if (!piece.ok() || piece->empty() || piece->size() > left) return self->Close();
      self->piece_ = *std::move(piece);
      self->stream_.expires_after(ToChrono(self->state_->options.write_timeout));
      net::async_write(self->stream_, net::buffer(self->piece_),
                       [self, body_stream = std::move(body_stream), left, keep_alive](
                           beast::error_code error, size_t written) mutable {
                         if (error) return self->Close();
                         if (written == left) return self->OnWrite({}, keep_alive);
                         self->Pump(std::move(body_stream), left - written, keep_alive);
                       });
    });
  });
}

void Connection::OnWrite(beast::error_code error, bool keep_alive) {
  serializer_.reset();
  piece_.clear();
  message_ = Message();  // Free the body now rather than at the next response.
  if (error) return Close();
  if (!keep_alive) return Linger();
  WaitForRequest();
}

// Closing a socket with unread input makes the kernel send a reset, which can destroy
// the response still in flight to the peer. So: stop sending, then read and discard
// until the peer closes, for a bounded time and byte count.
void Connection::Linger() {
  beast::error_code error;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, error);
  if (error || !BeginRead()) return Close();
  stream_.expires_after(kLingerTimeout);
  buffer_.clear();
  linger_bytes_ = 0;
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          [self = shared_from_this()](beast::error_code error, size_t bytes) {
                            self->OnLinger(error, bytes);
                          });
}

void Connection::OnLinger(beast::error_code error, size_t bytes) {
  reading_ = false;
  linger_bytes_ += bytes;
  if (error || linger_bytes_ > kLingerBytesMax || !BeginRead()) return Close();
  stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                          [self = shared_from_this()](beast::error_code error, size_t bytes) {
                            self->OnLinger(error, bytes);
                          });
}

void Connection::Close() {
  reading_ = false;
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

}  // namespace bitcontent::http
