// A real redis-server for the tests of libs/redis, on a free loopback port, without
// persistence, started by launch::Suite exactly as the suite starts it and stopped by
// the destructor. Stop() and Start() let a test take Redis away and bring it back on
// the same port.
#pragma once

#include <memory>
#include <string>

#include "libs/launch/suite.h"

namespace bitcontent::redis {

class RedisServer {
 public:
  // Starts redis-server and waits until it answers PING; fails the test otherwise.
  RedisServer();
  ~RedisServer();

  // Stops the server (SIGTERM); its port stays reserved for Start().
  void Stop();
  // Starts it again on the same port and waits until it answers.
  void Start();

  const std::string& address() const { return address_; }
  int port() const { return port_; }

 private:
  std::string dir_;
  int port_ = 0;
  std::string address_;
  std::unique_ptr<launch::Suite> suite_;
};

}  // namespace bitcontent::redis
