#include "libs/http/listener.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <csignal>
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

namespace {

std::vector<std::unique_ptr<net::io_context>> NewIoContexts(int count) {
  std::vector<std::unique_ptr<net::io_context>> io_contexts;
  for (int i = 0; i < std::max(count, 1); ++i) {
    io_contexts.push_back(std::make_unique<net::io_context>(/*concurrency_hint=*/1));
  }
  return io_contexts;
}

}  // namespace

Listener::Listener(std::shared_ptr<ServerState> state)
    : state_(std::move(state)),
      io_contexts_(NewIoContexts(state_->options.io_threads)),
      acceptor_(net::make_strand(*io_contexts_.front())),
      retry_timer_(acceptor_.get_executor()) {}

Listener::~Listener() { Stop(); }

absl::Status Listener::Bind() {
  const std::string& wanted = state_->options.address;
  absl::StatusOr<HostPort> host_port = ParseHostPort(wanted);
  if (!host_port.ok()) return host_port.status();
  absl::StatusOr<tcp::endpoint> endpoint = Resolve(*host_port, *io_contexts_.front());
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

void Listener::Run() {
  net::post(acceptor_.get_executor(), [this] { Accept(); });
  threads_.reserve(io_contexts_.size());
  for (const std::unique_ptr<net::io_context>& io_context : io_contexts_) {
    threads_.emplace_back([this, io_context = io_context.get()] { RunThread(*io_context); });
  }
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
  for (const std::unique_ptr<net::io_context>& io_context : io_contexts_) io_context->stop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  // The threads are gone, so touching the acceptor from here races with nothing.
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void Listener::Accept() {
  net::io_context& next = *io_contexts_[next_io_context_++ % io_contexts_.size()];
  acceptor_.async_accept(net::make_strand(next),
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

void Listener::RunThread(net::io_context& io_context) {
  // A file body goes out with sendfile, which unlike Asio's own sends cannot say
  // MSG_NOSIGNAL: without this, a client gone mid-body would kill the process with
  // SIGPIPE. Blocked, the signal stays pending on this thread and does nothing; the
  // write fails with EPIPE and the connection closes.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  // A loop that has no connection yet must keep running; Stop() ends it.
  const auto keep_running = net::make_work_guard(io_context);
  // Handlers catch their own exceptions; this is the last line of defence, so that an
  // unexpected throw costs one operation, not the I/O thread.
  for (;;) {
    try {
      io_context.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("http: I/O thread caught an exception: {}", e.what());
    } catch (...) {
      spdlog::error("http: I/O thread caught a non-standard exception");
    }
  }
}

}  // namespace bitcontent::http
