// AWS Signature Version 4 for S3-compatible object stores, as AWS documents it
// ("Authenticating Requests: Using the Authorization Header"): a canonical request,
// the string to sign, a signing key derived from the secret for the day, region and
// service, and the Authorization header. SHA-256 and HMAC-SHA256 from OpenSSL.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace bitcontent::blobs {

struct SigV4Credentials {
  std::string access_key_id = {};
  std::string secret_access_key = {};
  std::string region = "us-east-1";
  std::string service = "s3";
};

struct SigV4Request {
  std::string method = "GET";
  // The path as sent: each segment already URI-encoded ("/bucket/key").
  std::string path = "/";
  // Query parameters, not encoded; signed sorted and encoded.
  std::vector<std::pair<std::string, std::string>> query = {};
  // Headers to sign (Host and x-amz-date among them); names in any case.
  std::vector<std::pair<std::string, std::string>> headers = {};
  // Hex SHA-256 of the body (also sent as x-amz-content-sha256).
  std::string payload_sha256 = {};
};

struct SigV4Signature {
  std::string canonical_request = {};
  std::string string_to_sign = {};
  std::string signature = {};  // Hex.
  std::string authorization = {};
};

// Signs `request` made at `amz_date` ("20130524T000000Z", the x-amz-date header).
SigV4Signature SignV4(const SigV4Request& request, const SigV4Credentials& credentials,
                      absl::string_view amz_date);

// `time` as x-amz-date wants it: "YYYYMMDDTHHMMSSZ".
std::string AmzDate(absl::Time time);

// Hex SHA-256 of `bytes`.
std::string Sha256Hex(absl::string_view bytes);

// RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else
// %XX (uppercase); '/' kept when `keep_slash`.
std::string UriEncode(absl::string_view text, bool keep_slash);

}  // namespace bitcontent::blobs
