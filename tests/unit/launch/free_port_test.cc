#include "libs/launch/free_port.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

namespace bitcontent::launch {

// A service a test restarts on its port must not find that port taken by a client's
// outgoing connection, which the kernel gives ports from ip_local_port_range.
TEST_CASE("a free loopback port lies below the kernel's outgoing range and can be bound",
          "[launch]") {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 32768;
  range >> low;
  for (int i = 0; i < 20; ++i) {
    const int port = FreeLoopbackPort();
    INFO(port);
    REQUIRE(port > 0);
    CHECK(port < low);
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    CHECK(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    close(fd);
  }
}

}  // namespace bitcontent::launch
