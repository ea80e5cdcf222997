#include "tests/integration/rest.h"

#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>

#include "absl/strings/numbers.h"

namespace bitcontent::testing {
namespace {

http::ClientOptions OptionsFor(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  REQUIRE(absl::SimpleAtoi(address.substr(colon + 1), &port));
  return {.host = address.substr(0, colon), .port = static_cast<uint16_t>(port)};
}

}  // namespace

Rest::Rest(const std::string& address) : client_(OptionsFor(address)) {}

http::ClientResponse Rest::Send(std::string method, std::string target, std::string body,
                                http::Headers headers) {
  absl::StatusOr<http::ClientResponse> response = client_.Send({.method = std::move(method),
                                                                .target = std::move(target),
                                                                .headers = std::move(headers),
                                                                .body = std::move(body)});
  INFO(response.status().message());
  REQUIRE(response.ok());
  return *std::move(response);
}

http::ClientResponse Rest::Get(std::string target, std::string bearer) {
  http::Headers headers;
  if (!bearer.empty()) headers.Add("Authorization", "Bearer " + bearer);
  return Send("GET", std::move(target), "", std::move(headers));
}

http::ClientResponse Rest::Post(std::string target, std::string json, const std::string& bearer) {
  http::Headers headers;
  if (!bearer.empty()) headers.Add("Authorization", "Bearer " + bearer);
  headers.Add("Content-Type", "application/json");
  return Send("POST", std::move(target), std::move(json), std::move(headers));
}

http::ClientResponse Rest::PostKeyed(std::string target, std::string json,
                                     const std::string& bearer,
                                     const std::string& idempotency_key) {
  http::Headers headers;
  headers.Add("Authorization", "Bearer " + bearer);
  headers.Add("Content-Type", "application/json");
  headers.Add("Idempotency-Key", idempotency_key);
  return Send("POST", std::move(target), std::move(json), std::move(headers));
}

std::string Text(const google::protobuf::Struct& message, const std::string& name) {
  const auto found = message.fields().find(name);
  return found == message.fields().end() ? "" : found->second.string_value();
}

uint64_t Unsigned(const google::protobuf::Struct& message, const std::string& name) {
  const auto found = message.fields().find(name);
  if (found == message.fields().end()) return 0;
  if (found->second.has_number_value()) return static_cast<uint64_t>(found->second.number_value());
  uint64_t value = 0;
  INFO(name << " = " << found->second.string_value());
  REQUIRE(absl::SimpleAtoi(found->second.string_value(), &value));
  return value;
}

const google::protobuf::Struct& Object(const google::protobuf::Struct& message,
                                       const std::string& name) {
  INFO("no field " << name);
  REQUIRE(message.fields().contains(name));
  return message.fields().at(name).struct_value();
}

int ListSize(const google::protobuf::Struct& message, const std::string& name) {
  const auto found = message.fields().find(name);
  return found == message.fields().end() ? 0 : found->second.list_value().values_size();
}

google::protobuf::Struct Json(const std::string& body) {
  google::protobuf::Struct parsed;
  INFO(body);
  REQUIRE(google::protobuf::util::JsonStringToMessage(body, &parsed).ok());
  return parsed;
}

google::protobuf::Struct CheckError(const http::ClientResponse& response, int http_status,
                                    int code) {
  INFO(response.status << " " << response.body);
  CHECK(response.status == http_status);
  CHECK(response.Header("Content-Type") == "application/json");
  google::protobuf::Struct error = Json(response.body);
  CHECK(error.fields().at("code").number_value() == code);
  CHECK_FALSE(error.fields().at("message").string_value().empty());
  CHECK(error.fields().at("details").has_list_value());
  REQUIRE(response.Header("X-Request-Id").has_value());
  CHECK(error.fields().at("request_id").string_value() == *response.Header("X-Request-Id"));
  return error;
}

std::string ReasonOf(const google::protobuf::Struct& error) {
  const auto& details = error.fields().at("details").list_value();
  if (details.values_size() == 0) return {};
  const auto& fields = details.values(0).struct_value().fields();
  const auto reason = fields.find("reason");
  return reason == fields.end() ? std::string() : reason->second.string_value();
}

}  // namespace bitcontent::testing
