// The C++ result enums equal the proto enums, value for value and name for name.
#include "libs/ledger/results.h"

#include <catch2/catch.hpp>
#include <string>

#include "bitcontent/wallet/v1/ledger.pb.h"
#include "libs/ledger/transfer.h"

namespace bitcontent::ledger {
namespace {

namespace pb = ::bitcontent::wallet::v1;

template <typename Cpp>
void ExpectSameEnum(const google::protobuf::EnumDescriptor* descriptor, const std::string& prefix,
                    int cpp_max) {
  int proto_max = 0;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
    proto_max = std::max(proto_max, value->number());
    const std::string name = value->name().substr(prefix.size());
    INFO(value->name());
    CHECK(std::string(ResultName(static_cast<Cpp>(value->number()))) == name);
  }
  CHECK(proto_max == cpp_max);
  CHECK(descriptor->value_count() == cpp_max + 1);
}

TEST_CASE("CreateAccountResult equals the proto enum value for value", "[ledger]") {
  ExpectSameEnum<CreateAccountResult>(pb::CreateAccountResult_descriptor(),
                                      "CREATE_ACCOUNT_RESULT_",
                                      static_cast<int>(CreateAccountResult::kExists));
  CHECK(static_cast<int>(CreateAccountResult::kOk) == pb::CREATE_ACCOUNT_RESULT_OK);
  CHECK(static_cast<int>(CreateAccountResult::kExistsWithDifferentCode) ==
        pb::CREATE_ACCOUNT_RESULT_EXISTS_WITH_DIFFERENT_CODE);
}

TEST_CASE("CreateTransferResult equals the proto enum value for value", "[ledger]") {
  ExpectSameEnum<CreateTransferResult>(pb::CreateTransferResult_descriptor(),
                                       "CREATE_TRANSFER_RESULT_",
                                       static_cast<int>(CreateTransferResult::kExceedsDebits));
  CHECK(static_cast<int>(CreateTransferResult::kIdAlreadyFailed) ==
        pb::CREATE_TRANSFER_RESULT_ID_ALREADY_FAILED);
  CHECK(static_cast<int>(CreateTransferResult::kExceedsCredits) ==
        pb::CREATE_TRANSFER_RESULT_EXCEEDS_CREDITS);
}

TEST_CASE("TransferEventType equals the proto enum", "[ledger]") {
  CHECK(static_cast<int>(TransferEventType::kCreated) == pb::TRANSFER_EVENT_TYPE_CREATED);
  CHECK(static_cast<int>(TransferEventType::kExpired) == pb::TRANSFER_EVENT_TYPE_EXPIRED);
  CHECK(pb::TransferEventType_descriptor()->value_count() == 3);
}

}  // namespace
}  // namespace bitcontent::ledger
