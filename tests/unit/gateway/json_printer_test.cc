// The gateway's fast JSON printer must write exactly what protobuf's own printer writes
// (the proto3 JSON mapping), for the contracts' messages and for every field type.
#include "services/gateway/json_printer.h"

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/common/v1/errors.pb.h"

namespace bitcontent::gateway {
namespace {

using google::protobuf::Message;

void CheckSameAsProtobuf(const Message& message) {
  std::string expected;
  REQUIRE(google::protobuf::util::MessageToJsonString(message, &expected).ok());
  absl::StatusOr<std::string> printed = PrintJson(message);
  INFO(message.DebugString());
  REQUIRE(printed.ok());
  CHECK(*printed == expected);
}

TEST_CASE("gateway JSON printer matches protobuf on the contracts' messages", "[gateway][json]") {
  CheckSameAsProtobuf(accounts::v1::LogoutResponse());

  accounts::v1::LoginResponse login;
  login.mutable_user()->set_name("users/01HX");
  login.mutable_user()->set_email(
      "\"ada\"\n\\ <\xc3\xa9> \x01 \x7f \xe2\x80\xa8 \xc2\xad \xf0\x9f\x98\x80 & = '");
  login.mutable_user()->set_state(accounts::v1::USER_STATE_ACTIVE);
  login.mutable_user()->set_operator_(true);
  login.mutable_user()->set_public_key(std::string("\x00\xff\x10", 3));
  login.mutable_user()->mutable_create_time()->set_seconds(1700000000);
  login.mutable_user()->mutable_create_time()->set_nanos(120000000);
  login.mutable_tokens()->set_access_token("token");
  login.mutable_tokens()->mutable_access_token_expire_time()->set_seconds(1700000900);
  login.mutable_tokens()->mutable_access_token_expire_time()->set_nanos(1500);
  login.mutable_key_bundle()->mutable_kdf_params()->set_ops_limit(3);
  login.mutable_key_bundle()->mutable_kdf_params()->set_mem_limit_bytes(uint64_t{1} << 40);
  CheckSameAsProtobuf(login);

  accounts::v1::ListSessionsResponse sessions;
  for (int i = 0; i < 3; ++i) {
    accounts::v1::Session* session = sessions.add_sessions();
    session->set_name("users/u/sessions/" + std::to_string(i));
    session->set_current(i == 1);
    session->mutable_create_time()->set_nanos(123456);
  }
  CheckSameAsProtobuf(sessions);

  common::v1::ErrorDetails details;
  details.set_reason(common::v1::ERROR_REASON_QUOTA_EXCEEDED);
  (*details.mutable_metadata())["required_bytes"] = "10";
  (*details.mutable_metadata())["available_bytes"] = "5";
  details.add_field_violations()->set_field("email");
  CheckSameAsProtobuf(details);

  // An enum value this build does not know prints as its number.
  accounts::v1::User future;
  future.set_state(static_cast<accounts::v1::UserState>(42));
  CheckSameAsProtobuf(future);
}

TEST_CASE("gateway JSON printer matches protobuf on well-known types", "[gateway][json]") {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(-62135596800);
  CheckSameAsProtobuf(timestamp);
  timestamp.set_seconds(253402300799);
  timestamp.set_nanos(999999999);
  CheckSameAsProtobuf(timestamp);

  google::protobuf::Duration duration;
  duration.set_seconds(-3);
  duration.set_nanos(-500000000);
  CheckSameAsProtobuf(duration);
  duration.set_seconds(0);
  duration.set_nanos(-1000);
  CheckSameAsProtobuf(duration);

  google::protobuf::Value value;
  value.mutable_struct_value()->mutable_fields()->operator[]("n").set_number_value(1.5);
  CheckSameAsProtobuf(value);

  timestamp.set_seconds(253402300800);  // Year 10000: out of range for both printers.
  CHECK_FALSE(PrintJson(timestamp).ok());
}

// A message of every scalar type, repeated fields and maps, built at run time.
TEST_CASE("gateway JSON printer matches protobuf on every field type", "[gateway][json]") {
  google::protobuf::FileDescriptorProto file;
  file.set_name("json_printer_test.proto");
  file.set_package("test");
  file.set_syntax("proto3");
  file.add_dependency("google/protobuf/duration.proto");
  google::protobuf::DescriptorProto* all = file.add_message_type();
  all->set_name("All");
  int number = 0;
  const auto add = [&](const char* name, google::protobuf::FieldDescriptorProto::Type type,
                       bool repeated = false) {
    auto* field = all->add_field();
    field->set_name(name);
    field->set_number(++number);
    field->set_type(type);
    field->set_label(repeated ? google::protobuf::FieldDescriptorProto::LABEL_REPEATED
                              : google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
    return field;
  };
  using Type = google::protobuf::FieldDescriptorProto;
  add("a_double", Type::TYPE_DOUBLE);
  add("a_float", Type::TYPE_FLOAT);
  add("an_int32", Type::TYPE_INT32);
  add("a_sint64", Type::TYPE_SINT64);
  add("a_fixed64", Type::TYPE_FIXED64);
  add("a_uint32", Type::TYPE_UINT32);
  add("doubles", Type::TYPE_DOUBLE, true);
  add("flags", Type::TYPE_BOOL, true);
  add("a_duration", Type::TYPE_MESSAGE)->set_type_name(".google.protobuf.Duration");
  auto* entry = all->add_nested_type();
  entry->set_name("ByNumberEntry");
  entry->mutable_options()->set_map_entry(true);
  auto* key = entry->add_field();
  key->set_name("key");
  key->set_number(1);
  key->set_type(Type::TYPE_INT32);
  key->set_label(Type::LABEL_OPTIONAL);
  auto* value = entry->add_field();
  value->set_name("value");
  value->set_number(2);
  value->set_type(Type::TYPE_STRING);
  value->set_label(Type::LABEL_OPTIONAL);
  add("by_number", Type::TYPE_MESSAGE, true)->set_type_name(".test.All.ByNumberEntry");

  google::protobuf::DescriptorPool pool(google::protobuf::DescriptorPool::generated_pool());
  const google::protobuf::FileDescriptor* built = pool.BuildFile(file);
  REQUIRE(built != nullptr);
  google::protobuf::DynamicMessageFactory factory(&pool);
  std::unique_ptr<Message> message(factory.GetPrototype(built->message_type(0))->New());
  const google::protobuf::Reflection& r = *message->GetReflection();
  const google::protobuf::Descriptor& d = *message->GetDescriptor();
  CheckSameAsProtobuf(*message);

  r.SetDouble(message.get(), d.FindFieldByName("a_double"), 0.1);
  r.SetFloat(message.get(), d.FindFieldByName("a_float"), 3.25f);
  r.SetInt32(message.get(), d.FindFieldByName("an_int32"), -7);
  r.SetInt64(message.get(), d.FindFieldByName("a_sint64"), std::numeric_limits<int64_t>::min());
  r.SetUInt64(message.get(), d.FindFieldByName("a_fixed64"), std::numeric_limits<uint64_t>::max());
  r.SetUInt32(message.get(), d.FindFieldByName("a_uint32"), 4000000000u);
  for (double x : {1e300, -0.0, std::nan(""), std::numeric_limits<double>::infinity(), 2.5}) {
    r.AddDouble(message.get(), d.FindFieldByName("doubles"), x);
  }
  r.AddBool(message.get(), d.FindFieldByName("flags"), true);
  r.AddBool(message.get(), d.FindFieldByName("flags"), false);
  Message* duration = r.MutableMessage(message.get(), d.FindFieldByName("a_duration"));
  duration->GetReflection()->SetInt64(duration, duration->GetDescriptor()->FindFieldByNumber(1),
                                      90);
  Message* pair = r.AddMessage(message.get(), d.FindFieldByName("by_number"));
  pair->GetReflection()->SetInt32(pair, pair->GetDescriptor()->FindFieldByName("key"), -4);
  pair->GetReflection()->SetString(pair, pair->GetDescriptor()->FindFieldByName("value"), "four");
  CheckSameAsProtobuf(*message);
}

}  // namespace
}  // namespace bitcontent::gateway
