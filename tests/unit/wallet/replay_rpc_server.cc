#include "tests/unit/wallet/replay_rpc_server.h"

#include <simdjson.h>

#include <catch2/catch.hpp>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace bitcontent::wallet::testing {
namespace {

http::Response CoreError(int http_status, int64_t code, const std::string& message,
                         const std::string& id) {
  return http::Response::Json(
      http_status, absl::StrCat(R"({"result": null, "error": {"code": )", code, R"(, "message": ")",
                                http::JsonEscape(message), R"("}, "id": )", id, "}"));
}

}  // namespace

ReplayRpcServer::ReplayRpcServer() {
  server_ = std::make_unique<http::Server>(http::ServerOptions{.address = "127.0.0.1:0"});
  server_->Route("POST", "/", [this](const http::Request& request) { return Handle(request); });
  const absl::Status started = server_->Start();
  INFO(started.ToString());
  REQUIRE(started.ok());
}

ReplayRpcServer::~ReplayRpcServer() { Stop(); }

std::string ReplayRpcServer::url() const {
  return absl::StrCat("http://127.0.0.1:", server_->port(), "/");
}

void ReplayRpcServer::Stop() { server_->Stop(); }

void ReplayRpcServer::SetChainName(std::string name) {
  absl::MutexLock lock(&mu_);
  chain_name_ = std::move(name);
}

void ReplayRpcServer::FailNext(int count, int64_t code, std::string message) {
  absl::MutexLock lock(&mu_);
  fail_count_ = count;
  fail_code_ = code;
  fail_message_ = std::move(message);
}

int ReplayRpcServer::calls(const std::string& method) const {
  absl::MutexLock lock(&mu_);
  auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

http::Response ReplayRpcServer::Handle(const http::Request& request) {
  const std::string expected =
      absl::StrCat("Basic ", absl::Base64Escape(absl::StrCat(kRpcUser, ":", kRpcPassword)));
  if (request.Header("Authorization") != std::optional<std::string_view>(expected)) {
    http::Response refused = http::Response::Text(401, "");
    refused.headers.Set("WWW-Authenticate", R"(Basic realm="jsonrpc")");
    return refused;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(request.body).get(document) != simdjson::SUCCESS) {
    return CoreError(500, -32700, "Parse error", "null");
  }
  std::string_view method;
  simdjson::dom::element params;
  if (document["method"].get_string().get(method) != simdjson::SUCCESS ||
      document["params"].get(params) != simdjson::SUCCESS) {
    return CoreError(500, -32600, "Invalid Request", "null");
  }
  simdjson::dom::element id_element;
  const std::string id = document["id"].get(id_element) == simdjson::SUCCESS
                             ? simdjson::minify(id_element)
                             : std::string("null");
  absl::MutexLock lock(&mu_);
  ++calls_[std::string(method)];
  if (fail_count_ > 0) {
    --fail_count_;
    return CoreError(500, fail_code_, fail_message_, id);
  }
  return Answer(std::string(method), simdjson::minify(params), id);
}

http::Response ReplayRpcServer::Answer(const std::string& method, const std::string& params_json,
                                       const std::string& id) {
  auto ok = [&](const std::string& result) {
    return http::Response::Json(
        200, absl::StrCat(R"({"result": )", result, R"(, "error": null, "id": )", id, "}"));
  };
  if (method == "getblockchaininfo") return ok(chain_.BlockchainInfoJson(chain_name_));
  if (method != "listsinceblock") return CoreError(404, -32601, "Method not found", id);
  simdjson::dom::parser parser;
  simdjson::dom::array params;
  std::string_view block_hash;
  int64_t target = 1;
  if (parser.parse(params_json).get_array().get(params) != simdjson::SUCCESS || params.size() < 2 ||
      params.at(0).get_string().get(block_hash) != simdjson::SUCCESS ||
      params.at(1).get_int64().get(target) != simdjson::SUCCESS || target < 1) {
    return CoreError(500, -8, "Invalid parameter", id);
  }
  std::optional<std::string> since = chain_.SinceBlockJson(std::string(block_hash), target);
  if (!since.has_value()) return CoreError(500, -5, "Block not found", id);
  return ok(*since);
}

}  // namespace bitcontent::wallet::testing
