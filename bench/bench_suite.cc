#include "bench/bench_suite.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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
    // Every member signs up from the one loopback IP, so its credential limit is lifted too.
    args["gateway"].insert(args["gateway"].end(), {"--rate_limit_principal_requests=4000000000",
                                                   "--rate_limit_ip_requests=4000000000",
                                                   "--credential_limit_ip_attempts=4000000000"});
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

double CpuSeconds(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The fields after the command name, which is in parentheses and may hold spaces:
  // utime and stime are the 12th and 13th of them, in clock ticks.
  const size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(text).substr(close + 2), ' ');
  int64_t utime = 0, stime = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &utime) ||
      !absl::SimpleAtoi(fields[12], &stime)) {
    return 0;
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
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
