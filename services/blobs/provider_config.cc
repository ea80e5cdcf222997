#include "services/blobs/provider_config.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/blobs/filesystem_provider.h"
#include "services/blobs/s3_provider.h"

namespace bitcontent::blobs {

absl::StatusOr<std::vector<NamedProvider>> OpenProviders(absl::string_view spec,
                                                         const std::filesystem::path& data_dir,
                                                         const SigV4Credentials& s3_credentials) {
  const std::string entries =
      spec.empty() ? absl::StrCat("local=fs:", (data_dir / "chunks").string()) : std::string(spec);
  std::vector<NamedProvider> providers;
  std::set<std::string> names;
  for (absl::string_view entry : absl::StrSplit(entries, ',', absl::SkipWhitespace())) {
    const auto bad = [&](absl::string_view why) {
      return absl::InvalidArgumentError(
          absl::StrCat("--providers entry \"", entry, "\": ", why,
                       " (expected NAME=fs:DIRECTORY or NAME=s3:http(s)://HOST[:PORT]/BUCKET)"));
    };
    const size_t equals = entry.find('=');
    if (equals == absl::string_view::npos || equals == 0) return bad("no name");
    NamedProvider named;
    named.name = std::string(entry.substr(0, equals));
    if (!names.insert(named.name).second) return bad("the name is used twice");
    absl::string_view where = entry.substr(equals + 1);
    if (absl::ConsumePrefix(&where, "fs:")) {
      absl::StatusOr<std::unique_ptr<FilesystemProvider>> opened =
          FilesystemProvider::Open(std::filesystem::path(std::string(where)));
      if (!opened.ok()) return opened.status();
      named.kind = v1::PROVIDER_KIND_LOCAL_FS;
      named.location = std::string(where);
      named.provider = *std::move(opened);
    } else if (absl::ConsumePrefix(&where, "s3:")) {
      const size_t scheme = where.find("://");
      const size_t slash =
          scheme == absl::string_view::npos ? absl::string_view::npos : where.find('/', scheme + 3);
      if (slash == absl::string_view::npos) return bad("the S3 bucket is missing");
      absl::StatusOr<std::unique_ptr<S3Provider>> opened =
          S3Provider::Open({.endpoint = std::string(where.substr(0, slash)),
                            .bucket = std::string(where.substr(slash + 1)),
                            .credentials = s3_credentials});
      if (!opened.ok()) return bad(opened.status().message());
      named.kind = v1::PROVIDER_KIND_S3;
      named.location = (*opened)->name();
      named.provider = *std::move(opened);
    } else {
      return bad("unknown kind");
    }
    providers.push_back(std::move(named));
  }
  if (providers.empty()) return absl::InvalidArgumentError("--providers names no provider");
  return providers;
}

}  // namespace bitcontent::blobs
