// A loopback TCP port the kernel considers free right now, for programs that cannot
// bind port 0 and report the port they got (redis-server, nginx). Another process can
// take it before it is used, so callers retry on a bind failure.
#pragma once

namespace bitcontent::launch {

// A free port on 127.0.0.1, or 0 when none could be found.
int FreeLoopbackPort();

}  // namespace bitcontent::launch
