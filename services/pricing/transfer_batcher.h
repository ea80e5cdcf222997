// TransferBatcher: the ledger chains of concurrent purchases go to the wallet together,
// in one CreateTransfers call, when they arrive faster than the wallet answers.
//
// The wallet commits a call's transfers in one durable group commit and answers each
// transfer on its own, and a linked chain stands or falls alone, so chains sent
// together are answered exactly as if each had been sent alone. What batching saves is
// the cost per call in pricing and in the wallet (a thread hand-off each way, HTTP/2
// framing, a request's parsing), which under load was a fifth of a purchase's CPU.
//
// No thread and no timer: a caller that finds no call on the wire sends at once, with
// whatever is waiting, and blocks until its answer; callers that arrive meanwhile wait,
// and the first of them to see the wire free sends for all of them. So a lone purchase
// pays no delay, and each waits at most one round trip before its chain leaves.
#pragma once

#include <grpcpp/channel.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "bitcontent/wallet/v1/ledger.pb.h"

namespace bitcontent::pricing {

class TransferBatcher {
 public:
  // The wallet's limit of transfers in one CreateTransfers call.
  static constexpr size_t kTransfersMax = 8192;

  // `wallet` non-null; each call to the wallet is given `call_timeout`.
  TransferBatcher(std::shared_ptr<grpc::Channel> wallet, absl::Duration call_timeout);

  // Creates `chain` (1 to kTransfersMax transfers, every one but the last linked to the
  // next) and returns one result per transfer. Waits until `deadline` at most: past it,
  // DEADLINE_EXCEEDED, though a chain already on the wire may still commit (a purchase
  // retried with its ids then finds it). INVALID_ARGUMENT for a chain out of shape, whose
  // open end would otherwise swallow the next caller's chain.
  absl::StatusOr<std::vector<wallet::v1::CreateTransferResult>> CreateTransfers(
      const std::vector<wallet::v1::Transfer>& chain, absl::Time deadline);

 private:
  struct Waiter {
    std::vector<wallet::v1::Transfer> chain;
    absl::StatusOr<std::vector<wallet::v1::CreateTransferResult>> answer;
    bool done = false;
  };

  // Sends `batch` in one call and answers each of its waiters.
  void Send(const std::vector<std::shared_ptr<Waiter>>& batch);

  const std::shared_ptr<grpc::Channel> wallet_;
  const absl::Duration call_timeout_;
  absl::Mutex mu_;
  bool sending_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<std::shared_ptr<Waiter>> waiting_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bitcontent::pricing
