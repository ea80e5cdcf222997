// Structured logs: one line per event, in logfmt (`key=value`, values quoted when they
// need it), on stderr, so that both people and log shippers can read them:
//
//   2026-11-22T10:00:00.123Z level=info service=wallet msg="rpc" request_id=ab12 ...
//
// Use Log() with the request id of the call being served as a field.
#pragma once

#include <spdlog/common.h>

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bitcontent::kit {

using LogField = std::pair<absl::string_view, absl::string_view>;

// Configures the process-wide logger: the service name on every line, UTC timestamps,
// and the level named by `level` (trace, debug, info, warn, error).
absl::Status InitLogging(absl::string_view service, absl::string_view level);

// Logs `message` with the fields appended in logfmt.
void Log(spdlog::level::level_enum level, absl::string_view message,
         std::initializer_list<LogField> fields = {});

// Renders fields as logfmt: key=value, with values quoted and escaped when they hold a
// space, a quote, '=' or a control character.
std::string Logfmt(std::initializer_list<LogField> fields);

}  // namespace bitcontent::kit
