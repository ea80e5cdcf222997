#include "services/gateway/json_printer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/strutil.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace bitcontent::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Nesting deeper than this is refused, as protobuf's printer refuses it.
constexpr int kDepthMax = 100;
// Timestamps protobuf accepts: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr int64_t kTimestampSecondsMin = -62135596800;
constexpr int64_t kTimestampSecondsMax = 253402300799;
constexpr int64_t kDurationSecondsMax = 315576000000;

// Code points protobuf's printer writes as \uXXXX although JSON allows them raw:
// invisible formatting characters and the JavaScript line terminators U+2028/U+2029.
bool EscapedCodePoint(uint32_t c) {
  return c == 0xAD || (c >= 0x600 && c <= 0x603) || c == 0x6DD || c == 0x70F || c == 0x17B4 ||
         c == 0x17B5 || (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF ||
         (c >= 0xFFF9 && c <= 0xFFFB);
}

// Appends `text` as a JSON string the way protobuf does: HTML-safe ('<' and '>' as
// \u003c and \u003e), control characters and DEL escaped. Proto3 strings are valid
// UTF-8 (protobuf checks on parse), so multi-byte sequences are decoded only to find
// the few code points above.
void AppendString(std::string& out, absl::string_view text) {
  out.push_back('"');
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '<':
      case '>':
      case 0x7f:
        absl::StrAppendFormat(&out, "\\u%04x", c);
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", c);
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      uint32_t code_point = c & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F);
      for (size_t k = 1; k < length && i + k < text.size(); ++k) {
        code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
      }
      if (EscapedCodePoint(code_point)) {
        absl::StrAppendFormat(&out, "\\u%04x", code_point);
      } else {
        out.append(text.data() + i, std::min(length, text.size() - i));
      }
      i += length - 1;
    }
  }
  out.push_back('"');
}

// The fraction of a second as protobuf writes it: none, or 3, 6 or 9 digits.
void AppendNanos(std::string& out, int32_t nanos) {
  if (nanos == 0) return;
  if (nanos % 1000000 == 0) {
    absl::StrAppendFormat(&out, ".%03d", nanos / 1000000);
  } else if (nanos % 1000 == 0) {
    absl::StrAppendFormat(&out, ".%06d", nanos / 1000);
  } else {
    absl::StrAppendFormat(&out, ".%09d", nanos);
  }
}

class Printer {
 public:
  explicit Printer(std::string& out) : out_(out) {}

  absl::Status PrintMessage(const Message& message, int depth) {
    if (depth > kDepthMax) return absl::InvalidArgumentError("message nested too deeply");
    const Descriptor& descriptor = *message.GetDescriptor();
    if (descriptor.file()->name().rfind("google/protobuf/", 0) == 0) {
      return PrintWellKnown(message);
    }
    const Reflection& reflection = *message.GetReflection();
    std::vector<const FieldDescriptor*> fields;
    reflection.ListFields(message, &fields);
    out_.push_back('{');
    bool first = true;
    for (const FieldDescriptor* field : fields) {
      if (field->is_extension()) continue;
      if (!first) out_.push_back(',');
      first = false;
      AppendString(out_, field->json_name());
      out_.push_back(':');
      absl::Status printed = field->is_map()        ? PrintMap(message, *field, depth)
                             : field->is_repeated() ? PrintList(message, *field, depth)
                                                    : PrintValue(message, *field, -1, depth);
      if (!printed.ok()) return printed;
    }
    out_.push_back('}');
    return absl::OkStatus();
  }

 private:
  absl::Status PrintList(const Message& message, const FieldDescriptor& field, int depth) {
    const int size = message.GetReflection()->FieldSize(message, &field);
    out_.push_back('[');
    for (int i = 0; i < size; ++i) {
      if (i > 0) out_.push_back(',');
      if (absl::Status printed = PrintValue(message, field, i, depth); !printed.ok()) {
        return printed;
      }
    }
    out_.push_back(']');
    return absl::OkStatus();
  }

  absl::Status PrintMap(const Message& message, const FieldDescriptor& field, int depth) {
    const Reflection& reflection = *message.GetReflection();
    const int size = reflection.FieldSize(message, &field);
    const FieldDescriptor& key = *field.message_type()->map_key();
    const FieldDescriptor& value = *field.message_type()->map_value();
    out_.push_back('{');
    for (int i = 0; i < size; ++i) {
      if (i > 0) out_.push_back(',');
      const Message& entry = reflection.GetRepeatedMessage(message, &field, i);
      // Keys are strings in JSON: print the scalar, quoting it when it is not one.
      std::string key_text;
      Printer key_printer(key_text);
      if (absl::Status printed = key_printer.PrintValue(entry, key, -1, depth); !printed.ok()) {
        return printed;
      }
      if (key_text.front() == '"') {
        out_ += key_text;
      } else {
        AppendString(out_, key_text);
      }
      out_.push_back(':');
      if (absl::Status printed = PrintValue(entry, value, -1, depth + 1); !printed.ok()) {
        return printed;
      }
    }
    out_.push_back('}');
    return absl::OkStatus();
  }

  // One value of `field`: the singular one (index -1) or element `index`.
  absl::Status PrintValue(const Message& message, const FieldDescriptor& field, int index,
                          int depth) {
    const Reflection& r = *message.GetReflection();
    const bool single = index < 0;
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        absl::StrAppend(&out_, single ? r.GetInt32(message, &field)
                                      : r.GetRepeatedInt32(message, &field, index));
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_UINT32:
        absl::StrAppend(&out_, single ? r.GetUInt32(message, &field)
                                      : r.GetRepeatedUInt32(message, &field, index));
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_INT64:
        absl::StrAppend(
            &out_, "\"",
            single ? r.GetInt64(message, &field) : r.GetRepeatedInt64(message, &field, index),
            "\"");
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_UINT64:
        absl::StrAppend(
            &out_, "\"",
            single ? r.GetUInt64(message, &field) : r.GetRepeatedUInt64(message, &field, index),
            "\"");
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_BOOL:
        out_ += (single ? r.GetBool(message, &field) : r.GetRepeatedBool(message, &field, index))
                    ? "true"
                    : "false";
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_FLOAT:
        PrintFloating(
            single ? r.GetFloat(message, &field) : r.GetRepeatedFloat(message, &field, index),
            /*is_float=*/true);
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_DOUBLE:
        PrintFloating(
            single ? r.GetDouble(message, &field) : r.GetRepeatedDouble(message, &field, index),
            /*is_float=*/false);
        return absl::OkStatus();
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number = single ? r.GetEnumValue(message, &field)
                                  : r.GetRepeatedEnumValue(message, &field, index);
        if (field.enum_type()->full_name() == "google.protobuf.NullValue") {
          out_ += "null";
        } else if (const auto* value = field.enum_type()->FindValueByNumber(number)) {
          AppendString(out_, value->name());
        } else {
          absl::StrAppend(&out_, number);
        }
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& text =
            single ? r.GetStringReference(message, &field, &scratch)
                   : r.GetRepeatedStringReference(message, &field, index, &scratch);
        if (field.type() == FieldDescriptor::TYPE_BYTES) {
          AppendString(out_, absl::Base64Escape(text));
        } else {
          AppendString(out_, text);
        }
        return absl::OkStatus();
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return PrintMessage(
            single ? r.GetMessage(message, &field) : r.GetRepeatedMessage(message, &field, index),
            depth + 1);
    }
    return absl::InternalError("unknown field type");
  }

  void PrintFloating(double value, bool is_float) {
    if (std::isnan(value)) {
      out_ += "\"NaN\"";
    } else if (std::isinf(value)) {
      out_ += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    } else {
      out_ += is_float ? google::protobuf::SimpleFtoa(static_cast<float>(value))
                       : google::protobuf::SimpleDtoa(value);
    }
  }

  absl::Status PrintWellKnown(const Message& message) {
    const std::string& name = message.GetDescriptor()->full_name();
    if (name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration") {
      const Reflection& r = *message.GetReflection();
      const Descriptor& d = *message.GetDescriptor();
      const int64_t seconds = r.GetInt64(message, d.FindFieldByNumber(1));
      const int32_t nanos = r.GetInt32(message, d.FindFieldByNumber(2));
      return name == "google.protobuf.Timestamp" ? PrintTimestamp(seconds, nanos)
                                                 : PrintDuration(seconds, nanos);
    }
    std::string json;
    const auto printed = google::protobuf::util::MessageToJsonString(message, &json);
    if (!printed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot print ", name, ": ",
                       absl::string_view(printed.message().data(), printed.message().size())));
    }
    out_ += json;
    return absl::OkStatus();
  }

  absl::Status PrintTimestamp(int64_t seconds, int32_t nanos) {
    if (seconds < kTimestampSecondsMin || seconds > kTimestampSecondsMax || nanos < 0 ||
        nanos > 999999999) {
      return absl::InvalidArgumentError(absl::StrCat("timestamp out of range: ", seconds, "s"));
    }
    const absl::CivilSecond civil =
        absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
    absl::StrAppendFormat(&out_, "\"%04d-%02d-%02dT%02d:%02d:%02d", civil.year(), civil.month(),
                          civil.day(), civil.hour(), civil.minute(), civil.second());
    AppendNanos(out_, nanos);
    out_ += "Z\"";
    return absl::OkStatus();
  }

  absl::Status PrintDuration(int64_t seconds, int32_t nanos) {
    if (seconds < -kDurationSecondsMax || seconds > kDurationSecondsMax || nanos < -999999999 ||
        nanos > 999999999 || (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
      return absl::InvalidArgumentError(absl::StrCat("duration out of range: ", seconds, "s"));
    }
    out_.push_back('"');
    if (seconds < 0 || nanos < 0) out_.push_back('-');
    absl::StrAppend(&out_, seconds < 0 ? -seconds : seconds);
    AppendNanos(out_, nanos < 0 ? -nanos : nanos);
    out_ += "s\"";
    return absl::OkStatus();
  }

  std::string& out_;
};

}  // namespace

absl::StatusOr<std::string> PrintJson(const Message& message) {
  std::string json;
  json.reserve(256);
  Printer printer(json);
  if (absl::Status printed = printer.PrintMessage(message, 0); !printed.ok()) return printed;
  return json;
}

}  // namespace bitcontent::gateway
