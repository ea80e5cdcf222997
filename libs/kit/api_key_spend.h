// Spend limits of API keys, kept by accounts: a service that moves money for a caller
// using an API key counts the amount against the key's limit first
// (AccountsInternalService.ChargeApiKeySpend, idempotent per request id) and gives it
// back when the payment fails. One place for the wallet's payments and pricing's
// purchases.
#pragma once

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bitcontent::kit {

// Counts `amount_msat` against `api_key` ("users/{user}/apiKeys/{key}") once per
// `request_id`; PERMISSION_DENIED (SPEND_LIMIT_EXCEEDED) past the limit. `context`
// carries the deadline.
absl::Status ChargeApiKeySpend(const std::shared_ptr<grpc::Channel>& accounts,
                               grpc::ClientContext& context, absl::string_view api_key,
                               uint64_t amount_msat, absl::string_view request_id);

// Gives back what the charge with `charge_request_id` counted.
absl::Status RefundApiKeySpend(const std::shared_ptr<grpc::Channel>& accounts,
                               grpc::ClientContext& context, absl::string_view api_key,
                               uint64_t amount_msat, absl::string_view charge_request_id);

}  // namespace bitcontent::kit
