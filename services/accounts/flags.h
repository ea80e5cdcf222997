// The accounts service's own flags (each also settable as BITCONTENT_<FLAG> in the
// environment, like every flag of the kit), and what they make: the domain options and
// the Redis client revocations are published through.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "libs/redis/client.h"
#include "services/accounts/accounts_domain.h"

ABSL_DECLARE_FLAG(std::string, redis_address);
ABSL_DECLARE_FLAG(uint32_t, access_token_ttl_s);
ABSL_DECLARE_FLAG(uint32_t, refresh_token_ttl_s);
ABSL_DECLARE_FLAG(uint64_t, auth_key_hash_ops);
ABSL_DECLARE_FLAG(uint64_t, auth_key_hash_mem_bytes);
ABSL_DECLARE_FLAG(uint64_t, client_kdf_ops_min);
ABSL_DECLARE_FLAG(uint64_t, client_kdf_mem_bytes_min);
ABSL_DECLARE_FLAG(uint64_t, default_quota_bytes);
ABSL_DECLARE_FLAG(std::vector<std::string>, operator_emails);

namespace bitcontent::accounts {

// The domain options the flags describe (checked by AccountsDomain::Open).
DomainOptions DomainOptionsFromFlags();

// A Redis client for --redis_address, or null (with a warning in the log) when it is
// empty: revocations then reach no gateway until the service restarts with one.
absl::StatusOr<std::unique_ptr<redis::Client>> RedisClientFromFlags();

}  // namespace bitcontent::accounts
