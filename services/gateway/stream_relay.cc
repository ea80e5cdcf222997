#include "services/gateway/stream_relay.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/client_callback.h>

#include <atomic>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "libs/kit/error_details.h"
#include "services/gateway/backend_call.h"

namespace bitcontent::gateway {
namespace {

// Both calls are driven from each other's reactions, which gRPC may run at the same
// time on different threads. Who may touch what:
//
//  - Caller -> backend ("upstream"): the caller's OnReadDone starts a backend write, the
//    backend's OnWriteDone starts the next caller read. It can be ended from the other
//    direction too (the backend finishing), so its state is guarded by mu_.
//  - Backend -> caller ("downstream"): the backend's OnReadDone starts a caller write,
//    the caller's OnWriteDone starts the next backend read. Only this ping-pong touches
//    it, so it needs no lock.
//
// Backend operations started from the caller's reactions need holds on the backend call
// (see ClientBidiReactor::AddHold): one per direction, released exactly once when that
// direction stops. The backend call's OnDone comes only after both are released and
// every backend operation has completed; it finishes the caller's call. Only then can
// the caller's OnDone come, so neither call has an operation pending when the relay is
// deleted, after both OnDones.
class StreamRelay final : public grpc::ServerGenericBidiReactor {
 public:
  StreamRelay(grpc::GenericCallbackServerContext* context,
              const std::shared_ptr<grpc::Channel>& channel,
              std::unique_ptr<grpc::ClientContext> backend_context)
      : context_(context), backend_context_(std::move(backend_context)), backend_(this) {
    grpc::GenericStub stub(channel);
    stub.PrepareBidiStreamingCall(backend_context_.get(), context_->method(), grpc::StubOptions(),
                                  &backend_);
    backend_.AddMultipleHolds(2);  // The upstream hold and the downstream hold.
    backend_.StartRead(&response_);
    backend_.StartCall();
    StartRead(&request_);
  }

  // Upstream: a message from the caller, or the end of its messages.
  void OnReadDone(bool ok) override {
    {
      absl::MutexLock lock(&mu_);
      // The backend has finished; its status is on its way to the caller.
      if (!upstream_open_) return;
      if (ok) {
        backend_writing_ = true;
      } else {
        upstream_open_ = false;
      }
    }
    if (ok) {
      backend_.StartWrite(&request_);
      return;
    }
    // The caller half-closed (or left: OnCancel has cancelled the backend call then).
    backend_.StartWritesDone();
    backend_.RemoveHold();
  }

  // Downstream: a backend message reached the caller, or the caller is gone.
  void OnWriteDone(bool ok) override {
    if (ok) {
      backend_.StartRead(&response_);
      return;
    }
    backend_context_->TryCancel();
    backend_.RemoveHold();
  }

  void OnCancel() override { backend_context_->TryCancel(); }

  void OnDone() override { OnSideDone(); }

 private:
  // The call to the backend; hands its reactions to the relay.
  class Backend final : public grpc::ClientBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
   public:
    explicit Backend(StreamRelay* relay) : relay_(relay) {}
    void OnReadDone(bool ok) override { relay_->OnBackendReadDone(ok); }
    void OnWriteDone(bool ok) override { relay_->OnBackendWriteDone(ok); }
    void OnDone(const grpc::Status& status) override { relay_->OnBackendDone(status); }

   private:
    StreamRelay* const relay_;
  };

  // Only OnSideDone deletes a relay.
  ~StreamRelay() override = default;

  // Downstream: a message from the backend, or the end of its messages (its status has
  // come, or its call failed).
  void OnBackendReadDone(bool ok) {
    if (ok) {
      StartWrite(&response_);
      return;
    }
    // The backend will read nothing more: stop relaying the caller's messages, so that
    // the backend call can complete. A backend write in flight releases the upstream
    // hold when it is done.
    bool release_upstream = false;
    {
      absl::MutexLock lock(&mu_);
      release_upstream = upstream_open_ && !backend_writing_;
      upstream_open_ = false;
    }
    if (release_upstream) backend_.RemoveHold();
    backend_.RemoveHold();
  }

  // Upstream: a caller message reached the backend, or the backend call is broken.
  void OnBackendWriteDone(bool ok) {
    bool release_upstream = false;
    {
      absl::MutexLock lock(&mu_);
      backend_writing_ = false;
      if (!ok || !upstream_open_) {
        upstream_open_ = false;
        release_upstream = true;
      }
    }
    if (release_upstream) {
      // A broken call's status comes in OnBackendDone.
      backend_.RemoveHold();
      return;
    }
    StartRead(&request_);
  }

  // Both directions have stopped: the caller gets the backend's status and details.
  void OnBackendDone(const grpc::Status& status) {
    const auto& trailing = backend_context_->GetServerTrailingMetadata();
    const auto details = trailing.find(kit::kErrorDetailsTrailer);
    if (details != trailing.end()) {
      context_->AddTrailingMetadata(kit::kErrorDetailsTrailer,
                                    std::string(details->second.data(), details->second.size()));
    }
    Finish(status);
    OnSideDone();
  }

  // Called once by each call's OnDone; the second deletes the relay.
  void OnSideDone() {
    if (sides_running_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  grpc::GenericCallbackServerContext* const context_;
  const std::unique_ptr<grpc::ClientContext> backend_context_;
  Backend backend_;
  grpc::ByteBuffer request_;   // Caller -> backend, one message at a time.
  grpc::ByteBuffer response_;  // Backend -> caller, one message at a time.
  absl::Mutex mu_;
  // Whether caller messages are still relayed; once false, the upstream hold is released
  // (or will be, by the backend write in flight).
  bool upstream_open_ ABSL_GUARDED_BY(mu_) = true;
  bool backend_writing_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<int> sides_running_{2};
};

}  // namespace

grpc::ServerGenericBidiReactor* StartStreamRelay(
    grpc::GenericCallbackServerContext* context, const std::shared_ptr<grpc::Channel>& channel,
    std::unique_ptr<grpc::ClientContext> backend_context) {
  return new StreamRelay(context, channel, std::move(backend_context));
}

}  // namespace bitcontent::gateway
