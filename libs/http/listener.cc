#include "libs/http/listener.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <exception>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/http/absl_string.h"
#include "libs/http/address.h"
#include "libs/http/connection.h"

namespace bitcontent::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Pause before accepting again after an accept error (e.g. out of file descriptors),
// so the loop does not spin.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);

absl::StatusOr<tcp::endpoint> Resolve(const HostPort& host_port, net::io_context& io_context) {
  if (host_port.host.empty()) return tcp::endpoint(tcp::v4(), host_port.port);
  boost::system::error_code error;
  const net::ip::address address = net::ip::make_address(host_port.host, error);
  if (!error) return tcp::endpoint(address, host_port.port);
  tcp::resolver resolver(io_context);
  const auto results = resolver.resolve(host_port.host, std::to_string(host_port.port),
                                        tcp::resolver::passive, error);
  if (error || results.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot resolve listen host '", host_port.host, "': ", error.message()));
  }
  return results.begin()->endpoint();
}

}  // namespace

Listener::Listener(std::shared_ptr<ServerState> state)
    : state_(std::move(state)),
      io_context_(state_->options.io_threads),
      acceptor_(net::make_strand(io_context_)),
      retry_timer_(acceptor_.get_executor()) {}

Listener::~Listener() { Stop(); }

absl::Status Listener::Bind() {
  const std::string& wanted = state_->options.address;
  absl::StatusOr<HostPort> host_port = ParseHostPort(wanted);
  if (!host_port.ok()) return host_port.status();
  absl::StatusOr<tcp::endpoint> endpoint = Resolve(*host_port, io_context_);
  if (!endpoint.ok()) return endpoint.status();

  boost::system::error_code error;
  const auto fail = [&](std::string_view step) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return absl::UnavailableError(
        absl::StrCat("http: cannot ", ToAbsl(step), " ", wanted, ": ", error.message()));
  };
  acceptor_.open(endpoint->protocol(), error);
  if (error) return fail("open a socket for");
  acceptor_.set_option(net::socket_base::reuse_address(true), error);
  if (error) return fail("set SO_REUSEADDR for");
  acceptor_.bind(*endpoint, error);
  if (error) return fail("listen on");
  acceptor_.listen(net::socket_base::max_listen_connections, error);
  if (error) return fail("listen on");
  const tcp::endpoint bound = acceptor_.local_endpoint(error);
  if (error) return fail("read the bound address of");
  port_ = bound.port();
  address_ = JoinHostPort(bound.address().to_string(), port_);
  return absl::OkStatus();
}

void Listener::Run(int io_threads) {
  net::post(acceptor_.get_executor(), [this] { Accept(); });
  threads_.reserve(static_cast<size_t>(io_threads));
  for (int i = 0; i < io_threads; ++i) threads_.emplace_back([this] { RunThread(); });
}

void Listener::Stop() {
  if (threads_.empty()) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    return;
  }
  state_->stopping.store(true);
  net::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
  });
  for (const std::weak_ptr<Connection>& weak : state_->tracker.Snapshot()) {
    if (std::shared_ptr<Connection> connection = weak.lock()) connection->Shutdown();
  }
  if (!state_->tracker.AwaitEmpty(state_->options.stop_timeout)) {
    spdlog::warn("http: {} connection(s) still busy after the stop timeout; abandoning them",
                 state_->tracker.size());
  }
  io_context_.stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  // The threads are gone, so touching the acceptor from here races with nothing.
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void Listener::Accept() {
  acceptor_.async_accept(net::make_strand(io_context_),
                         [this](boost::system::error_code error, tcp::socket socket) {
                           OnAccept(error, std::move(socket));
                         });
}

void Listener::OnAccept(boost::system::error_code error, tcp::socket socket) {
  if (error == net::error::operation_aborted || state_->stopping.load()) return;
  if (error) {
    spdlog::warn("http: accept on {} failed: {}; retrying", address_, error.message());
    retry_timer_.expires_after(kAcceptRetryDelay);
    retry_timer_.async_wait([this](boost::system::error_code wait_error) {
      if (!wait_error) Accept();
    });
    return;
  }
  if (state_->tracker.size() >= state_->options.connections_max) {
    // Over the limit: refuse by closing at once rather than queueing unbounded work.
    boost::system::error_code ignored;
    socket.close(ignored);
  } else {
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);  // Responses go out whole, now.
    std::make_shared<Connection>(std::move(socket), state_)->Start();
  }
  Accept();
}

void Listener::RunThread() {
  // Handlers catch their own exceptions; this is the last line of defence, so that an
  // unexpected throw costs one operation, not the I/O thread.
  for (;;) {
    try {
      io_context_.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: I/O thread caught an exception: {}", e.what());
    } catch (...) {
      spdlog::error("http: I/O thread caught a non-standard exception");
    }
  }
}

}  // namespace bitcontent::http
