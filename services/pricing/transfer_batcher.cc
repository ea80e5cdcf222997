#include "services/pricing/transfer_batcher.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/reply.h"

namespace bitcontent::pricing {

TransferBatcher::TransferBatcher(std::shared_ptr<grpc::Channel> wallet, absl::Duration call_timeout)
    : wallet_(std::move(wallet)), call_timeout_(call_timeout) {}

absl::StatusOr<std::vector<wallet::v1::CreateTransferResult>> TransferBatcher::CreateTransfers(
    const std::vector<wallet::v1::Transfer>& chain, absl::Time deadline) {
  if (chain.empty() || chain.size() > kTransfersMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("a chain holds 1 to ", kTransfersMax, " transfers, not ", chain.size()));
  }
  for (size_t i = 0; i < chain.size(); ++i) {
    if (chain[i].flags().linked() != (i + 1 < chain.size())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "transfer ", i, " of a chain of ", chain.size(),
          i + 1 < chain.size() ? " must be linked to the next" : " (the last) must not be linked"));
    }
  }
  auto self = std::make_shared<Waiter>();
  self->chain = chain;
  absl::MutexLock lock(&mu_);
  waiting_.push_back(self);
  for (;;) {
    auto wire_free_or_done = [this, &self]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return self->done || !sending_;
    };
    if (!mu_.AwaitWithDeadline(absl::Condition(&wire_free_or_done), deadline)) {
      // Still waiting to leave: step out of the queue. Already on the wire: its sender
      // holds the waiter and answers it; nobody reads the answer.
      for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
        if (*it == self) {
          waiting_.erase(it);
          break;
        }
      }
      return absl::DeadlineExceededError(
          "the wallet did not answer the purchase's transfers in time; retrying the same "
          "purchase is safe");
    }
    if (self->done) return std::move(self->answer);
    // The wire is free: send for everyone waiting, oldest first, as many as fit.
    std::vector<std::shared_ptr<Waiter>> batch;
    size_t transfers = 0;
    while (!waiting_.empty() && transfers + waiting_.front()->chain.size() <= kTransfersMax) {
      transfers += waiting_.front()->chain.size();
      batch.push_back(std::move(waiting_.front()));
      waiting_.pop_front();
    }
    sending_ = true;
    mu_.Unlock();
    Send(batch);
    mu_.Lock();
    sending_ = false;
    for (const std::shared_ptr<Waiter>& waiter : batch) waiter->done = true;
  }
}

void TransferBatcher::Send(const std::vector<std::shared_ptr<Waiter>>& batch) {
  wallet::v1::CreateTransfersRequest request;
  for (const std::shared_ptr<Waiter>& waiter : batch) {
    for (const wallet::v1::Transfer& transfer : waiter->chain) *request.add_transfers() = transfer;
  }
  wallet::v1::CreateTransfersResponse response;
  // Its own context: the call serves several purchases, so no one caller's cancellation
  // may end it.
  auto context = kit::NewCallContext(call_timeout_);
  const grpc::Status status = wallet::v1::WalletInternalService::NewStub(wallet_)->CreateTransfers(
      context.get(), request, &response);
  absl::Status failed = kit::FromCall(status, *context);
  if (failed.ok() && response.results_size() != request.transfers_size()) {
    failed = absl::InternalError("the wallet answered a number of results unlike the transfers");
  }
  int next = 0;
  for (const std::shared_ptr<Waiter>& waiter : batch) {
    if (!failed.ok()) {
      waiter->answer = failed;
      continue;
    }
    std::vector<wallet::v1::CreateTransferResult> results;
    results.reserve(waiter->chain.size());
    for (size_t i = 0; i < waiter->chain.size(); ++i) {
      results.push_back(static_cast<wallet::v1::CreateTransferResult>(response.results(next++)));
    }
    waiter->answer = std::move(results);
  }
}

}  // namespace bitcontent::pricing
