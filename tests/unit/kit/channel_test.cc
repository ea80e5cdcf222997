// kit::NewCallContext inside a handler: the downstream call carries the caller's
// request id and ends with the caller's deadline, not its own longer one.
#include "libs/kit/channel.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>

#include "libs/kit/diagnostics_service.h"
#include "libs/kit/error_details.h"
#include "libs/kit/reply.h"
#include "libs/kit/rpc_interceptor.h"

namespace bitcontent::kit {
namespace {

using common::v1::Diagnostics;
using common::v1::PingRequest;
using common::v1::PingResponse;

// A server with `service` and the kit's interceptor on an OS-picked loopback port.
std::unique_ptr<grpc::Server> StartServer(grpc::Service* service, std::string* address) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<RpcInterceptorFactory>("test"));
  builder.experimental().SetInterceptorCreators(std::move(factories));
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  *address = "127.0.0.1:" + std::to_string(port);
  return server;
}

// Forwards Ping to another server, through a context derived from its own call with a
// generous 10 s timeout of its own.
class RelayService final : public Diagnostics::Service {
 public:
  explicit RelayService(const std::string& target)
      : stub_(Diagnostics::NewStub(NewChannel(target))) {}

  grpc::Status Ping(grpc::ServerContext* context, const PingRequest* request,
                    PingResponse* response) override {
    auto downstream = NewCallContext(*context, absl::Seconds(10));
    return stub_->Ping(downstream.get(), *request, response);
  }

 private:
  std::unique_ptr<Diagnostics::Stub> stub_;
};

TEST_CASE("a call made inside a handler inherits the caller's request id and deadline") {
  DiagnosticsService backend("backend");
  std::string backend_address;
  auto backend_server = StartServer(&backend, &backend_address);
  RelayService relay(backend_address);
  std::string relay_address;
  auto relay_server = StartServer(&relay, &relay_address);
  auto stub = Diagnostics::NewStub(NewChannel(relay_address));

  SECTION("request id") {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    context.AddMetadata("x-request-id", "relay-1");
    PingResponse response;
    REQUIRE(stub->Ping(&context, PingRequest(), &response).ok());
    CHECK(response.service() == "backend");
    CHECK(response.request_id() == "relay-1");
  }
  SECTION("deadline") {
    PingRequest slow;
    slow.set_delay_ms(8000);
    PingResponse response;
    const auto start = std::chrono::steady_clock::now();
    auto context = NewCallContext(absl::Milliseconds(300));
    grpc::Status status = stub->Ping(context.get(), slow, &response);
    CHECK(status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED);
    // Well under the relay's own 10 s and the backend's 8 s.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  }
  relay_server->Shutdown(std::chrono::system_clock::now());
  backend_server->Shutdown(std::chrono::system_clock::now());
}

TEST_CASE("a context for a new request always has a deadline and a request id") {
  auto context = NewCallContext(absl::Seconds(3));
  const auto remaining = context->deadline() - std::chrono::system_clock::now();
  CHECK(remaining > std::chrono::seconds(2));
  CHECK(remaining <= std::chrono::seconds(3));
}

}  // namespace
}  // namespace bitcontent::kit

namespace bitcontent::kit {
namespace {

// What a service passes on when another it called could not be reached: words a person
// can act on and when to retry, never gRPC's, which name internal addresses.
TEST_CASE("a call to a service that cannot be reached says so without its address", "[kit]") {
  auto stub = common::v1::Diagnostics::NewStub(NewChannel("127.0.0.1:1"));
  auto context = NewCallContext(absl::Seconds(5));
  common::v1::PingResponse response;
  const grpc::Status status = stub->Ping(context.get(), common::v1::PingRequest(), &response);
  REQUIRE(status.error_code() == grpc::StatusCode::UNAVAILABLE);
  const absl::Status passed_on = FromCall(status, *context);
  CHECK(passed_on.code() == absl::StatusCode::kUnavailable);
  CHECK_THAT(std::string(passed_on.message()),
             Catch::StartsWith("a service this request needs could not be reached; retry") &&
                 !Catch::Contains("127.0.0.1") && !Catch::Contains("ipv4"));
  CHECK(DetailsOf(passed_on).retry_after_ms() == 1000);
}

}  // namespace
}  // namespace bitcontent::kit
