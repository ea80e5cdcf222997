#include "libs/kit/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace bitcontent::kit {
namespace {

bool NeedsQuoting(absl::string_view value) {
  if (value.empty()) return true;
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f) return true;
  }
  return false;
}

void AppendValue(std::string& out, absl::string_view value) {
  if (!NeedsQuoting(value)) {
    out.append(value.data(), value.size());
    return;
  }
  out.push_back('"');
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < ' ' || c == 0x7f) {
          absl::StrAppendFormat(&out, "\\x%02x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace

absl::Status InitLogging(absl::string_view service, absl::string_view level) {
  spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--log_level='", level, "' is not one of trace, debug, info, warn, error, off"));
  }
  auto logger = spdlog::stderr_logger_mt(absl::StrCat("bitcontent-", service));
  logger->set_pattern(absl::StrCat("%Y-%m-%dT%H:%M:%S.%eZ level=%l service=", service, " %v"),
                      spdlog::pattern_time_type::utc);
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  return absl::OkStatus();
}

std::string Logfmt(std::initializer_list<LogField> fields) {
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty()) out.push_back(' ');
    out.append(key.data(), key.size());
    out.push_back('=');
    AppendValue(out, value);
  }
  return out;
}

void Log(spdlog::level::level_enum level, absl::string_view message,
         std::initializer_list<LogField> fields) {
  if (!spdlog::should_log(level)) return;
  std::string line = "msg=";
  AppendValue(line, message);
  if (fields.size() > 0) absl::StrAppend(&line, " ", Logfmt(fields));
  spdlog::log(level, "{}", line);
}

}  // namespace bitcontent::kit
