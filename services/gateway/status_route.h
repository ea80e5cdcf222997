// GET /v1/status: whether each service behind the gateway is SERVING, so a person or a
// script can tell at a glance that the suite is up. Public and cheap: one health check
// per service, each with a short deadline, no state touched.
//
//   {"status": "SERVING", "services": {"accounts": "SERVING", ...}}
//
// The answer is 200 when every service serves, 503 otherwise.
#pragma once

#include "libs/http/response.h"
#include "services/gateway/backends.h"

namespace bitcontent::gateway {

http::Response SuiteStatus(const Backends& backends);

}  // namespace bitcontent::gateway
