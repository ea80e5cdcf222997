// WebhookReceiver: a real HTTP server on 127.0.0.1 that plays a third-party app's webhook
// endpoint: it records every POST it gets (headers and body) and answers 200 while
// accepting, or a chosen error status (503) while refusing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libs/http/server.h"

namespace bitcontent::pricing::testing {

struct ReceivedPost {
  std::string delivery_id;
  std::string event_id;
  std::string signature;
  bool redelivery = false;
  std::string body;
  int answered = 0;  // the status the receiver answered with
};

class WebhookReceiver {
 public:
  // Listens on 127.0.0.1:`port` (0: any free port); REQUIREs that it started.
  explicit WebhookReceiver(uint16_t port = 0);
  ~WebhookReceiver();

  uint16_t port() const { return server_->port(); }
  // "http://127.0.0.1:<port>/hooks".
  std::string url() const;
  // While refusing, every POST is answered `status` (and still recorded).
  void Refuse(int status);
  void Accept();
  std::vector<ReceivedPost> posts() const;

 private:
  http::Response Handle(const http::Request& request);

  mutable absl::Mutex mu_;
  int refuse_status_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<ReceivedPost> posts_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<http::Server> server_;
};

// The URL of a loopback port nothing listens on (a receiver that is down).
std::string UrlOfPort(uint16_t port);

}  // namespace bitcontent::pricing::testing
