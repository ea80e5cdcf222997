#include "libs/kit/outbox_sender.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/kit/log.h"

namespace bitcontent::kit {

OutboxSender::OutboxSender(store::Outbox* outbox, std::function<absl::Status()> send_once,
                           OutboxSenderOptions options)
    : outbox_(outbox), send_once_(std::move(send_once)), options_(std::move(options)) {}

OutboxSender::~OutboxSender() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  outbox_->Notify();
  if (thread_.joinable()) thread_.join();
}

void OutboxSender::Start() {
  thread_ = std::thread([this] { Run(); });
}

void OutboxSender::Run() {
  absl::Duration delay = options_.retry_delay_min;
  bool logged_outage = false;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const absl::Status status = send_once_();
    if (status.ok()) {
      if (logged_outage) {
        Log(spdlog::level::info,
            absl::StrCat(options_.what, " reach ", options_.receiver, " again"));
      }
      logged_outage = false;
      delay = options_.retry_delay_min;
      outbox_->WaitForWork(options_.retry_delay_max);
    } else if (!absl::IsResourceExhausted(status)) {
      if (!logged_outage) {
        Log(spdlog::level::warn,
            absl::StrCat("cannot send ", options_.what, " to ", options_.receiver, "; retrying"),
            {{"error", status.message()}});
        logged_outage = true;
      }
      outbox_->WaitForWork(delay);
      delay = std::min(delay * 2, options_.retry_delay_max);
    }
  }
}

}  // namespace bitcontent::kit
