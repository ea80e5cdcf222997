// A real S3-compatible server for tests: s3rver (installed by ./dev under tools/s3rver
// from its lockfile) on a free loopback port, keeping its objects under a directory of
// the test, with one bucket. It wants a well-formed SigV4 Authorization header with its
// access key (kAccessKeyId), though it does not recompute the signature (sigv4_test.cc
// checks ours against AWS's published example). Stop() and Start() let a test
// take the store away and bring it back; the destructor stops it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "libs/launch/process.h"

namespace bitcontent::testing {

class S3Server {
 public:
  static constexpr char kAccessKeyId[] = "S3RVER";
  static constexpr char kSecretAccessKey[] = "S3RVER";

  // Starts it with `bucket` under `dir`, ready to answer.
  static absl::StatusOr<std::unique_ptr<S3Server>> Start(std::filesystem::path dir,
                                                         std::string bucket);
  ~S3Server();

  absl::Status Stop();
  absl::Status Restart();

  // "http://127.0.0.1:PORT".
  std::string endpoint() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  S3Server(std::filesystem::path dir, std::string bucket, int port)
      : dir_(std::move(dir)), bucket_(std::move(bucket)), port_(port) {}

  absl::Status Launch();

  const std::filesystem::path dir_;
  const std::string bucket_;
  const int port_;
  std::unique_ptr<launch::Process> process_;
};

}  // namespace bitcontent::testing
