#include "services/wallet/bitcoin_rpc.h"

#include <curl/curl.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace bitcontent::wallet {
namespace {

// What libcurl's write callback collects into, with the cap that stops it.
struct Sink {
  std::string body = {};
  size_t bytes_max = 0;
  bool too_large = false;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t bytes = size * count;
  if (sink->body.size() + bytes > sink->bytes_max) {
    sink->too_large = true;
    return 0;  // Makes libcurl stop with CURLE_WRITE_ERROR.
  }
  sink->body.append(data, bytes);
  return bytes;
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    // Only hashes and method names reach here (checked by the callers), but escape
    // anyway so the request stays JSON whatever it is given.
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// Core answers a failed call with HTTP 500 (JSON-RPC 1.0) or 404 (unknown method) and a
// JSON error body, which the reply parser turns into Core's own message.
bool MayCarryCoreError(long http_status) {
  return http_status == 400 || http_status == 404 || http_status == 500;
}

}  // namespace

BitcoinRpc::BitcoinRpc(BitcoinRpcOptions options) : options_(std::move(options)) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

absl::Status BitcoinRpc::Validate() const {
  const std::string& url = options_.url;
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("--bitcoin_rpc_url \"", url, "\" must start with http:// or https://"));
  }
  if (url.find('@') != std::string::npos) {
    return absl::InvalidArgumentError(
        "--bitcoin_rpc_url must not carry credentials; use --bitcoin_rpc_user and "
        "--bitcoin_rpc_password, or --bitcoin_rpc_cookie_file");
  }
  if (options_.cookie_file.empty() && options_.user.empty()) {
    return absl::InvalidArgumentError(
        "Bitcoin Core needs credentials: --bitcoin_rpc_cookie_file, or --bitcoin_rpc_user "
        "and --bitcoin_rpc_password");
  }
  if (options_.connect_timeout <= absl::ZeroDuration() ||
      options_.request_timeout <= absl::ZeroDuration() || options_.response_bytes_max == 0) {
    return absl::InvalidArgumentError("Bitcoin RPC timeouts and response size must be positive");
  }
  return absl::OkStatus();
}

absl::StatusOr<BitcoinRpc::Credentials> BitcoinRpc::ReadCredentials() const {
  if (options_.cookie_file.empty()) return Credentials{options_.user, options_.password};
  std::ifstream file(options_.cookie_file, std::ios::binary);
  if (!file) {
    return absl::UnavailableError(
        absl::StrCat("cannot read Bitcoin Core's cookie file ", options_.cookie_file,
                     "; is Core running, and may this process read its data directory?"));
  }
  std::string text(kCookieFileBytesMax + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  absl::StripTrailingAsciiWhitespace(&text);
  const size_t colon = text.find(':');
  if (text.size() > kCookieFileBytesMax || colon == std::string::npos || colon == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(options_.cookie_file, " is not a Bitcoin Core cookie file (user:password)"));
  }
  return Credentials{text.substr(0, colon), text.substr(colon + 1)};
}

absl::StatusOr<std::string> BitcoinRpc::Call(std::string_view method,
                                             std::string_view params_json) const {
  const std::string name(method);
  absl::StatusOr<Credentials> credentials = ReadCredentials();
  if (!credentials.ok()) return credentials.status();
  const std::string request =
      absl::StrCat(R"({"jsonrpc":"1.0","id":"bitcontent","method":)", Quote(method),
                   R"(,"params":)", std::string(params_json), "}");
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (curl == nullptr) return absl::ResourceExhaustedError("libcurl could not make a handle");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, "Content-Type: application/json"), &curl_slist_free_all);
  Sink sink{.bytes_max = options_.response_bytes_max};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.request_timeout)));
  curl_easy_setopt(handle, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
  curl_easy_setopt(handle, CURLOPT_USERNAME, credentials->user.c_str());
  curl_easy_setopt(handle, CURLOPT_PASSWORD, credentials->password.c_str());
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.size()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
  const CURLcode code = curl_easy_perform(handle);
  if (sink.too_large) {
    return absl::ResourceExhaustedError(
        absl::StrCat("Bitcoin Core's reply to ", name, " exceeds ", options_.response_bytes_max,
                     " bytes; raise the response limit or poll more often"));
  }
  if (code != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("Bitcoin Core at ", options_.url,
                                               " cannot be reached for ", name, ": ",
                                               curl_easy_strerror(code)));
  }
  long http_status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &http_status);
  if (http_status == 401 || http_status == 403) {
    return absl::UnauthenticatedError(absl::StrCat(
        "Bitcoin Core at ", options_.url, " refused the credentials (HTTP ", http_status,
        "); check --bitcoin_rpc_user/--bitcoin_rpc_password or --bitcoin_rpc_cookie_file, "
        "and Core's rpcallowip"));
  }
  if (http_status == 200 || (MayCarryCoreError(http_status) && absl::StartsWith(sink.body, "{"))) {
    return std::move(sink.body);
  }
  return absl::UnavailableError(
      absl::StrCat("Bitcoin Core at ", options_.url, " answered HTTP ", http_status, " to ", name,
                   http_status == 503 ? " (its work queue is full)" : ""));
}

absl::StatusOr<BlockchainInfo> BitcoinRpc::GetBlockchainInfo() const {
  absl::StatusOr<std::string> body = Call("getblockchaininfo", "[]");
  if (!body.ok()) return body.status();
  return ParseBlockchainInfoReply(*body);
}

absl::StatusOr<SinceBlock> BitcoinRpc::ListSinceBlock(std::string_view block_hash,
                                                      uint32_t target_confirmations) const {
  if (!block_hash.empty() && !IsHash256Hex(block_hash)) {
    return absl::InvalidArgumentError("listsinceblock needs a block hash of 64 hex digits");
  }
  const std::string params =
      absl::StrCat("[", Quote(block_hash), ",", target_confirmations, ",true,true]");
  absl::StatusOr<std::string> body = Call("listsinceblock", params);
  if (!body.ok()) return body.status();
  return ParseSinceBlockReply(*body);
}

absl::Status RequireNetwork(std::string_view chain, bitcoin::Network network) {
  bool matches = false;
  switch (network) {
    case bitcoin::Network::kMainnet:
      matches = chain == "main";
      break;
    case bitcoin::Network::kTestnet:
      // testnet3 and testnet4 share tb1 addresses; signet is refused on purpose, so a
      // signet node is never mistaken for the configured test network.
      matches = chain == "test" || chain == "testnet4";
      break;
    case bitcoin::Network::kRegtest:
      matches = chain == "regtest";
      break;
  }
  if (matches) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "Bitcoin Core is on chain \"", std::string(chain), "\" but the wallet is configured for ",
      bitcoin::NetworkName(network), " (--bitcoin_network); deposits are not watched"));
}

}  // namespace bitcontent::wallet
