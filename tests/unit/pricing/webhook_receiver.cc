#include "tests/unit/pricing/webhook_receiver.h"

#include <catch2/catch.hpp>

#include "absl/strings/str_cat.h"
#include "services/pricing/webhook_signature.h"

namespace bitcontent::pricing::testing {

WebhookReceiver::WebhookReceiver(uint16_t port) {
  server_ = std::make_unique<http::Server>(
      http::ServerOptions{.address = absl::StrCat("127.0.0.1:", port)});
  server_->Route("POST", "/hooks",
                 [this](const http::Request& request) { return Handle(request); });
  const absl::Status started = server_->Start();
  INFO(started.ToString());
  REQUIRE(started.ok());
}

WebhookReceiver::~WebhookReceiver() { server_->Stop(); }

std::string WebhookReceiver::url() const { return UrlOfPort(port()); }

std::string UrlOfPort(uint16_t port) { return absl::StrCat("http://127.0.0.1:", port, "/hooks"); }

void WebhookReceiver::Refuse(int status) {
  absl::MutexLock lock(&mu_);
  refuse_status_ = status;
}

void WebhookReceiver::Accept() { Refuse(0); }

std::vector<ReceivedPost> WebhookReceiver::posts() const {
  absl::MutexLock lock(&mu_);
  return posts_;
}

http::Response WebhookReceiver::Handle(const http::Request& request) {
  const auto header = [&](const char* name) {
    return std::string(request.Header(name).value_or(""));
  };
  absl::MutexLock lock(&mu_);
  ReceivedPost post = {.delivery_id = header(kDeliveryIdHeader),
                       .event_id = header(kEventIdHeader),
                       .signature = header(kSignatureHeader),
                       .redelivery = header(kRedeliveryHeader) == "true",
                       .body = request.body,
                       .answered = refuse_status_ == 0 ? 200 : refuse_status_};
  posts_.push_back(post);
  if (post.answered == 200) return http::Response::Text(200, "ok");
  return http::Response::Text(post.answered, "not now");
}

}  // namespace bitcontent::pricing::testing
