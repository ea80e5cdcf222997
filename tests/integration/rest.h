// Talking to the gateway's REST API the way any HTTP client does, for integration
// tests: a keep-alive client, JSON parsing, and checks of the one error shape.
#pragma once

#include <google/protobuf/struct.pb.h>

#include <cstdint>
#include <string>

#include "libs/http/client.h"

namespace bitcontent::testing {

// A keep-alive HTTP client of the gateway's public REST address ("host:port").
class Rest {
 public:
  explicit Rest(const std::string& address);

  // Sends a request; fails the test when no answer comes.
  http::ClientResponse Send(std::string method, std::string target, std::string body = "",
                            http::Headers headers = {});
  http::ClientResponse Get(std::string target, std::string bearer = "");
  // POST of a JSON body with a bearer token (none when empty).
  http::ClientResponse Post(std::string target, std::string json, const std::string& bearer);
  // The same with an Idempotency-Key header.
  http::ClientResponse PostKeyed(std::string target, std::string json, const std::string& bearer,
                                 const std::string& idempotency_key);

 private:
  http::Client client_;
};

// `body` parsed as JSON; fails the test when it is not.
google::protobuf::Struct Json(const std::string& body);

// A string field of a JSON object ("" when absent).
std::string Text(const google::protobuf::Struct& message, const std::string& name);
// An integer field ("0" when absent): uint64 fields are JSON strings in the proto3
// mapping, smaller ones numbers. Fails the test when it is neither.
uint64_t Unsigned(const google::protobuf::Struct& message, const std::string& name);
// An object field; fails the test when absent.
const google::protobuf::Struct& Object(const google::protobuf::Struct& message,
                                       const std::string& name);
// The length of a list field (0 when absent).
int ListSize(const google::protobuf::Struct& message, const std::string& name);

// Checks the one error shape, and that its request_id is the X-Request-Id echoed.
google::protobuf::Struct CheckError(const http::ClientResponse& response, int http_status,
                                    int code);

// The reason of an error's first details entry ("" when there is none).
std::string ReasonOf(const google::protobuf::Struct& error);

}  // namespace bitcontent::testing
