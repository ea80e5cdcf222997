#include "services/accounts/flags.h"

#include "absl/flags/flag.h"
#include "libs/kit/log.h"

ABSL_FLAG(std::string, redis_address, "",
          "host:port of the Redis the gateway checks revocations in. Empty: revocations are "
          "not published (logged as a warning at start).");
ABSL_FLAG(uint32_t, access_token_ttl_s, 900, "Life of an access token, in seconds (60 to 900).");
ABSL_FLAG(uint32_t, refresh_token_ttl_s, 30 * 24 * 3600,
          "How long a session lives without a refresh, in seconds.");
ABSL_FLAG(uint64_t, auth_key_hash_ops, 2,
          "Argon2id passes of the server's hash of each authentication key (libsodium "
          "INTERACTIVE: 2).");
ABSL_FLAG(uint64_t, auth_key_hash_mem_bytes, uint64_t{64} << 20,
          "Argon2id memory of the server's hash of each authentication key, in bytes "
          "(libsodium INTERACTIVE: 64 MiB).");
ABSL_FLAG(uint64_t, client_kdf_ops_min, 3,
          "Weakest Argon2id passes a client may derive its keys with (the contract's floor: 3).");
ABSL_FLAG(uint64_t, client_kdf_mem_bytes_min, uint64_t{64} << 20,
          "Weakest Argon2id memory a client may derive its keys with, in bytes (the "
          "contract's floor: 64 MiB).");
ABSL_FLAG(uint64_t, default_quota_bytes, 100'000'000'000,
          "Storage limit of members without one of their own, in bytes (100 GB).");
ABSL_FLAG(std::vector<std::string>, operator_emails, {},
          "Comma-separated emails of the members who hold the operator role (admin API).");

namespace bitcontent::accounts {

DomainOptions DomainOptionsFromFlags() {
  return {.auth_key_hash_params = {.ops_limit = absl::GetFlag(FLAGS_auth_key_hash_ops),
                                   .mem_limit_bytes = absl::GetFlag(FLAGS_auth_key_hash_mem_bytes)},
          .client_kdf_min = {.ops_limit = absl::GetFlag(FLAGS_client_kdf_ops_min),
                             .mem_limit_bytes = absl::GetFlag(FLAGS_client_kdf_mem_bytes_min)},
          .access_token_ttl = absl::Seconds(absl::GetFlag(FLAGS_access_token_ttl_s)),
          .refresh_token_ttl = absl::Seconds(absl::GetFlag(FLAGS_refresh_token_ttl_s)),
          .default_quota_bytes = absl::GetFlag(FLAGS_default_quota_bytes),
          .operator_emails = absl::GetFlag(FLAGS_operator_emails)};
}

absl::StatusOr<std::unique_ptr<redis::Client>> RedisClientFromFlags() {
  const std::string address = absl::GetFlag(FLAGS_redis_address);
  if (address.empty()) {
    kit::Log(spdlog::level::warn,
             "no --redis_address: revocations are not published, so gateways keep honouring "
             "a revoked session's access tokens until they expire");
    return std::unique_ptr<redis::Client>();
  }
  return redis::Client::Connect({.address = address});
}

}  // namespace bitcontent::accounts
