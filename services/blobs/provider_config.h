// The providers a blob service stores chunks on, from --providers: a comma-separated
// list of NAME=fs:DIRECTORY and NAME=s3:ENDPOINT/BUCKET entries, in read order, e.g.
//
//   --providers=local=fs:/var/lib/bitcontent/chunks,offsite=s3:https://s3.example.com/chunks
//
// Empty means one filesystem provider, "local", under --data_dir/chunks. S3 providers
// sign with --s3_access_key_id and --s3_secret_access_key (--s3_region, default
// us-east-1); they are also read from the environment, like every flag.
#pragma once

#include <filesystem>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/blobs/placement.h"
#include "services/blobs/sigv4.h"

namespace bitcontent::blobs {

// Opens every provider `spec` names. INVALID_ARGUMENT naming the entry that is wrong.
absl::StatusOr<std::vector<NamedProvider>> OpenProviders(absl::string_view spec,
                                                         const std::filesystem::path& data_dir,
                                                         const SigV4Credentials& s3_credentials);

}  // namespace bitcontent::blobs
