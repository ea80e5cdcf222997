#include "services/gateway/blob_download.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "bitcontent/blobs/v1/blobs_service.grpc.pb.h"
#include "libs/http/absl_string.h"
#include "libs/kit/reply.h"
#include "libs/kit/request_id.h"
#include "libs/kit/status.h"
#include "services/gateway/backend_call.h"
#include "services/gateway/byte_range.h"
#include "services/gateway/error_response.h"

namespace bitcontent::gateway {
namespace {

namespace bl = blobs::v1;

// One ReadRange call, read a message at a time as the HTTP connection asks for the next
// piece. It owns itself until gRPC is done with it (OnDone); the body that the
// connection holds cancels it when dropped early.
class RangeCall final : public grpc::ClientReadReactor<bl::ReadRangeResponse> {
 public:
  static std::shared_ptr<RangeCall> Start(bl::BlobsService::Stub* stub,
                                          std::unique_ptr<grpc::ClientContext> context,
                                          bl::ReadRangeRequest request) {
    std::shared_ptr<RangeCall> call(new RangeCall(std::move(context), std::move(request)));
    call->self_ = call;
    stub->async()->ReadRange(call->context_.get(), &call->request_, call.get());
    call->StartCall();
    return call;
  }

  void Next(std::function<void(absl::StatusOr<std::string>)> done) {
    absl::MutexLock lock(&mutex_);
    if (finished_) {
      return done(absl::UnavailableError("the blob stream ended before the body was complete"));
    }
    pending_ = std::move(done);
    StartRead(&message_);
  }

  void Cancel() { context_->TryCancel(); }

  void OnReadDone(bool ok) override {
    std::function<void(absl::StatusOr<std::string>)> done;
    std::string data;
    {
      absl::MutexLock lock(&mutex_);
      if (!ok) return;  // OnDone follows with the reason.
      done = std::move(pending_);
      data = std::move(*message_.mutable_data());
    }
    if (data.empty()) return done(absl::DataLossError("the blob stream sent an empty piece"));
    done(std::move(data));
  }

  void OnDone(const grpc::Status& status) override {
    std::function<void(absl::StatusOr<std::string>)> done;
    {
      absl::MutexLock lock(&mutex_);
      finished_ = true;
      done = std::move(pending_);
    }
    if (done) {
      done(status.ok() ? absl::UnavailableError("the blob stream ended early")
                       : kit::FromGrpc(status));
    }
    self_.reset();  // Last: this may be the final owner.
  }

 private:
  RangeCall(std::unique_ptr<grpc::ClientContext> context, bl::ReadRangeRequest request)
      : context_(std::move(context)), request_(std::move(request)) {}

  std::unique_ptr<grpc::ClientContext> context_;
  bl::ReadRangeRequest request_;
  bl::ReadRangeResponse message_;
  absl::Mutex mutex_;
  std::function<void(absl::StatusOr<std::string>)> pending_ ABSL_GUARDED_BY(mutex_);
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
  std::shared_ptr<RangeCall> self_;
};

// The body the connection pulls from; cancels the call when the connection lets go.
class RangeBody final : public http::BodyStream {
 public:
  explicit RangeBody(std::shared_ptr<RangeCall> call) : call_(std::move(call)) {}
  ~RangeBody() override { call_->Cancel(); }
  void Next(std::function<void(absl::StatusOr<std::string>)> done) override {
    call_->Next(std::move(done));
  }

 private:
  const std::shared_ptr<RangeCall> call_;
};

}  // namespace

void StartBlobDownload(std::shared_ptr<grpc::Channel> channel, const http::Request& request,
                       const std::string& request_id, absl::Duration timeout,
                       std::function<void(http::Response)> reply) {
  auto stub = std::shared_ptr<bl::BlobsService::Stub>(bl::BlobsService::NewStub(channel));
  auto get = std::make_shared<bl::GetBlobRequest>();
  get->set_grant(std::string(request.Header("Bitcontent-Grant").value_or("")));
  get->set_name(absl::StrCat("blobs/", http::ToAbsl(request.PathParam("blob"))));
  const std::optional<std::string> range =
      request.Header("Range").has_value()
          ? std::optional<std::string>(std::string(*request.Header("Range")))
          : std::nullopt;
  auto blob = std::make_shared<bl::Blob>();
  std::shared_ptr<grpc::ClientContext> context =
      NewBackendContext(timeout, request_id, /*access_token=*/"", /*client_ip=*/"");
  stub->async()->GetBlob(
      context.get(), get.get(), blob.get(),
      [stub, get, blob, context, range, request_id, reply = std::move(reply)](grpc::Status status) {
        if (!status.ok()) {
          std::optional<common::v1::ErrorDetails> details =
              kit::ErrorDetailsOf(context->GetServerTrailingMetadata());
          const absl::Status failed = BackendFailure("/bitcontent.blobs.v1.BlobsService/GetBlob",
                                                     status, RetryHint::kPlain, &details);
          return reply(ErrorResponse(failed, request_id, {.details = std::move(details)}));
        }
        const uint64_t size = blob->size_bytes();
        const RangeAnswer answer = ResolveRange(
            range.has_value() ? std::optional<absl::string_view>(*range) : std::nullopt, size);
        if (answer.kind == RangeAnswer::Kind::kUnsatisfiable) {
          http::Response refused = ErrorResponse(
              absl::OutOfRangeError(absl::StrCat(
                  "the range asked for is past the end of the blob (", size, " bytes)")),
              request_id, {.http_status = 416});
          refused.headers.Set("Content-Range", absl::StrCat("bytes */", size));
          return reply(std::move(refused));
        }
        bl::ReadRangeRequest read;
        read.set_grant(get->grant());
        read.set_blob(get->name());
        read.mutable_range()->set_offset(answer.span.first);
        read.mutable_range()->set_length(answer.span.length);
        http::Response response;
        response.status = answer.kind == RangeAnswer::Kind::kPartial ? 206 : 200;
        response.content_type = "application/octet-stream";
        response.headers.Set("Accept-Ranges", "bytes");
        if (answer.kind == RangeAnswer::Kind::kPartial) {
          response.headers.Set("Content-Range",
                               absl::StrCat("bytes ", answer.span.first, "-",
                                            answer.span.first + answer.span.length - 1, "/", size));
        }
        response.stream_length = answer.span.length;
        response.stream = std::make_shared<RangeBody>(RangeCall::Start(
            stub.get(), NewBackendContext(kDownloadTimeMax, request_id, "", ""), std::move(read)));
        reply(std::move(response));
      });
}

}  // namespace bitcontent::gateway
