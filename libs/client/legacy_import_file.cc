#include "libs/client/legacy_import_file.h"

#include <google/protobuf/util/time_util.h>

#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace bitcontent::client {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

// The string value of `key`; "" when absent. An error text when it is not a string.
std::string StringField(simdjson::dom::object object, const char* key, std::string* value) {
  simdjson::dom::element element;
  if (object[key].get(element) != simdjson::SUCCESS) return "";
  std::string_view text;
  if (element.get_string().get(text) != simdjson::SUCCESS) {
    return absl::StrCat(key, ": must be a string");
  }
  value->assign(text);
  return "";
}

// legacy_id as text: a string, or a non-negative integer written in decimal.
std::string LegacyIdField(simdjson::dom::object object, std::string* value) {
  simdjson::dom::element element;
  if (object["legacy_id"].get(element) != simdjson::SUCCESS) return "";
  uint64_t number = 0;
  if (element.get_uint64().get(number) == simdjson::SUCCESS) {
    *value = absl::StrCat(number);
    return "";
  }
  std::string_view text;
  if (element.get_string().get(text) != simdjson::SUCCESS) {
    return "legacy_id: must be a string or a non-negative integer";
  }
  value->assign(text);
  return "";
}

// `created` as a timestamp: RFC 3339, or YYYY-MM-DD for midnight UTC.
std::string CreatedField(simdjson::dom::object object, accounts::v1::LegacyAccount* account) {
  std::string text;
  if (std::string error = StringField(object, "created", &text); !error.empty()) return error;
  if (text.empty()) return "";
  if (text.size() == 10) text += "T00:00:00Z";
  if (!TimeUtil::FromString(text, account->mutable_legacy_create_time())) {
    account->clear_legacy_create_time();
    return "created: must be an RFC 3339 time such as 2014-05-01T12:00:00Z, or a date "
           "such as 2014-05-01";
  }
  return "";
}

}  // namespace

bool LegacyImportReader::NextBatch(size_t lines_max,
                                   accounts::v1::ImportLegacyAccountsRequest* batch) {
  batch->Clear();
  size_t lines = 0;
  while (lines < lines_max && std::getline(*input_, line_)) {
    ++line_number_;
    absl::string_view text = line_;
    if (line_number_ == 1) absl::ConsumePrefix(&text, kUtf8ByteOrderMark);
    if (absl::StripAsciiWhitespace(text).empty()) continue;
    ParseLine(std::string(text), batch);
    ++lines;
  }
  return lines > 0;
}

absl::Status LegacyImportReader::status() const {
  if (input_->bad()) return absl::DataLossError("reading the import file failed");
  return absl::OkStatus();
}

void LegacyImportReader::ParseLine(const std::string& line,
                                   accounts::v1::ImportLegacyAccountsRequest* batch) {
  const auto unparsed = [&](std::string error) {
    accounts::v1::UnparsedLine* entry = batch->add_unparsed_lines();
    entry->set_line_number(line_number_);
    entry->set_error(std::move(error));
  };
  if (line.size() > kImportLineBytesMax) {
    return unparsed(absl::StrCat("the line is longer than ", kImportLineBytesMax, " bytes"));
  }
  simdjson::dom::element document;
  if (simdjson::error_code error = parser_.parse(line).get(document); error != simdjson::SUCCESS) {
    return unparsed(absl::StrCat("not valid JSON (", simdjson::error_message(error), ")"));
  }
  simdjson::dom::object object;
  if (document.get_object().get(object) != simdjson::SUCCESS) {
    return unparsed("not a JSON object; each line must be one {\"email\": ..., ...} object");
  }
  accounts::v1::LegacyAccount account;
  account.set_line_number(line_number_);
  for (std::string error :
       {StringField(object, "email", account.mutable_email()),
        LegacyIdField(object, account.mutable_legacy_id()), CreatedField(object, &account)}) {
    if (!error.empty()) return unparsed(std::move(error));
  }
  *batch->add_accounts() = std::move(account);
}

}  // namespace bitcontent::client
