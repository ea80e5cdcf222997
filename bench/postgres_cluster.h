// PostgresCluster: a throwaway PostgreSQL 15 cluster on loopback for a benchmark, made
// from Debian's postgresql-15 (binaries in /usr/lib/postgresql/15/bin).
//
// Start() runs initdb into a fresh directory and starts the server with pg_ctl,
// listening on 127.0.0.1 at a free port with its socket in that directory; destroying
// the cluster stops the server and removes the directory, on every path out of the
// bench that runs destructors. PostgreSQL refuses to run as root, so when the bench
// does (as CI runs it), every PostgreSQL binary runs as the `postgres` system user
// through runuser(1), and the directory belongs to that user.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace bitcontent::bench {

class PostgresCluster {
 public:
  // Creates `dir` (which must not exist) and starts a server there with the given
  // `name=value` settings on top of initdb's defaults.
  static absl::StatusOr<std::unique_ptr<PostgresCluster>> Start(
      const std::filesystem::path& dir, const std::vector<std::string>& settings);
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  // Stops the server (fast shutdown, immediate if that fails) and removes the directory.
  ~PostgresCluster();

  // A libpq connection string for the server's `postgres` database over TCP.
  std::string conninfo() const;

 private:
  explicit PostgresCluster(std::filesystem::path dir) : dir_(std::move(dir)) {}
  absl::Status Create();
  absl::Status StartServer(const std::vector<std::string>& settings);
  // Runs a PostgreSQL binary to completion (as the postgres user when we are root), its
  // output in `name`.log; an error carries the end of that output.
  absl::Status Run(const std::string& name, const std::string& binary,
                   const std::vector<std::string>& args);

  const std::filesystem::path dir_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace bitcontent::bench
