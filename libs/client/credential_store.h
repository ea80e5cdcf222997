// Where the CLI keeps its credentials: one JSON file per config directory, written
// atomically with mode 0600 in a 0700 directory, because it holds the master key.
//
// The directory is $BITCONTENT_CONFIG_DIR if set, else $XDG_CONFIG_HOME/bitcontent,
// else $HOME/.config/bitcontent (the XDG base directory rules).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "bitcontent/client/v1/credentials.pb.h"

namespace bitcontent::client {

// The config directory by the rules above; FailedPrecondition when none can be found.
absl::StatusOr<std::string> DefaultConfigDirectory();

class CredentialStore {
 public:
  explicit CredentialStore(std::string directory) : directory_(std::move(directory)) {}

  // The stored credentials; NotFound ("not logged in ...") when there are none.
  absl::StatusOr<client::v1::Credentials> Load() const;
  // Replaces the stored credentials (temporary file, fsync, rename; mode 0600).
  absl::Status Save(const client::v1::Credentials& credentials) const;
  // Forgets them; OK when there were none.
  absl::Status Clear() const;
  // This config directory's device id, created on first use.
  absl::StatusOr<std::string> DeviceId() const;

  std::string path() const { return directory_ + "/credentials.json"; }

  // Other private state of the client (an interrupted upload's keys) as files `name` in
  // the config directory, written like the credentials. Read gives NOT_FOUND for a file
  // that is not there; Remove succeeds then.
  absl::Status WritePrivateFile(const std::string& name, const std::string& contents) const;
  absl::StatusOr<std::string> ReadPrivateFile(const std::string& name) const;
  absl::Status RemovePrivateFile(const std::string& name) const;

 private:
  const std::string directory_;
};

}  // namespace bitcontent::client
