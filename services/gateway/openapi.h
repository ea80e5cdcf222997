// The OpenAPI 3.0 document of the public REST API (GET /v1/openapi.json), generated from
// the route table and the contracts' descriptors, so it lists exactly what the gateway
// serves: every route with its method, path, parameters, whether it needs a token (and
// which scope an API key needs), and the request and response schemas by the proto
// JSON mapping.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/gateway/route.h"

namespace bitcontent::gateway {

// The document as JSON. Fails only when a route names a method the descriptor pool
// lacks (a mistake in the table, which the route table's tests catch).
absl::StatusOr<std::string> OpenApiDocument(const std::vector<Route>& routes);

}  // namespace bitcontent::gateway
