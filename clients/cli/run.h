// How every `bitcontent` command runs: with a client engine built from the global
// options, its status turned into the exit code and a message on stderr (where an RPC a
// server's message names is named by the command that calls it: `bitcontent rm`, not
// TrashNode).
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "clients/cli/account_commands.h"
#include "libs/client/account_client.h"

namespace bitcontent::cli {

std::function<void()> Run(const GlobalOptions& options, int* exit_code,
                          std::function<absl::Status(client::AccountClient&)> body);

// A time as members read it: local, to the second ("2026-12-06 11:04:22").
std::string ShownTime(const google::protobuf::Timestamp& time);

// Says that a listing has nothing in it, on stderr and only on a terminal: piped, an
// empty listing prints nothing, as ls does, so that a script reads no line as a row.
void SayEmpty(const std::string& what);

// `word` as a shell reads it back as one argument: as it is when that is safe, else in
// single quotes. For commands a message suggests ("`bitcontent restore ...` undoes it"),
// so that pasting one works for a path with spaces.
std::string ShellWord(const std::string& word);

// Runs `one` on each of `items` as cp, mv and rm do given several: a failure is said on
// stderr and the rest still run, and the answer then says how many `failed_as` ("did not
// move"). With a single item its own failure is the answer.
absl::Status ForEachItem(const std::vector<std::string>& items, const std::string& failed_as,
                         const std::function<absl::Status(const std::string&)>& one);

// `status` with `message` in place of its own, its error details (the reason) kept.
absl::Status WithMessage(const absl::Status& status, std::string message);

// `status` of a call that moves money under the idempotency key `request_id` (pay,
// withdraw, buy). When the answer may not have come (a service out of reach or too
// slow), its advice is the command's own: run it again with --request-id, which cannot
// pay twice. The server's advice names the Idempotency-Key header, for API clients.
absl::Status WithRetryAdvice(const absl::Status& status, const std::string& request_id);

// `status`, when it is INSUFFICIENT_FUNDS with the amounts among its facts, saying them
// as the CLI shows every amount ("250,000 msat (250.000 sat)"); else `status` itself.
absl::Status ExplainShortfall(const absl::Status& status);

// `status` with the server's name of a file (`nodes/{node}`: servers never see a file's
// name) replaced by what the member typed for it, a path or a link, payloads kept.
absl::Status Naming(absl::Status status, const std::string& server_name, const std::string& typed);

// A CLI11 check for every path argument: "" unless `text` is empty, which is no path
// (not the root, which is "/": a script's empty variable must not name everything).
std::string CheckNotEmpty(const std::string& text);

// A CLI11 check of --request-id: "" when `text` is an idempotency key the server takes
// (1 to 128 visible ASCII characters). An empty one is refused, never replaced by a
// fresh key: a script's unset variable would then pay again on every retry.
std::string CheckRequestId(const std::string& text);

// A CLI11 check: "" when `text` is a version id as `versions` lists them (in either
// case), else what is wrong with it.
std::string CheckVersionId(const std::string& text);

}  // namespace bitcontent::cli
