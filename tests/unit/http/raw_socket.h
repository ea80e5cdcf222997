// RawSocket and RawListener: plain POSIX TCP sockets on 127.0.0.1 for tests that must
// speak to the server byte by byte (pipelining, malformed requests, 100-continue) or
// that need a peer which accepts and never answers. Every read has a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace bitcontent::http::testing {

class RawSocket {
 public:
  // Connects to 127.0.0.1:`port`; check ok().
  explicit RawSocket(uint16_t port);
  ~RawSocket();
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool ok() const { return fd_ >= 0; }

  // Sends all of `bytes`; returns false on error.
  bool Send(std::string_view bytes);

  // Reads until the peer closes or `timeout` passes; returns what arrived. closed()
  // tells which of the two happened.
  std::string ReadUntilClosed(std::chrono::milliseconds timeout);

  // Reads until what arrived contains `needle`, the peer closes, or `timeout` passes.
  std::string ReadUntil(std::string_view needle, std::chrono::milliseconds timeout);

  // True once a read saw the peer close (orderly or by reset).
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  bool closed_ = false;
};

// A socket listening on 127.0.0.1 with a free port that never accepts: connections
// complete in the kernel's backlog and then hear nothing.
class RawListener {
 public:
  RawListener();
  ~RawListener();
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;

  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// Returns a port on 127.0.0.1 that nothing listens on (bound, then released).
uint16_t UnusedPort();

}  // namespace bitcontent::http::testing
