#include "libs/kit/admin_server.h"

#include "libs/kit/rpc_metrics.h"

namespace bitcontent::kit {

AdminServer::AdminServer() = default;
AdminServer::~AdminServer() { Stop(); }

absl::Status AdminServer::Start(const std::string& address) {
  Metrics().EnableProcessMetrics();
  server_ = std::make_unique<http::Server>(http::ServerOptions{.address = address});
  server_->Route("GET", "/metrics", [](const http::Request&) {
    http::Response response = http::Response::Text(200, Metrics().Render());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  });
  server_->Route("GET", "/healthz", [this](const http::Request&) {
    return serving_.load() ? http::Response::Text(200, "SERVING\n")
                           : http::Response::Text(503, "NOT_SERVING\n");
  });
  return server_->Start();
}

std::string AdminServer::address() const { return server_ ? server_->address() : ""; }

void AdminServer::Stop() {
  if (server_) server_->Stop();
}

}  // namespace bitcontent::kit
