#include "services/blobs/sigv4.h"

#include <catch2/catch.hpp>

namespace bitcontent::blobs {
namespace {

// The "GET Object" example of AWS's Signature Version 4 documentation for S3
// ("Examples: Signature Calculations in AWS Signature Version 4"), with its published
// intermediate hash and signature.
TEST_CASE("SigV4 signs AWS's documented GET Object example to its published signature",
          "[blobs][s3]") {
  const std::string empty_sha256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  CHECK(Sha256Hex("") == empty_sha256);
  const SigV4Signature signed_request =
      SignV4({.method = "GET",
              .path = "/test.txt",
              .headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                          {"Range", "bytes=0-9"},
                          {"x-amz-content-sha256", empty_sha256},
                          {"x-amz-date", "20130524T000000Z"}},
              .payload_sha256 = empty_sha256},
             {.access_key_id = "AKIAIOSFODNN7EXAMPLE",
              .secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
             "20130524T000000Z");
  CHECK(Sha256Hex(signed_request.canonical_request) ==
        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  CHECK(signed_request.signature ==
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  CHECK(signed_request.authorization ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST_CASE("SigV4 encodes query and path as AWS wants", "[blobs][s3]") {
  CHECK(UriEncode("a b/c~d", false) == "a%20b%2Fc~d");
  CHECK(UriEncode("a b/c", true) == "a%20b/c");
  CHECK(AmzDate(absl::FromUnixSeconds(1369353600)) == "20130524T000000Z");
}

}  // namespace
}  // namespace bitcontent::blobs
