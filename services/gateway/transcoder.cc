#include "services/gateway/transcoder.h"

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "libs/http/absl_string.h"
#include "libs/kit/error_details.h"
#include "libs/kit/shown_text.h"
#include "services/gateway/json_keys.h"
#include "services/gateway/json_printer.h"
#include "services/gateway/routes.h"

namespace bitcontent::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const FieldDescriptor* FindField(const Descriptor& descriptor, absl::string_view name) {
  const std::string key(name);
  if (const FieldDescriptor* field = descriptor.FindFieldByName(key)) return field;
  return descriptor.FindFieldByCamelcaseName(key);
}

// What a protobuf type is called in JSON, for "must be a string".
std::string JsonTypeOf(absl::string_view proto_type) {
  if (proto_type == "TYPE_STRING") return "a string";
  if (proto_type == "TYPE_BYTES") return "a base64 string";
  if (proto_type == "TYPE_BOOL") return "true or false";
  if (proto_type == "TYPE_ENUM") return "one of the enum's names";
  if (proto_type == "TYPE_MESSAGE") return "a JSON object";
  if (absl::StrContains(proto_type, "INT64") || absl::StrContains(proto_type, "FIXED64")) {
    return "an integer (a number or a string of digits)";
  }
  if (absl::StrContains(proto_type, "INT") || absl::StrContains(proto_type, "FIXED")) {
    return "an integer";
  }
  return "a number";
}

// The range of an integer type ("from 0 to 4294967295"), or "" for another type.
std::string IntegerRangeOf(absl::string_view proto_type) {
  if (proto_type == "TYPE_UINT64" || proto_type == "TYPE_FIXED64") {
    return "from 0 to 18446744073709551615";
  }
  if (absl::StrContains(proto_type, "INT64") || absl::StrContains(proto_type, "FIXED64")) {
    return "from -9223372036854775808 to 9223372036854775807";
  }
  if (proto_type == "TYPE_UINT32" || proto_type == "TYPE_FIXED32") return "from 0 to 4294967295";
  if (absl::StrContains(proto_type, "INT32") || absl::StrContains(proto_type, "FIXED32")) {
    return "from -2147483648 to 2147483647";
  }
  return "";
}

// Whether a value the parser quotes back is a whole number, in quotes or not.
bool IsWholeNumber(absl::string_view value) {
  value = absl::StripSuffix(absl::StripPrefix(value, "\""), "\"");
  absl::ConsumePrefix(&value, "-");
  return !value.empty() && std::all_of(value.begin(), value.end(), absl::ascii_isdigit);
}

// protobuf's JSON parser says "pasword: Cannot find field." (or "(device) nam: ..." for
// a nested one), "(paywall_resource.external_id): invalid value 5 for type TYPE_STRING",
// or "Unexpected token.\n[]\n^" with the text it stopped at; say it in the API's words,
// naming the field (with a field violation) where there is one, and nothing of the
// parser's own display.
absl::Status BodyError(absl::string_view parser_message, const Descriptor& descriptor) {
  const absl::string_view first_line = parser_message.substr(0, parser_message.find('\n'));
  constexpr absl::string_view kUnknown = ": Cannot find field.";
  if (absl::EndsWith(first_line, kUnknown)) {
    absl::string_view path = first_line.substr(0, first_line.size() - kUnknown.size());
    std::string field;
    if (absl::ConsumePrefix(&path, "(")) {
      const size_t close = path.find(") ");
      if (close != absl::string_view::npos) {
        field = absl::StrCat(path.substr(0, close), ".", path.substr(close + 2));
      }
    }
    if (field.empty()) field = std::string(path);
    return kit::FieldError(
        field, absl::StrCat("unknown field in the request body (", descriptor.name(), ")"));
  }
  absl::string_view rest = first_line;
  if (absl::ConsumePrefix(&rest, "(")) {
    const size_t close = rest.find("): ");
    if (close != absl::string_view::npos) {
      const absl::string_view field = rest.substr(0, close);
      const absl::string_view problem = rest.substr(close + 3);
      constexpr absl::string_view kInvalid = "invalid value ";
      constexpr absl::string_view kType = " for type ";
      const size_t type = problem.rfind(kType);
      if (absl::StartsWith(problem, kInvalid) && type != absl::string_view::npos &&
          type >= kInvalid.size()) {
        const absl::string_view value = problem.substr(kInvalid.size(), type - kInvalid.size());
        const absl::string_view proto_type = problem.substr(type + kType.size());
        // A whole number the type cannot hold is too large (or negative), not "no integer".
        if (const std::string range = IntegerRangeOf(proto_type);
            !range.empty() && IsWholeNumber(value)) {
          return kit::FieldError(field,
                                 absl::StrCat("must be an integer ", range, ", not ", value));
        }
        return kit::FieldError(
            field, absl::StrCat("must be ", JsonTypeOf(problem.substr(type + kType.size())),
                                ", not ", value));
      }
      return kit::FieldError(field, absl::StripSuffix(problem, "."));
    }
  }
  // Two fields of one oneof ("payeeEmail" and "payeeWallet" of "payee").
  constexpr absl::string_view kOneof = "oneof field '";
  constexpr absl::string_view kSecond = "Cannot set '";
  if (const size_t oneof = first_line.find(kOneof), second = first_line.find(kSecond);
      oneof != absl::string_view::npos && second != absl::string_view::npos) {
    const absl::string_view group = first_line.substr(oneof + kOneof.size());
    const absl::string_view field = first_line.substr(second + kSecond.size());
    return kit::FieldError(field.substr(0, field.find('\'')),
                           absl::StrCat("is one way to give ", group.substr(0, group.find('\'')),
                                        ", and another was given too: send only one"));
  }
  if (absl::StrContains(first_line, "Root element must be a message")) {
    return absl::InvalidArgumentError(absl::StrCat("the request body must be a JSON object (a ",
                                                   descriptor.name(), "), not another value"));
  }
  return absl::InvalidArgumentError(absl::StrCat("request body is not a valid ", descriptor.name(),
                                                 " in JSON: ", absl::StripSuffix(first_line, ".")));
}

bool IsTimestamp(const FieldDescriptor& field) {
  return field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
         field.message_type()->full_name() == "google.protobuf.Timestamp";
}

// The field a dotted path ("time_range.start_time", or by JSON names) names inside
// `descriptor`, when every part before the last is a singular message field (not a
// timestamp) and the path has at most kFieldPathPartsMax parts; nullptr otherwise.
constexpr int kFieldPathPartsMax = 4;
const FieldDescriptor* FieldAtPath(const Descriptor& descriptor, absl::string_view path) {
  const Descriptor* within = &descriptor;
  for (int part = 1;; ++part) {
    const size_t dot = path.find('.');
    const FieldDescriptor* field = FindField(*within, path.substr(0, dot));
    if (dot == absl::string_view::npos || field == nullptr) return field;
    if (part == kFieldPathPartsMax || field->is_repeated() ||
        field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || IsTimestamp(*field)) {
      return nullptr;
    }
    within = field->message_type();
    path.remove_prefix(dot + 1);
  }
}

// Every string a service gets is UTF-8 (protobuf refuses to send any other): a path or
// query value percent-encoding other bytes is the client's mistake, not the service's.
absl::Status NotUtf8(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      what,
      " is not UTF-8 text once percent-decoded; encode names as UTF-8, then percent-encode "
      "their bytes"));
}

absl::Status BadValue(absl::string_view shown, const FieldDescriptor& field,
                      absl::string_view value) {
  return absl::InvalidArgumentError(absl::StrCat("query parameter \"", shown, "\": \"", value,
                                                 "\" is not a valid ", field.type_name()));
}

}  // namespace

namespace {

// SetFieldFromText for `name` inside `message`, naming `shown` (the whole dotted name the
// caller gave) in errors.
absl::Status SetFieldAt(Message& message, absl::string_view name, absl::string_view value,
                        absl::string_view shown) {
  const Descriptor& descriptor = *message.GetDescriptor();
  const FieldDescriptor* field = FieldAtPath(descriptor, name);
  if (field == nullptr || field->is_map() ||
      (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
       (!IsTimestamp(*field) || field->is_repeated()))) {
    return absl::InvalidArgumentError(absl::StrCat("unknown query parameter \"", shown, "\" (",
                                                   descriptor.name(),
                                                   " has no such scalar field)"));
  }
  if (const size_t dot = name.find('.'); dot != absl::string_view::npos) {
    // A field inside a message field ("timeRange.startTime"): made on the way down.
    Message* inner = message.GetReflection()->MutableMessage(
        &message, FindField(descriptor, name.substr(0, dot)));
    return SetFieldAt(*inner, name.substr(dot + 1), value, shown);
  }
  const Reflection& reflection = *message.GetReflection();
  if (IsTimestamp(*field)) {
    // RFC 3339, as in the JSON mapping: "2026-12-01T00:00:00Z".
    google::protobuf::Timestamp time;
    if (!google::protobuf::util::TimeUtil::FromString(std::string(value), &time)) {
      // A '+' in a query string means a space, so "+00:00" arrives as " 00:00".
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter \"", shown, "\": \"", value,
                       "\" is not an RFC 3339 time such as 2026-12-01T00:00:00Z (write a '+' "
                       "offset as %2B)"));
    }
    reflection.MutableMessage(&message, field)->CopyFrom(time);
    return absl::OkStatus();
  }
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string text(value);
      // Bytes in text are base64, standard or URL-safe, as in the JSON mapping.
      if (field->type() == FieldDescriptor::TYPE_BYTES && !absl::Base64Unescape(value, &text) &&
          !absl::WebSafeBase64Unescape(value, &text)) {
        return BadValue(shown, *field, value);
      }
      repeated ? reflection.AddString(&message, field, std::move(text))
               : reflection.SetString(&message, field, std::move(text));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) return BadValue(shown, *field, value);
      repeated ? reflection.AddInt32(&message, field, number)
               : reflection.SetInt32(&message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) return BadValue(shown, *field, value);
      repeated ? reflection.AddInt64(&message, field, number)
               : reflection.SetInt64(&message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      uint32_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) return BadValue(shown, *field, value);
      repeated ? reflection.AddUInt32(&message, field, number)
               : reflection.SetUInt32(&message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      uint64_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) return BadValue(shown, *field, value);
      repeated ? reflection.AddUInt64(&message, field, number)
               : reflection.SetUInt64(&message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool flag = false;
      if (value == "true") {
        flag = true;
      } else if (value != "false") {
        return BadValue(shown, *field, value);
      }
      repeated ? reflection.AddBool(&message, field, flag)
               : reflection.SetBool(&message, field, flag);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double number = 0;
      if (!absl::SimpleAtod(value, &number)) return BadValue(shown, *field, value);
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        repeated ? reflection.AddFloat(&message, field, static_cast<float>(number))
                 : reflection.SetFloat(&message, field, static_cast<float>(number));
      } else {
        repeated ? reflection.AddDouble(&message, field, number)
                 : reflection.SetDouble(&message, field, number);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const google::protobuf::EnumValueDescriptor* enum_value =
          field->enum_type()->FindValueByName(std::string(value));
      int number = 0;
      if (enum_value == nullptr && absl::SimpleAtoi(value, &number)) {
        enum_value = field->enum_type()->FindValueByNumber(number);
      }
      if (enum_value == nullptr) return BadValue(shown, *field, value);
      repeated ? reflection.AddEnum(&message, field, enum_value)
               : reflection.SetEnum(&message, field, enum_value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown query parameter \"", shown, "\""));
}

}  // namespace

absl::Status SetFieldFromText(Message& message, absl::string_view name, absl::string_view value) {
  return SetFieldAt(message, name, value, name);
}

absl::StatusOr<Transcoder> Transcoder::ForRoute(const Route& route) {
  const std::string name = DescriptorNameOf(route.rpc);
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
  if (method == nullptr) {
    return absl::NotFoundError(absl::StrCat("route ", route.path, ": no method ", name,
                                            " in the generated descriptor pool"));
  }
  if (method->client_streaming() || method->server_streaming()) {
    return absl::InvalidArgumentError(
        absl::StrCat("route ", route.path, ": ", name, " streams; REST routes map unary methods"));
  }
  const auto scalar = [&](absl::string_view name, bool bytes) {
    const FieldDescriptor* field = FieldAtPath(*method->input_type(), name);
    return field != nullptr && !field->is_repeated() &&
           field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE &&
           (!bytes || field->type() == FieldDescriptor::TYPE_BYTES);
  };
  for (const Binding& binding : route.bindings) {
    if (!scalar(binding.field, false)) {
      return absl::InvalidArgumentError(absl::StrCat("route ", route.path, ": binding field ",
                                                     binding.field, " is not a scalar field of ",
                                                     method->input_type()->full_name()));
    }
  }
  for (const HeaderBinding& binding : route.header_bindings) {
    if (!scalar(binding.field, false)) {
      return absl::InvalidArgumentError(absl::StrCat("route ", route.path, ": header field ",
                                                     binding.field, " is not a scalar field"));
    }
  }
  if (!route.raw.request_field.empty() && (route.body || !scalar(route.raw.request_field, true))) {
    return absl::InvalidArgumentError(
        absl::StrCat("route ", route.path, ": raw request field ", route.raw.request_field,
                     " must be a bytes field, on a route whose body is not JSON"));
  }
  if (!route.raw.response_field.empty()) {
    const FieldDescriptor* field =
        method->output_type()->FindFieldByName(std::string(route.raw.response_field));
    if (field == nullptr || field->is_repeated() || field->type() != FieldDescriptor::TYPE_BYTES) {
      return absl::InvalidArgumentError(absl::StrCat("route ", route.path, ": raw response field ",
                                                     route.raw.response_field,
                                                     " is not a bytes field"));
    }
  }
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  return Transcoder(route, method, factory->GetPrototype(method->input_type()),
                    factory->GetPrototype(method->output_type()));
}

absl::Status Transcoder::ApplyBindings(const http::Request& request, Message& message) const {
  for (const Binding& binding : route_->bindings) {
    std::string value(binding.value_template);
    for (const auto& [name, raw] : request.path_params) {
      // A value holding '/' (sent as %2F) would name another resource: refuse it.
      if (raw.empty() || raw.size() > kPathValueBytesMax || raw.find('/') != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat("path parameter {", name, "} must be 1 to ",
                                                       kPathValueBytesMax,
                                                       " characters without '/'"));
      }
      if (!kit::IsUtf8(raw)) return NotUtf8(absl::StrCat("path parameter {", name, "}"));
      absl::StrReplaceAll({{absl::StrCat("{", name, "}"), raw}}, &value);
    }
    // Strings as they are, numbers parsed; a dotted field ("price.name") is made on the
    // way down.
    if (absl::Status s = SetFieldFromText(message, binding.field, value); !s.ok()) return s;
  }
  for (const HeaderBinding& binding : route_->header_bindings) {
    const std::optional<std::string_view> value = request.Header(http::FromAbsl(binding.header));
    if (!value.has_value()) continue;
    if (absl::Status s = SetFieldFromText(message, binding.field, http::ToAbsl(*value)); !s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("header ", binding.header, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Message>> Transcoder::ParseRequest(
    const http::Request& request) const {
  std::unique_ptr<Message> message(request_prototype_->New());
  if (!route_->raw.request_field.empty()) {
    message->GetReflection()->SetString(
        message.get(),
        message->GetDescriptor()->FindFieldByName(std::string(route_->raw.request_field)),
        request.body);
    if (absl::Status bound = ApplyBindings(request, *message); !bound.ok()) return bound;
    return message;
  }
  const bool has_body = !absl::StripAsciiWhitespace(http::ToAbsl(request.body)).empty();
  if (has_body && !route_->body) {
    return absl::InvalidArgumentError(
        absl::StrCat(route_->http_method, " ", route_->path, " takes no request body"));
  }
  if (has_body) {
    if (absl::Status once = CheckNoDuplicateKeys(http::ToAbsl(request.body)); !once.ok()) {
      return once;
    }
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto parsed =
        google::protobuf::util::JsonStringToMessage(request.body, message.get(), options);
    if (!parsed.ok()) {
      return BodyError(absl::string_view(parsed.message().data(), parsed.message().size()),
                       *message->GetDescriptor());
    }
  }
  for (const auto& [name, value] : request.query) {
    if (!kit::IsUtf8(name)) return NotUtf8("the name of a query parameter");
    if (!kit::IsUtf8(value)) return NotUtf8(absl::StrCat("query parameter \"", name, "\""));
    if (absl::Status set = SetFieldFromText(*message, name, value); !set.ok()) return set;
  }
  // Path parameters last: the path names the resource, whatever the body says.
  if (absl::Status bound = ApplyBindings(request, *message); !bound.ok()) return bound;
  return message;
}

std::unique_ptr<Message> Transcoder::NewResponse() const {
  return std::unique_ptr<Message>(response_prototype_->New());
}

absl::StatusOr<std::string> Transcoder::RenderJson(const Message& response) {
  absl::StatusOr<std::string> json = PrintJson(response);
  if (!json.ok()) {
    return absl::InternalError(absl::StrCat("cannot render ", response.GetDescriptor()->name(),
                                            " as JSON: ", json.status().message()));
  }
  return json;
}

}  // namespace bitcontent::gateway
