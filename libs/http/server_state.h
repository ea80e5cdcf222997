// ServerState: what a server and all of its connections share. Internal to libs/http.
//
// Held by shared_ptr from the Server and from every Connection, so a connection whose
// last completion handler runs late (or is destroyed with the event loop) never touches
// freed memory. The router is written only before Start() and read-only afterwards.
#pragma once

#include <atomic>
#include <utility>

#include "libs/http/connection_tracker.h"
#include "libs/http/router.h"
#include "libs/http/server_options.h"

namespace bitcontent::http {

struct ServerState {
  ServerState(ServerOptions server_options, Router server_router)
      : options(std::move(server_options)), router(std::move(server_router)) {}

  const ServerOptions options;
  Router router;
  ConnectionTracker tracker;
  // Set once by Stop(): connections finish the exchange in hand, then close.
  std::atomic<bool> stopping{false};
};

}  // namespace bitcontent::http
