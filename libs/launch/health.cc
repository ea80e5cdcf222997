#include "libs/launch/health.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "libs/kit/channel.h"
#include "libs/kit/status.h"

namespace bitcontent::launch {

absl::Status CheckGrpcHealth(const std::string& target, absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(kit::NewChannel(target));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  auto context = kit::NewCallContext(timeout);
  grpc::Status status = stub->Check(context.get(), request, &response);
  if (!status.ok()) return kit::FromGrpc(status);
  if (response.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
    return absl::UnavailableError(
        absl::StrCat(target, " reports ",
                     grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())));
  }
  return absl::OkStatus();
}

absl::Status PingRedis(const std::string& host, int port, absl::Duration timeout) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ResourceExhaustedError("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &address.sin_addr);
  absl::Status result =
      absl::UnavailableError(absl::StrCat("redis at ", host, ":", port, " does not answer PING"));
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    const char ping[] = "PING\r\n";
    pollfd readable{fd, POLLIN, 0};
    char reply[16] = {};
    if (write(fd, ping, sizeof(ping) - 1) == sizeof(ping) - 1 &&
        poll(&readable, 1, static_cast<int>(absl::ToInt64Milliseconds(timeout))) == 1 &&
        read(fd, reply, sizeof(reply) - 1) >= 5 && std::string_view(reply).starts_with("+PONG")) {
      result = absl::OkStatus();
    }
  }
  close(fd);
  return result;
}

}  // namespace bitcontent::launch
