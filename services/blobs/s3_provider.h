// S3Provider: chunks as objects of one bucket of an S3-compatible store (AWS S3, MinIO,
// Ceph, s3rver...), path-style (endpoint/bucket/key), every request signed with
// Signature Version 4 (sigv4.h) and sent with libcurl, with a timeout. Objects are
// immutable and content-addressed, so a Put of a key that exists is acknowledged
// without sending the bytes again.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/blobs/provider.h"
#include "services/blobs/sigv4.h"

namespace bitcontent::blobs {

struct S3Options {
  // "http://host:port" or "https://host"; no trailing slash.
  std::string endpoint = {};
  std::string bucket = {};
  SigV4Credentials credentials = {};
  absl::Duration timeout = absl::Seconds(30);
};

class S3Provider final : public Provider {
 public:
  // Checks the options (not the store, which may come up later).
  static absl::StatusOr<std::unique_ptr<S3Provider>> Open(S3Options options);

  std::string name() const override;
  absl::Status Put(absl::string_view key, absl::string_view bytes, bool* existed) override;
  absl::StatusOr<ObjectBytes> Get(absl::string_view key) override;
  absl::StatusOr<uint64_t> Size(absl::string_view key) override;
  absl::Status Delete(absl::string_view key) override;
  absl::StatusOr<ObjectPage> List(absl::string_view after, size_t limit) override;

 private:
  struct Answer {
    long status = 0;
    std::string body = {};
    uint64_t content_length = 0;
  };

  explicit S3Provider(S3Options options) : options_(std::move(options)) {}

  // Sends one signed request; UNAVAILABLE when the store cannot be reached.
  absl::StatusOr<Answer> Send(absl::string_view method, absl::string_view key,
                              std::vector<std::pair<std::string, std::string>> query,
                              absl::string_view body) const;
  // The error an unexpected answer means, naming `what`.
  absl::Status ErrorOf(const Answer& answer, absl::string_view what) const;

  const S3Options options_;
};

}  // namespace bitcontent::blobs
