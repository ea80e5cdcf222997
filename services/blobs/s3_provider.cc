#include "services/blobs/s3_provider.h"

#include <curl/curl.h>

#include <mutex>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace bitcontent::blobs {
namespace {

size_t Collect(char* data, size_t size, size_t count, void* sink) {
  static_cast<std::string*>(sink)->append(data, size * count);
  return size * count;
}

// The text of the first <tag>...</tag> after `from` in `xml`, and where it ended.
std::optional<std::pair<std::string, size_t>> Element(absl::string_view xml, absl::string_view tag,
                                                      size_t from) {
  const std::string open = absl::StrCat("<", tag, ">");
  const std::string close = absl::StrCat("</", tag, ">");
  const size_t start = xml.find(open, from);
  if (start == absl::string_view::npos) return std::nullopt;
  const size_t end = xml.find(close, start);
  if (end == absl::string_view::npos) return std::nullopt;
  return std::make_pair(std::string(xml.substr(start + open.size(), end - start - open.size())),
                        end + close.size());
}

}  // namespace

absl::StatusOr<std::unique_ptr<S3Provider>> S3Provider::Open(S3Options options) {
  if (!absl::StartsWith(options.endpoint, "http://") &&
      !absl::StartsWith(options.endpoint, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("S3 endpoint \"", options.endpoint, "\" must start with http:// or https://"));
  }
  while (absl::EndsWith(options.endpoint, "/")) options.endpoint.pop_back();
  if (options.bucket.empty() || options.bucket.find('/') != std::string::npos) {
    return absl::InvalidArgumentError("an S3 provider needs a bucket name (without '/')");
  }
  if (options.credentials.access_key_id.empty() || options.credentials.secret_access_key.empty()) {
    return absl::InvalidArgumentError(
        "an S3 provider needs --s3_access_key_id and --s3_secret_access_key");
  }
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::unique_ptr<S3Provider>(new S3Provider(std::move(options)));
}

std::string S3Provider::name() const {
  return absl::StrCat(
      "s3://", options_.bucket, "@",
      absl::StripPrefix(absl::StripPrefix(options_.endpoint, "http://"), "https://"));
}

absl::StatusOr<S3Provider::Answer> S3Provider::Send(
    absl::string_view method, absl::string_view key,
    std::vector<std::pair<std::string, std::string>> query, absl::string_view body) const {
  const std::string host(
      absl::StripPrefix(absl::StripPrefix(options_.endpoint, "http://"), "https://"));
  SigV4Request request;
  request.method = std::string(method);
  request.path = absl::StrCat("/", UriEncode(options_.bucket, false), key.empty() ? "" : "/",
                              UriEncode(key, true));
  request.query = query;
  request.payload_sha256 = Sha256Hex(body);
  const std::string date = AmzDate(absl::Now());
  request.headers = {
      {"host", host}, {"x-amz-content-sha256", request.payload_sha256}, {"x-amz-date", date}};
  const SigV4Signature signature = SignV4(request, options_.credentials, date);

  std::string url = absl::StrCat(options_.endpoint, request.path);
  for (size_t i = 0; i < query.size(); ++i) {
    absl::StrAppend(&url, i == 0 ? "?" : "&", UriEncode(query[i].first, false), "=",
                    UriEncode(query[i].second, false));
  }
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (curl == nullptr) return absl::ResourceExhaustedError("libcurl could not make a handle");
  curl_slist* headers = nullptr;
  for (const std::string& header :
       {absl::StrCat("x-amz-content-sha256: ", request.payload_sha256),
        absl::StrCat("x-amz-date: ", date),
        absl::StrCat("Authorization: ", signature.authorization),
        std::string("Content-Type: application/octet-stream"), std::string("Expect:")}) {
    headers = curl_slist_append(headers, header.c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers,
                                                                          &curl_slist_free_all);
  Answer answer;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer.body);
  if (method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
  } else if (method != "GET") {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());
  }
  if (method == "PUT") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  const CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat(name(), " cannot be reached: ", curl_easy_strerror(code)));
  }
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &answer.status);
  curl_off_t length = 0;
  curl_easy_getinfo(handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  answer.content_length = length > 0 ? static_cast<uint64_t>(length) : 0;
  return answer;
}

absl::Status S3Provider::ErrorOf(const Answer& answer, absl::string_view what) const {
  const auto message = Element(answer.body, "Message", 0);
  const std::string said =
      absl::StrCat(name(), " answered HTTP ", answer.status, " to ", what,
                   message.has_value() ? absl::StrCat(": ", message->first) : "");
  if (answer.status == 404) return absl::NotFoundError(said);
  if (answer.status == 401 || answer.status == 403) return absl::PermissionDeniedError(said);
  if (answer.status >= 500) return absl::UnavailableError(said);
  return absl::InternalError(said);
}

absl::Status S3Provider::Put(absl::string_view key, absl::string_view bytes, bool* existed) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  // Content-addressed: an object already under this key holds these bytes.
  absl::StatusOr<uint64_t> size = Size(key);
  if (size.ok() && *size == bytes.size()) {
    if (existed != nullptr) *existed = true;
    return absl::OkStatus();
  }
  if (!size.ok() && !absl::IsNotFound(size.status())) return size.status();
  absl::StatusOr<Answer> answer = Send("PUT", key, {}, bytes);
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) return ErrorOf(*answer, absl::StrCat("PUT ", key));
  if (existed != nullptr) *existed = false;
  return absl::OkStatus();
}

absl::StatusOr<ObjectBytes> S3Provider::Get(absl::string_view key) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  absl::StatusOr<Answer> answer = Send("GET", key, {}, "");
  if (!answer.ok()) return answer.status();
  if (answer->status == 404) return absl::NotFoundError(absl::StrCat("no object ", key));
  if (answer->status != 200) return ErrorOf(*answer, absl::StrCat("GET ", key));
  if (answer->body.size() > kObjectBytesMax) {
    return absl::DataLossError(absl::StrCat("object ", key, " is larger than any chunk"));
  }
  return std::move(answer->body);
}

absl::StatusOr<uint64_t> S3Provider::Size(absl::string_view key) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  absl::StatusOr<Answer> answer = Send("HEAD", key, {}, "");
  if (!answer.ok()) return answer.status();
  if (answer->status == 404) return absl::NotFoundError(absl::StrCat("no object ", key));
  if (answer->status != 200) return ErrorOf(*answer, absl::StrCat("HEAD ", key));
  return answer->content_length;
}

absl::Status S3Provider::Delete(absl::string_view key) {
  if (absl::Status valid = ValidateObjectKey(key); !valid.ok()) return valid;
  absl::StatusOr<Answer> answer = Send("DELETE", key, {}, "");
  if (!answer.ok()) return answer.status();
  if (answer->status == 204 || answer->status == 200 || answer->status == 404) {
    return absl::OkStatus();
  }
  return ErrorOf(*answer, absl::StrCat("DELETE ", key));
}

absl::StatusOr<ObjectPage> S3Provider::List(absl::string_view after, size_t limit) {
  if (limit == 0 || limit > kListPageMax) {
    return absl::InvalidArgumentError(absl::StrCat("limit must be 1 to ", kListPageMax));
  }
  std::vector<std::pair<std::string, std::string>> query = {{"list-type", "2"},
                                                            {"max-keys", absl::StrCat(limit)}};
  if (!after.empty()) query.emplace_back("start-after", std::string(after));
  absl::StatusOr<Answer> answer = Send("GET", "", query, "");
  if (!answer.ok()) return answer.status();
  if (answer->status != 200) return ErrorOf(*answer, "a listing");
  ObjectPage page;
  size_t at = 0;
  while (auto key = Element(answer->body, "Key", at)) {
    page.keys.push_back(std::move(key->first));
    at = key->second;
  }
  const auto truncated = Element(answer->body, "IsTruncated", 0);
  if (truncated.has_value() && truncated->first == "true" && !page.keys.empty()) {
    page.next_after = page.keys.back();
  }
  return page;
}

}  // namespace bitcontent::blobs
