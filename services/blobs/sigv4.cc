#include "services/blobs/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace bitcontent::blobs {
namespace {

std::string HmacSha256Raw(absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<char*>(out), size);
}

}  // namespace

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string UriEncode(absl::string_view text, bool keep_slash) {
  std::string out;
  for (const char c : text) {
    const bool unreserved = absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                            c == '_' || c == '.' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out.push_back(c);
    } else {
      absl::StrAppend(&out, "%",
                      absl::AsciiStrToUpper(absl::BytesToHexString(absl::string_view(&c, 1))));
    }
  }
  return out;
}

std::string AmzDate(absl::Time time) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", time, absl::UTCTimeZone());
}

SigV4Signature SignV4(const SigV4Request& request, const SigV4Credentials& credentials,
                      absl::string_view amz_date) {
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [name, value] : request.query) {
    query.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(query.begin(), query.end());
  std::vector<std::string> query_parts;
  for (const auto& [name, value] : query) query_parts.push_back(absl::StrCat(name, "=", value));

  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    headers.emplace_back(absl::AsciiStrToLower(name),
                         std::string(absl::StripAsciiWhitespace(value)));
  }
  std::sort(headers.begin(), headers.end());
  std::string canonical_headers;
  std::vector<std::string> signed_names;
  for (const auto& [name, value] : headers) {
    absl::StrAppend(&canonical_headers, name, ":", value, "\n");
    signed_names.push_back(name);
  }
  const std::string signed_headers = absl::StrJoin(signed_names, ";");

  SigV4Signature signature;
  signature.canonical_request =
      absl::StrJoin({request.method, request.path, absl::StrJoin(query_parts, "&"),
                     canonical_headers, signed_headers, request.payload_sha256},
                    "\n");
  const std::string day(amz_date.substr(0, 8));
  const std::string scope =
      absl::StrCat(day, "/", credentials.region, "/", credentials.service, "/aws4_request");
  signature.string_to_sign = absl::StrCat("AWS4-HMAC-SHA256\n", amz_date, "\n", scope, "\n",
                                          Sha256Hex(signature.canonical_request));
  std::string key = HmacSha256Raw(absl::StrCat("AWS4", credentials.secret_access_key), day);
  key = HmacSha256Raw(key, credentials.region);
  key = HmacSha256Raw(key, credentials.service);
  key = HmacSha256Raw(key, "aws4_request");
  signature.signature = absl::BytesToHexString(HmacSha256Raw(key, signature.string_to_sign));
  signature.authorization =
      absl::StrCat("AWS4-HMAC-SHA256 Credential=", credentials.access_key_id, "/", scope,
                   ", SignedHeaders=", signed_headers, ", Signature=", signature.signature);
  return signature;
}

}  // namespace bitcontent::blobs
