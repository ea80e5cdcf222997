#include "services/pricing/webhook_post.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "services/pricing/paywall_limits.h"

namespace bitcontent::pricing {
namespace {

// Receivers answer with a short acknowledgement; more is read and ignored up to here.
constexpr size_t kAnswerBytesMax = 64 * 1024;

size_t Discard(char* data, size_t size, size_t count, void* user) {
  size_t* seen = static_cast<size_t*>(user);
  *seen += size * count;
  // Returning less than given aborts the transfer, which is what a flood deserves.
  return *seen > kAnswerBytesMax ? 0 : size * count;
}

// Opens the socket for each address libcurl is about to connect to, unless it is one
// no webhook may reach (IsForbiddenWebhookAddress): a host name resolving to the cloud's
// metadata address, whatever CheckWebhookUrl saw in the URL. `refused` notes it.
curl_socket_t OpenAllowedSocket(void* refused, curlsocktype, curl_sockaddr* address) {
  if (IsForbiddenWebhookAddress(address->addr)) {
    *static_cast<bool*>(refused) = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

}  // namespace

PostOutcome PostWebhook(const std::string& url, const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        absl::Duration timeout) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (curl == nullptr) return {.error = "libcurl could not make a handle"};
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> list(
      curl_slist_append(nullptr, "Content-Type: application/json"), &curl_slist_free_all);
  // No "Expect: 100-continue" round trip for large bodies.
  list.reset(curl_slist_append(list.release(), "Expect:"));
  for (const auto& [name, value] : headers) {
    list.reset(curl_slist_append(list.release(), absl::StrCat(name, ": ", value).c_str()));
  }
  size_t answer_bytes = 0;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "BitContent-Webhooks/1");
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &answer_bytes);
  bool refused = false;
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, &OpenAllowedSocket);
  curl_easy_setopt(handle, CURLOPT_OPENSOCKETDATA, &refused);
  const CURLcode code = curl_easy_perform(handle);
  if (refused) {
    return {.http_status = 0,
            .error =
                "refused to connect: the host is a link-local or unspecified address, "
                "where no site receives webhooks"};
  }
  long http_status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &http_status);
  PostOutcome outcome = {.http_status = static_cast<int>(http_status), .error = ""};
  if (code != CURLE_OK && code != CURLE_WRITE_ERROR) outcome.error = curl_easy_strerror(code);
  if (code != CURLE_OK && code != CURLE_WRITE_ERROR) outcome.http_status = 0;
  return outcome;
}

}  // namespace bitcontent::pricing
