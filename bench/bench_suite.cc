#include "bench/bench_suite.h"

#include <algorithm>
#include <cstdio>

#include "libs/client/account_client.h"
#include "libs/crypto/password_kdf.h"

namespace bitcontent::bench {

int Fail(absl::string_view bench, absl::string_view what, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s: %s\n", std::string(bench).c_str(), std::string(what).c_str(),
               std::string(status.message()).c_str());
  return 1;
}

absl::StatusOr<std::unique_ptr<launch::Suite>> StartSuite(
    const std::filesystem::path& build, const std::filesystem::path& var,
    std::vector<std::string> services, std::map<std::string, std::vector<std::string>> extra_args) {
  std::map<std::string, std::vector<std::string>> args;
  for (const std::string& service : services) args[service] = {"--log_level=warn"};
  if (args.contains("accounts")) {
    args["accounts"].insert(args["accounts"].end(),
                            {"--auth_key_hash_ops=1", "--auth_key_hash_mem_bytes=8192",
                             "--client_kdf_ops_min=1", "--client_kdf_mem_bytes_min=8192"});
  }
  if (args.contains("gateway")) {
    args["gateway"].insert(args["gateway"].end(), {"--rate_limit_principal_requests=4000000000",
                                                   "--rate_limit_ip_requests=4000000000"});
  }
  for (auto& [service, more] : extra_args) {
    args[service].insert(args[service].end(), more.begin(), more.end());
  }
  return launch::Suite::Start({.binary_dir = build.string(),
                               .var_dir = var.string(),
                               .services = std::move(services),
                               .extra_args = std::move(args)});
}

absl::StatusOr<Member> SignUp(const std::string& rest_address,
                              const std::filesystem::path& config_dir, const std::string& email) {
  absl::StatusOr<std::unique_ptr<client::AccountClient>> account =
      client::AccountClient::Create({.server = "http://" + rest_address,
                                     .config_dir = config_dir.string(),
                                     .kdf_params = crypto::TestKdfParams(),
                                     .device_name = "bench"});
  if (!account.ok()) return account.status();
  absl::StatusOr<client::v1::Credentials> made = (*account)->SignUp(email, "bench password");
  if (!made.ok()) return made.status();
  absl::StatusOr<std::string> token = (*account)->AccessToken();
  if (!token.ok()) return token.status();
  return Member{.token = *std::move(token),
                .user_id = made->user().substr(std::string("users/").size()),
                .config_dir = config_dir};
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<size_t>(p * static_cast<double>(sorted.size() - 1))];
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace bitcontent::bench
