// Listener: the event loop behind an http::Server — the listening socket, the accept
// loop and the I/O threads — and the orderly shutdown of all of it. Internal to
// libs/http; Server is the public face.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "libs/http/server_state.h"

namespace bitcontent::http {

class Listener {
 public:
  explicit Listener(std::shared_ptr<ServerState> state);
  ~Listener();  // Calls Stop().
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds and listens on state->options.address. Returns InvalidArgument for a malformed
  // address and Unavailable (naming the address) when binding fails, e.g. port in use.
  absl::Status Bind();

  // Starts accepting and runs the I/O threads. Requires a successful Bind().
  void Run();

  // Stops accepting, closes idle connections, waits up to stop_timeout for exchanges in
  // progress to finish, then stops the event loop and joins the threads. Idempotent.
  // Must not be called from an I/O thread (that is, from a handler).
  void Stop();

  // The bound port and "host:port" (valid after Bind()).
  uint16_t port() const { return port_; }
  const std::string& address() const { return address_; }

 private:
  void Accept();
  void OnAccept(boost::system::error_code error, boost::asio::ip::tcp::socket socket);
  void RunThread(boost::asio::io_context& io_context);

  const std::shared_ptr<ServerState> state_;
  // One event loop per I/O thread, each serving the connections dealt to it in turn: a
  // shared loop would hand every completion from thread to thread, and those wake-ups
  // cost more CPU than the requests themselves. The first loop also runs the acceptor.
  std::vector<std::unique_ptr<boost::asio::io_context>> io_contexts_;
  size_t next_io_context_ = 0;               // Used on the acceptor's strand only.
  boost::asio::ip::tcp::acceptor acceptor_;  // On its own strand.
  boost::asio::steady_timer retry_timer_;    // Backoff after a failed accept.
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::string address_;
};

}  // namespace bitcontent::http
