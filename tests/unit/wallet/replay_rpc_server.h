// ReplayRpcServer: a JSON-RPC server on 127.0.0.1 (an ephemeral port) that answers the
// watcher's getblockchaininfo and listsinceblock from a ReplayChain, as Bitcoin Core
// does: HTTP basic auth (401 with an empty body when wrong), JSON-RPC 1.0 errors as
// HTTP 500 with {"result": null, "error": {"code", "message"}}, -5 "Block not found"
// for an unknown block, -32601 for other methods. Tests can make the next calls fail
// with a Core error, or report another chain name.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "libs/http/server.h"
#include "tests/unit/wallet/replay_chain.h"

namespace bitcontent::wallet::testing {

inline constexpr char kRpcUser[] = "watcher";
inline constexpr char kRpcPassword[] = "s3cret-pass";

class ReplayRpcServer {
 public:
  // Starts on 127.0.0.1:0 (REQUIREs that it started).
  ReplayRpcServer();
  ~ReplayRpcServer();

  // "http://127.0.0.1:<port>/".
  std::string url() const;
  void Stop();

  // Changes to the chain go through here so they never race a request.
  template <typename Change>
  void Edit(Change change) {
    absl::MutexLock lock(&mu_);
    change(chain_);
  }
  // The chain name getblockchaininfo reports ("regtest" by default).
  void SetChainName(std::string name);
  // The next `count` calls fail with Core's error {code, message}.
  void FailNext(int count, int64_t code, std::string message);
  // Calls answered so far, by method.
  int calls(const std::string& method) const;

 private:
  http::Response Handle(const http::Request& request);
  http::Response Answer(const std::string& method, const std::string& params_json,
                        const std::string& id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  ReplayChain chain_ ABSL_GUARDED_BY(mu_);
  std::string chain_name_ ABSL_GUARDED_BY(mu_) = "regtest";
  int fail_count_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t fail_code_ ABSL_GUARDED_BY(mu_) = 0;
  std::string fail_message_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> calls_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<http::Server> server_;
};

}  // namespace bitcontent::wallet::testing
