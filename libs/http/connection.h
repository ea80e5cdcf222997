// Connection: one accepted TCP connection, serving HTTP/1.1 requests one after another
// until the peer closes, a timeout fires, a request asks to close, or the server stops.
// Internal to libs/http; the Listener creates one per accepted socket.
//
// Every step runs on the connection's strand: wait for the next request (idle timeout),
// read its header and then its body (read timeout, size limits), call the handler, and
// once it answers (at once, or later from another thread) write the response (write
// timeout). Pipelined requests are answered in order because the
// next one is parsed only after the previous response is written. Before closing, the
// connection shuts down its sending side and briefly drains what the peer still sends,
// so a peer never loses its last response to a TCP reset.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "libs/http/request.h"
#include "libs/http/responder.h"
#include "libs/http/response.h"
#include "libs/http/server_state.h"

namespace bitcontent::http {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `socket` should be bound to a strand of the server's io_context.
  Connection(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Registers with the tracker and starts serving. Call once, on a shared_ptr.
  void Start();

  // Asks the connection to close as soon as no request is being handled or answered.
  // Thread-safe; the server sets ServerState::stopping before calling it.
  void Shutdown();

 private:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;
  using Message = boost::beast::http::response<boost::beast::http::string_body>;
  using ErrorCode = boost::beast::error_code;

  bool BeginRead();
  void WaitForRequest();
  void OnFirstBytes(ErrorCode error, size_t bytes);
  void ReadHeader();
  void OnHeader(ErrorCode error);
  void ReadBody();
  void OnBody(ErrorCode error);
  void OnReadError(ErrorCode error);
  void Dispatch();
  // Routes `request` and has it answered through `respond`.
  void Answer(std::shared_ptr<Request> request, Responder respond) const;
  // The server's own error answer (ServerOptions::error_response, or the default).
  Response ErrorAnswer(int status, absl::StatusCode code, std::string_view message) const;
  void Reject(int status, absl::StatusCode code, std::string_view message);
  void Send(Response response, unsigned version, bool keep_alive, bool head);
  // Sends message_'s header, then (unless `head`, or the body is empty) runs `body` to
  // send the `length` bytes of the body.
  void SendHeaderThen(uint64_t length, bool keep_alive, bool head, std::function<void()> body);
  // Sends the body from memory someone else holds, without copying it.
  void SendBorrowed(BorrowedBody borrowed, bool keep_alive);
  // Sends the body from a file, by the kernel (sendfile), within the write timeout.
  void SendFile(FileBody file, bool keep_alive);
  void SendFileUntil(FileBody file, bool keep_alive,
                     std::chrono::steady_clock::time_point deadline);
  void Pump(std::shared_ptr<BodyStream> stream, uint64_t left, bool keep_alive);
  void OnWrite(ErrorCode error, bool keep_alive);
  void Linger();
  void OnLinger(ErrorCode error, size_t bytes);
  void Close();

  boost::beast::tcp_stream stream_;
  const std::shared_ptr<ServerState> state_;
  boost::beast::flat_buffer buffer_;
  std::optional<Parser> parser_;
  Message message_;  // The response being written; must outlive the write.
  // For a streamed body: the header's serializer and the piece being written.
  std::optional<boost::beast::http::response_serializer<boost::beast::http::string_body>>
      serializer_;
  std::string piece_;
  // Bounds a file body's wait for room in the socket (SendFile).
  boost::asio::steady_timer file_timer_;
  std::string peer_;
  uint64_t id_ = 0;
  bool registered_ = false;
  bool reading_ = false;  // A read is pending; Shutdown may cut it.
  size_t linger_bytes_ = 0;
};

}  // namespace bitcontent::http
