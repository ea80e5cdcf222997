// One webhook POST with libcurl: the body as application/json with the given headers,
// no redirects followed (a receiver that moved must update its endpoint), the answer's
// body read up to a small limit and dropped. Only the status matters to the deliverer.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace bitcontent::pricing {

struct PostOutcome {
  // The HTTP status; 0 when no answer came.
  int http_status = 0;
  // Why no answer came (connection refused, timeout, TLS), or empty.
  std::string error;
};

PostOutcome PostWebhook(const std::string& url, const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        absl::Duration timeout);

}  // namespace bitcontent::pricing
