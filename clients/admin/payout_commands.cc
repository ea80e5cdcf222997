#include "clients/admin/payout_commands.h"

#include <google/protobuf/util/time_util.h>

#include <cstdio>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "libs/client/amount.h"
#include "libs/kit/status.h"

namespace bitcontent::admin {
namespace {

namespace v1 = wallet::v1;

constexpr absl::Duration kCallTimeout = absl::Seconds(30);

// Text from the server with control characters shown as escapes, so nothing a member
// wrote (an address is theirs) can drive the operator's terminal.
std::string Safe(absl::string_view text) {
  std::string shown;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      absl::StrAppendFormat(&shown, "\\x%02x", byte);
    } else {
      shown += c;
    }
  }
  return shown;
}

// "users/{user}/wallet/payouts/{id}" for an id or a name. An id alone names the payout
// under any member ("-", AIP-159): payout ids are unique.
std::string PayoutName(const std::string& payout) {
  return absl::StartsWith(payout, "users/") ? payout
                                            : absl::StrCat("users/-/wallet/payouts/", payout);
}

// "pending" -> PAYOUT_STATE_PENDING_APPROVAL, "all" -> unspecified.
absl::StatusOr<v1::PayoutState> StateOption(const std::string& text) {
  const std::string name = absl::AsciiStrToLower(text);
  if (name == "all") return v1::PAYOUT_STATE_UNSPECIFIED;
  if (name == "pending") return v1::PAYOUT_STATE_PENDING_APPROVAL;
  v1::PayoutState state;
  if (v1::PayoutState_Parse(absl::StrCat("PAYOUT_STATE_", absl::AsciiStrToUpper(name)), &state) &&
      state != v1::PAYOUT_STATE_UNSPECIFIED) {
    return state;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--state \"", text, "\" is not a state: pending, approved, rejected, cancelled or all"));
}

std::string StateName(v1::PayoutState state) {
  return absl::AsciiStrToLower(absl::StripPrefix(v1::PayoutState_Name(state), "PAYOUT_STATE_"));
}

// One payout as a line: id, member, amount, address, state and what was decided.
std::string PayoutLine(const v1::Payout& payout) {
  const std::string& name = payout.name();
  std::string user = name.substr(0, name.find("/wallet/"));
  std::string line =
      absl::StrCat(Safe(name.substr(name.rfind('/') + 1)), "  ", Safe(user), "  ",
                   client::FormatAmount(payout.amount_msat()), "  ", Safe(payout.address()), "  ",
                   StateName(payout.state()), "  requested ",
                   google::protobuf::util::TimeUtil::ToString(payout.request_time()));
  if (!payout.txid().empty()) absl::StrAppend(&line, "  txid ", Safe(payout.txid()));
  if (!payout.reject_reason().empty()) {
    absl::StrAppend(&line, "  reason \"", Safe(payout.reject_reason()), "\"");
  }
  if (!payout.decided_by().empty()) absl::StrAppend(&line, "  by ", Safe(payout.decided_by()));
  return line;
}

void AddListCommand(CLI::App& payouts, const AdminOptions& options, int* exit_code) {
  static std::string state_text = "pending";
  static int limit = 50;
  static std::string page_token;
  CLI::App* list = payouts.add_subcommand(
      "list", "Payout requests, oldest first (--state all: by state, pending first)");
  list->add_option("--state", state_text, "pending, approved, rejected, cancelled or all")
      ->capture_default_str();
  list->add_option("--limit", limit, "At most this many (1 to 100)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  list->add_option("--page-token", page_token, "Go on where an earlier listing stopped");
  list->callback(Run(options, exit_code, [](OperatorConnection& connection) {
    absl::StatusOr<v1::PayoutState> state = StateOption(state_text);
    // A command line in error: CLI11's kind, so that it exits 2 like any other.
    if (!state.ok()) throw CLI::ValidationError("--state", std::string(state.status().message()));
    v1::SearchPayoutsRequest request;
    request.set_state(*state);
    request.set_page_size(limit);
    request.set_page_token(page_token);
    v1::SearchPayoutsResponse response;
    const grpc::Status status = connection.wallet().SearchPayouts(
        connection.NewContext(kCallTimeout).get(), request, &response);
    if (!status.ok()) return kit::FromGrpc(status);
    for (const v1::Payout& payout : response.payouts()) {
      std::printf("%s\n", PayoutLine(payout).c_str());
    }
    if (response.payouts().empty()) std::printf("no %s payouts\n", state_text.c_str());
    if (!response.next_page_token().empty()) {
      std::fprintf(stderr, "more: repeat with --page-token %s\n",
                   Safe(response.next_page_token()).c_str());
    }
    return absl::OkStatus();
  }));
}

void AddApproveCommand(CLI::App& payouts, const AdminOptions& options, int* exit_code) {
  static std::string payout;
  static std::string txid;
  CLI::App* approve = payouts.add_subcommand(
      "approve", "Record that you broadcast the payout's transaction; the hold is posted");
  approve->add_option("payout", payout, "The payout's id (from `payouts list`) or name")
      ->required();
  approve->add_option("--txid", txid, "The broadcast transaction's id, 64 hex characters")
      ->required();
  approve->callback(Run(options, exit_code, [](OperatorConnection& connection) {
    v1::ApprovePayoutRequest request;
    request.set_name(PayoutName(payout));
    // Explorers and wallets show txids in either case; the wallet keeps them lower-case.
    request.set_txid(absl::AsciiStrToLower(txid));
    v1::Payout decided;
    const grpc::Status status = connection.wallet().ApprovePayout(
        connection.NewContext(kCallTimeout).get(), request, &decided);
    if (status.ok()) std::printf("approved: %s\n", PayoutLine(decided).c_str());
    return kit::FromGrpc(status);
  }));
}

void AddRejectCommand(CLI::App& payouts, const AdminOptions& options, int* exit_code) {
  static std::string payout;
  static std::string reason;
  CLI::App* reject = payouts.add_subcommand(
      "reject", "Refuse a payout; the hold is released and the member gets the amount back");
  reject->add_option("payout", payout, "The payout's id (from `payouts list`) or name")->required();
  reject->add_option("--reason", reason, "Shown to the member (one line, at most 500 bytes)")
      ->required();
  reject->callback(Run(options, exit_code, [](OperatorConnection& connection) {
    v1::RejectPayoutRequest request;
    request.set_name(PayoutName(payout));
    request.set_reason(reason);
    v1::Payout decided;
    const grpc::Status status = connection.wallet().RejectPayout(
        connection.NewContext(kCallTimeout).get(), request, &decided);
    if (status.ok()) std::printf("rejected: %s\n", PayoutLine(decided).c_str());
    return kit::FromGrpc(status);
  }));
}

}  // namespace

void AddPayoutCommands(CLI::App& app, const AdminOptions& options, int* exit_code) {
  CLI::App* payouts =
      app.add_subcommand("payouts", "Members' withdrawal requests: list, approve, reject");
  AddListCommand(*payouts, options, exit_code);
  AddApproveCommand(*payouts, options, exit_code);
  AddRejectCommand(*payouts, options, exit_code);
  ExplainSubcommands(payouts, exit_code);
}

}  // namespace bitcontent::admin
