#include "clients/cli/run.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "libs/auth/proto_time.h"
#include "libs/client/amount.h"
#include "libs/client/api_client.h"
#include "libs/client/credential_store.h"
#include "libs/client/node_envelope.h"
#include "libs/ids/ids.h"

namespace bitcontent::cli {
namespace {

// The server's own words, and the reason a script can match ("... (INSUFFICIENT_FUNDS)").
absl::Status WithReason(absl::Status status) {
  const common::v1::ErrorReason reason = client::ErrorReasonOf(status);
  if (reason == common::v1::ERROR_REASON_UNSPECIFIED) return status;
  const std::string name(absl::StripPrefix(common::v1::ErrorReason_Name(reason), "ERROR_REASON_"));
  if (absl::StrContains(status.message(), name)) return status;
  return absl::Status(status.code(), absl::StrCat(status.message(), " (", name, ")"));
}

// The RPCs a server's message may point to, and the commands that call them: members
// type commands, not method names.
constexpr std::pair<std::string_view, std::string_view> kCommandsOfMethods[] = {
    {"CreateFolder", "`bitcontent mkdir`"},
    {"MoveNode", "`bitcontent mv`"},
    {"RenameNode", "`bitcontent mv`"},
    {"TrashNode", "`bitcontent rm`"},
    {"RestoreNode", "`bitcontent restore`"},
    {"PurgeNode", "`bitcontent purge`"},
    {"EmptyTrash", "`bitcontent trash --empty`"},
    {"ListTrash", "`bitcontent trash`"},
    {"ListVersions", "`bitcontent versions`"},
    {"RestoreVersion", "`bitcontent versions --restore`"},
    {"DeleteVersion", "`bitcontent versions --delete`"},
    {"UpdateRetentionPolicy", "`bitcontent retention`"},
    {"CreateLink", "`bitcontent link create`"},
    {"RevokeLink", "`bitcontent link revoke`"},
    {"CopyNode", "`bitcontent import-link`"},
    {"CreateShare", "`bitcontent share`"},
    {"DeleteShare", "`bitcontent unshare`"},
    {"ListSharedWithMe", "`bitcontent shared`"},
};

// `message` with each method of kCommandsOfMethods named as a whole word replaced by its
// command.
std::string WithCommands(std::string message) {
  const auto word_character = [](char c) { return absl::ascii_isalnum(c) || c == '_'; };
  for (const auto& [method, command] : kCommandsOfMethods) {
    for (size_t at = message.find(method); at != std::string::npos;
         at = message.find(method, at + 1)) {
      const size_t end = at + method.size();
      if ((at > 0 && word_character(message[at - 1])) ||
          (end < message.size() && word_character(message[end]))) {
        continue;
      }
      message.replace(at, method.size(), command);
      at += command.size() - 1;
    }
  }
  return message;
}

// What a member reads of an error: the server's words, the reason a script can match,
// and commands in place of the RPCs they call. An RPC not built yet keeps its name.
std::string Shown(const absl::Status& status) {
  const absl::Status with_reason = WithReason(status);
  if (absl::IsUnimplemented(status)) return std::string(with_reason.message());
  return WithCommands(std::string(with_reason.message()));
}

}  // namespace

std::function<void()> Run(const GlobalOptions& options, int* exit_code,
                          std::function<absl::Status(client::AccountClient&)> body) {
  return [&options, exit_code, body = std::move(body)] {
    absl::StatusOr<std::string> config_dir = options.config_dir.empty()
                                                 ? client::DefaultConfigDirectory()
                                                 : absl::StatusOr<std::string>(options.config_dir);
    absl::Status status = config_dir.status();
    if (status.ok()) {
      absl::StatusOr<std::unique_ptr<client::AccountClient>> engine = client::AccountClient::Create(
          {.server = options.server,
           .config_dir = *config_dir,
           .kdf_params = {.ops_limit = options.kdf_ops, .mem_limit_bytes = options.kdf_mem_bytes},
           .device_name = options.device_name});
      status = engine.ok() ? body(**engine) : engine.status();
    }
    if (!status.ok()) {
      std::fprintf(stderr, "bitcontent: %s\n", Shown(status).c_str());
      *exit_code = 1;
    }
  };
}

std::string ShownTime(const google::protobuf::Timestamp& time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", auth::TimeFromProto(time), absl::LocalTimeZone());
}

void SayEmpty(const std::string& what) {
  if (isatty(STDOUT_FILENO) == 1) std::fprintf(stderr, "%s\n", what.c_str());
}

std::string ShellWord(const std::string& word) {
  const bool safe = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return absl::ascii_isalnum(c) || std::string_view("/._-:@+,=%").find(c) != std::string::npos;
  });
  if (safe) return word;
  return "'" + absl::StrReplaceAll(word, {{"'", "'\\''"}}) + "'";
}

absl::Status ForEachItem(const std::vector<std::string>& items, const std::string& failed_as,
                         const std::function<absl::Status(const std::string&)>& one) {
  if (items.size() == 1) return one(items.front());
  size_t failed = 0;
  for (const std::string& item : items) {
    if (absl::Status done = one(item); !done.ok()) {
      std::fprintf(stderr, "bitcontent: %s\n", std::string(done.message()).c_str());
      ++failed;
    }
  }
  if (failed == 0) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(failed, " of ", items.size(), " ", failed_as, " (above)",
                                         failed == items.size() ? "" : "; the others did"));
}

absl::Status WithMessage(const absl::Status& status, std::string message) {
  absl::Status changed(status.code(), message);
  status.ForEachPayload([&changed](absl::string_view type_url, const absl::Cord& payload) {
    changed.SetPayload(type_url, payload);
  });
  return changed;
}

absl::Status WithRetryAdvice(const absl::Status& status, const std::string& request_id) {
  if (!absl::IsUnavailable(status) && !absl::IsDeadlineExceeded(status)) return status;
  std::string message(status.message());
  // The gateway's advice follows what happened: "...could not be reached; retry with ...".
  if (const size_t advice = message.find("; retry"); advice != std::string::npos) {
    message.resize(advice);
  }
  return WithMessage(
      status, absl::StrCat(message, "; run the same command again with --request-id ", request_id,
                           ", which cannot pay twice"));
}

absl::Status ExplainShortfall(const absl::Status& status) {
  if (client::ErrorReasonOf(status) != common::v1::ERROR_REASON_INSUFFICIENT_FUNDS) return status;
  const std::optional<std::string> required = client::ErrorFactOf(status, "required_msat");
  const std::optional<std::string> available = client::ErrorFactOf(status, "available_msat");
  uint64_t required_msat = 0, available_msat = 0;
  if (!required.has_value() || !available.has_value() ||
      !absl::SimpleAtoi(*required, &required_msat) ||
      !absl::SimpleAtoi(*available, &available_msat)) {
    return status;
  }
  return WithMessage(
      status, absl::StrCat("insufficient funds: this needs ", client::FormatAmount(required_msat),
                           " and your wallet has ", client::FormatAmount(available_msat),
                           " available (held amounts count as spent); nothing was "
                           "moved"));
}

absl::Status Naming(absl::Status status, const std::string& server_name, const std::string& typed) {
  if (status.ok() || server_name.empty() || !absl::StrContains(status.message(), server_name)) {
    return status;
  }
  return WithMessage(status, absl::StrReplaceAll(status.message(), {{server_name, typed}}));
}

std::string CheckNotEmpty(const std::string& text) {
  return text.empty() ? "the path is empty: name a file or folder (your root folder is /)" : "";
}

std::string CheckRequestId(const std::string& text) {
  constexpr size_t kRequestIdCharsMax = 128;
  const bool visible =
      std::all_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; });
  if (!text.empty() && text.size() <= kRequestIdCharsMax && visible) return "";
  return absl::StrCat(
      "a request id is 1 to ", kRequestIdCharsMax,
      " visible ASCII characters (no spaces); leave --request-id out for a new one");
}

std::string CheckVersionId(const std::string& text) {
  if (ids::IsValidId(absl::AsciiStrToUpper(text))) return "";
  return absl::StrCat("\"", client::PrintableName(text),
                      "\" is not a version id (`bitcontent versions FILE` lists them in its first "
                      "column)");
}

}  // namespace bitcontent::cli
