// A loopback TCP port the kernel considers free right now, for programs that cannot
// bind port 0 and report the port they got (redis-server, nginx), and for services a
// test stops and starts again on the same address. Another process can take it before
// it is used, so callers retry on a bind failure.
#pragma once

namespace bitcontent::launch {

// A free port on 127.0.0.1 below the range the kernel hands out to outgoing connections
// (ip_local_port_range), or 0 when none could be found. From inside that range, a port
// whose server is down can be given to a client's connection meanwhile; on loopback a
// client retrying to it can even get that very port and connect to itself (TCP's
// simultaneous open), and the server then cannot bind it again.
int FreeLoopbackPort();

}  // namespace bitcontent::launch
