#include "services/gateway/openapi.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/scopes.h"
#include "services/gateway/routes.h"

namespace bitcontent::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Value;

Value Text(absl::string_view text) {
  Value value;
  value.set_string_value(std::string(text));
  return value;
}

Value Flag(bool flag) {
  Value value;
  value.set_bool_value(flag);
  return value;
}

// {key: value, ...} built field by field.
class Object {
 public:
  Object& Set(absl::string_view key, Value value) {
    (*value_.mutable_struct_value()->mutable_fields())[std::string(key)] = std::move(value);
    return *this;
  }
  Object& Set(absl::string_view key, absl::string_view text) { return Set(key, Text(text)); }
  Object& Set(absl::string_view key, const char* text) { return Set(key, Text(text)); }
  Object& Set(absl::string_view key, Object object) { return Set(key, object.Build()); }
  Value Build() {
    if (!value_.has_struct_value()) value_.mutable_struct_value();
    return std::move(value_);
  }

 private:
  Value value_;
};

Value List(std::vector<Value> items) {
  Value value;
  for (Value& item : items) *value.mutable_list_value()->add_values() = std::move(item);
  if (!value.has_list_value()) value.mutable_list_value();
  return value;
}

Value Ref(absl::string_view schema) {
  return Object().Set("$ref", absl::StrCat("#/components/schemas/", schema)).Build();
}

// Collects the schemas the document references, each message once.
class Schemas {
 public:
  // A reference to `descriptor`'s schema, adding it (and what it uses) when new.
  Value RefTo(const Descriptor& descriptor) {
    if (seen_.insert(descriptor.full_name()).second) Add(descriptor);
    return Ref(descriptor.full_name());
  }

  Object& all() { return schemas_; }

 private:
  void Add(const Descriptor& descriptor) {
    Object properties;
    for (int i = 0; i < descriptor.field_count(); ++i) {
      const FieldDescriptor& field = *descriptor.field(i);
      properties.Set(field.json_name(), FieldSchema(field));
    }
    schemas_.Set(descriptor.full_name(),
                 Object().Set("type", "object").Set("properties", std::move(properties)));
  }

  Value FieldSchema(const FieldDescriptor& field) {
    if (field.is_map()) {
      return Object()
          .Set("type", "object")
          .Set("additionalProperties", SingleSchema(*field.message_type()->map_value()))
          .Build();
    }
    if (field.is_repeated()) {
      return Object().Set("type", "array").Set("items", SingleSchema(field)).Build();
    }
    return SingleSchema(field);
  }

  Value SingleSchema(const FieldDescriptor& field) {
    switch (field.type()) {
      case FieldDescriptor::TYPE_STRING:
        return Object().Set("type", "string").Build();
      case FieldDescriptor::TYPE_BYTES:
        return Object().Set("type", "string").Set("format", "byte").Build();
      case FieldDescriptor::TYPE_BOOL:
        return Object().Set("type", "boolean").Build();
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT:
        return Object().Set("type", "number").Build();
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
        // The JSON mapping writes 64-bit integers as strings.
        return Object().Set("type", "string").Set("format", "int64").Build();
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        return Object().Set("type", "string").Set("format", "uint64").Build();
      case FieldDescriptor::TYPE_ENUM: {
        std::vector<Value> names;
        names.reserve(static_cast<size_t>(field.enum_type()->value_count()));
        for (int i = 0; i < field.enum_type()->value_count(); ++i) {
          names.push_back(Text(field.enum_type()->value(i)->name()));
        }
        return Object().Set("type", "string").Set("enum", List(std::move(names))).Build();
      }
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        return MessageSchema(*field.message_type());
      default:
        return Object().Set("type", "integer").Set("format", "int32").Build();
    }
  }

  Value MessageSchema(const Descriptor& descriptor) {
    const std::string& name = descriptor.full_name();
    if (name == "google.protobuf.Timestamp") {
      return Object().Set("type", "string").Set("format", "date-time").Build();
    }
    if (name == "google.protobuf.Duration") {
      return Object().Set("type", "string").Set("example", "1.5s").Build();
    }
    if (name == "google.protobuf.Struct" || name == "google.protobuf.Any") {
      return Object().Set("type", "object").Build();
    }
    return RefTo(descriptor);
  }

  std::set<std::string> seen_;
  Object schemas_;
};

// "{user}" and "{session}:revoke" segments -> their names.
std::vector<std::string> PathParameters(absl::string_view path) {
  std::vector<std::string> names;
  for (size_t open = path.find('{'); open != absl::string_view::npos;
       open = path.find('{', open + 1)) {
    const size_t close = path.find('}', open);
    if (close == absl::string_view::npos) break;
    names.emplace_back(path.substr(open + 1, close - open - 1));
  }
  return names;
}

// The query parameters `field` of a request can be set by (transcoder.h): a scalar or a
// timestamp by its own name, the scalars and timestamps of a message one level down by
// dotted names ("timeRange.startTime").
std::vector<std::string> QueryNamesOf(const FieldDescriptor& field) {
  const auto timestamp = [](const FieldDescriptor& f) {
    return f.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
           f.message_type()->full_name() == "google.protobuf.Timestamp";
  };
  if (field.is_map()) return {};
  if (field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return {field.json_name()};
  if (field.is_repeated()) return {};
  if (timestamp(field)) return {field.json_name()};
  std::vector<std::string> names;
  const Descriptor& nested = *field.message_type();
  for (int i = 0; i < nested.field_count(); ++i) {
    const FieldDescriptor& inner = *nested.field(i);
    if (inner.is_map() || (inner.is_repeated() && timestamp(inner))) continue;
    if (inner.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || timestamp(inner)) {
      names.push_back(absl::StrCat(field.json_name(), ".", inner.json_name()));
    }
  }
  return names;
}

absl::string_view AccessName(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kMember:
      return "member";
    case Access::kOperator:
      return "operator";
    case Access::kPublicOrMember:
      return "public-or-member";
  }
  return "member";
}

Value ErrorSchema() {
  return Object()
      .Set("type", "object")
      .Set("properties",
           Object()
               .Set("code", Object().Set("type", "integer").Set("description", "gRPC status code"))
               .Set("message", Object().Set("type", "string"))
               .Set("details",
                    Object().Set("type", "array").Set("items", Object().Set("type", "object")))
               .Set("request_id", Object().Set("type", "string")))
      .Build();
}

// Raw bytes: file chunks, sealed.
Value BytesContent() {
  return Object()
      .Set("application/octet-stream",
           Object().Set("schema", Object().Set("type", "string").Set("format", "binary")))
      .Build();
}

Value JsonContent(Value schema) {
  return Object().Set("application/json", Object().Set("schema", std::move(schema))).Build();
}

absl::StatusOr<Value> Operation(const Route& route, Schemas& schemas) {
  Object operation;
  operation.Set("summary", route.summary);
  std::vector<Value> parameters;
  for (const std::string& name : PathParameters(route.path)) {
    parameters.push_back(Object()
                             .Set("name", name)
                             .Set("in", "path")
                             .Set("required", Flag(true))
                             .Set("schema", Object().Set("type", "string"))
                             .Build());
  }
  Value success = Object().Set("type", "object").Build();
  if (route.builtin == Builtin::kNone) {
    const auto* method = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
        DescriptorNameOf(route.rpc));
    if (method == nullptr) {
      return absl::NotFoundError(absl::StrCat("no method ", route.rpc, " for ", route.path));
    }
    operation.Set("operationId", absl::StrCat(method->service()->name(), ".", method->name()));
    operation.Set("x-grpc-method", route.rpc);
    for (const HeaderBinding& header : route.header_bindings) {
      parameters.push_back(Object()
                               .Set("name", header.header)
                               .Set("in", "header")
                               .Set("schema", Object().Set("type", "string"))
                               .Build());
    }
    if (!route.raw.request_field.empty()) {
      schemas.RefTo(*method->input_type());
      operation.Set("requestBody",
                    Object().Set("required", Flag(true)).Set("content", BytesContent()));
    } else if (route.body) {
      operation.Set("requestBody",
                    Object()
                        .Set("required", Flag(true))
                        .Set("content", JsonContent(schemas.RefTo(*method->input_type()))));
    } else {
      schemas.RefTo(*method->input_type());
      const Descriptor& input = *method->input_type();
      for (int i = 0; i < input.field_count(); ++i) {
        const FieldDescriptor& field = *input.field(i);
        bool bound = false;
        for (const Binding& binding : route.bindings) {
          bound = bound || binding.field == field.name();
        }
        for (const HeaderBinding& header : route.header_bindings) {
          bound = bound || header.field == field.name();
        }
        if (bound) continue;
        for (const std::string& name : QueryNamesOf(field)) {
          parameters.push_back(Object()
                                   .Set("name", name)
                                   .Set("in", "query")
                                   .Set("schema", Object().Set("type", "string"))
                                   .Build());
        }
      }
    }
    success = schemas.RefTo(*method->output_type());
  } else {
    operation.Set("operationId", route.builtin == Builtin::kStatus     ? "Gateway.Status"
                                 : route.builtin == Builtin::kOpenApi  ? "Gateway.OpenApi"
                                 : route.builtin == Builtin::kLinkPage ? "Gateway.LinkPage"
                                                                       : "Gateway.BlobDownload");
  }
  operation.Set("parameters", List(std::move(parameters)));
  operation.Set("responses",
                Object()
                    .Set("200", Object()
                                    .Set("description", "OK")
                                    .Set("content", route.raw.response_field.empty()
                                                        ? JsonContent(std::move(success))
                                                        : BytesContent()))
                    .Set("default", Object()
                                        .Set("description", "An error, in the one error shape")
                                        .Set("content", JsonContent(Ref("Error")))));
  // An optional token is OpenAPI's empty requirement next to the bearer one.
  std::vector<Value> security;
  if (route.auth.access == Access::kPublicOrMember) security.push_back(Object().Build());
  if (route.auth.access != Access::kPublic) {
    security.push_back(Object().Set("bearerAuth", List({})).Build());
  }
  operation.Set("security", List(std::move(security)));
  operation.Set("x-bitcontent-access", AccessName(route.auth.access));
  operation.Set("x-bitcontent-api-keys", Flag(route.auth.api_keys));
  if (route.auth.api_keys && route.auth.scope != common::v1::SCOPE_UNSPECIFIED) {
    operation.Set("x-bitcontent-scope", auth::ScopeName(route.auth.scope));
  }
  return operation.Build();
}

}  // namespace

absl::StatusOr<std::string> OpenApiDocument(const std::vector<Route>& routes) {
  Schemas schemas;
  schemas.all().Set("Error", ErrorSchema());
  Object paths;
  std::map<std::string, Object> by_path;
  for (const Route& route : routes) {
    if (route.http_method.empty()) continue;  // Public gRPC only.
    absl::StatusOr<Value> operation = Operation(route, schemas);
    if (!operation.ok()) return operation.status();
    by_path[std::string(route.path)].Set(absl::AsciiStrToLower(route.http_method),
                                         *std::move(operation));
  }
  for (auto& [path, operations] : by_path) paths.Set(path, std::move(operations));

  Value document =
      Object()
          .Set("openapi", "3.0.3")
          .Set("info", Object()
                           .Set("title", "BitContent public API")
                           .Set("version", "v1")
                           .Set("description",
                                "REST by the proto3 JSON mapping; errors are {code, message, "
                                "details, request_id} with the gRPC code."))
          .Set("paths", std::move(paths))
          .Set("components",
               Object()
                   .Set("securitySchemes",
                        Object().Set(
                            "bearerAuth",
                            Object()
                                .Set("type", "http")
                                .Set("scheme", "bearer")
                                .Set("description", "An access token, or an API key (bck_...)")))
                   .Set("schemas", std::move(schemas.all())))
          .Build();
  std::string json;
  const auto printed = google::protobuf::util::MessageToJsonString(document, &json);
  if (!printed.ok()) return absl::InternalError("cannot render the OpenAPI document");
  return json;
}

}  // namespace bitcontent::gateway
