#include "libs/launch/free_port.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <random>

namespace bitcontent::launch {
namespace {

// Below this no port is picked: well-known and registered services' ports.
constexpr int kLowestPort = 10000;
// Where the kernel's outgoing ports start when /proc does not say (Linux's default).
constexpr int kEphemeralLowDefault = 32768;
constexpr int kAttemptsMax = 64;

// `port` bound on 127.0.0.1 at once (0: one the kernel picks); the port, or 0.
int Bind(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t length = sizeof(address);
  int bound = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    bound = ntohs(address.sin_port);
  }
  close(fd);
  return bound;
}

int EphemeralLow() {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  return range >> low && low > 0 ? low : kEphemeralLowDefault;
}

}  // namespace

int FreeLoopbackPort() {
  const int ephemeral_low = EphemeralLow();
  if (ephemeral_low > kLowestPort + kAttemptsMax) {
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> below(kLowestPort, ephemeral_low - 1);
    for (int attempt = 0; attempt < kAttemptsMax; ++attempt) {
      if (const int port = Bind(below(random)); port != 0) return port;
    }
  }
  return Bind(0);  // No room below that range: any free port.
}

}  // namespace bitcontent::launch
