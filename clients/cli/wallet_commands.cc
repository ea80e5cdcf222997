#include "clients/cli/wallet_commands.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "clients/cli/run.h"
#include "libs/auth/proto_time.h"
#include "libs/client/amount.h"
#include "libs/client/node_envelope.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"

namespace bitcontent::cli {
namespace {

using client::AccountClient;
namespace v1 = wallet::v1;

constexpr char kWallet[] = "/v1/users/me/wallet";
// Calls one `wallet history` makes at most to gather its lines: a hold's post or void
// uses a slot of the server's page without a line of its own, so a page may hold fewer
// lines than asked for.
constexpr int kHistoryPagesMax = 50;
// Pages of payouts read to find the addresses of the payout lines history shows.
constexpr int kPayoutPagesMax = 10;

using client::ParseAmount;

std::string Shown(uint64_t msat) { return client::FormatAmount(msat); }

// A fresh idempotency key, printed so a member can repeat a command that timed out.
std::string NewRequestId() { return crypto::HexEncode(crypto::RandomBytes(16)); }

// "+1,500 msat (+1.500 sat)" or "-1,500 msat (-1.500 sat)": the sign on both figures.
std::string ShownSigned(bool credit, uint64_t msat) {
  const std::string sign = credit ? "+" : "-";
  return absl::StrReplaceAll(absl::StrCat(sign, Shown(msat)), {{"(", absl::StrCat("(", sign)}});
}

// A value as it may stand in a URL's query.
std::string QueryValue(absl::string_view value) {
  std::string encoded;
  for (const char c : value) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += c;
    } else {
      absl::StrAppendFormat(&encoded, "%%%02X", static_cast<unsigned char>(c));
    }
  }
  return encoded;
}

// "2026-12-01T10:00:00Z" (RFC 3339) or "2026-12-01" (midnight UTC) as RFC 3339.
absl::StatusOr<std::string> TimeOption(absl::string_view option, const std::string& text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error) &&
      !absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, " \"", text, "\" is not a time: use 2026-12-01 or 2026-12-01T10:00:00Z"));
  }
  return absl::FormatTime(absl::RFC3339_full, time, absl::UTCTimeZone());
}

// The kind of a line as --code takes it: TRANSFER_CODE_PURCHASE_SHARE -> "purchase-share".
std::string KindOf(v1::TransferCode code) {
  std::string kind =
      absl::AsciiStrToLower(absl::StripPrefix(v1::TransferCode_Name(code), "TRANSFER_CODE_"));
  absl::StrReplaceAll({{"_", "-"}}, &kind);
  return kind.empty() ? "transfer" : kind;
}

// "payment" or "PAYMENT" or "TRANSFER_CODE_PAYMENT" -> TRANSFER_CODE_PAYMENT.
absl::StatusOr<std::string> CodeOption(const std::string& text) {
  std::string name = absl::AsciiStrToUpper(text);
  absl::StrReplaceAll({{"-", "_"}}, &name);
  if (!absl::StartsWith(name, "TRANSFER_CODE_")) name = absl::StrCat("TRANSFER_CODE_", name);
  v1::TransferCode code;
  if (!v1::TransferCode_Parse(name, &code) || code == v1::TRANSFER_CODE_UNSPECIFIED) {
    std::vector<std::string> known;
    for (int number = 1; v1::TransferCode_IsValid(number); ++number) {
      known.push_back(KindOf(static_cast<v1::TransferCode>(number)));
    }
    return absl::InvalidArgumentError(
        absl::StrCat("--code \"", text, "\" is not a kind: one of ", absl::StrJoin(known, ", ")));
  }
  return name;
}

// What `wallet history` asks for besides the page.
struct HistoryQuery {
  std::string since;
  std::string until;
  std::vector<std::string> codes;
  std::string reference;
};

// The query parameters of `query`, each starting with '&'.
absl::StatusOr<std::string> HistoryFilters(const HistoryQuery& query) {
  std::string filters;
  if (!query.since.empty()) {
    absl::StatusOr<std::string> since = TimeOption("--since", query.since);
    if (!since.ok()) return since.status();
    absl::StrAppend(&filters, "&timeRange.startTime=", QueryValue(*since));
  }
  if (!query.until.empty()) {
    absl::StatusOr<std::string> until = TimeOption("--until", query.until);
    if (!until.ok()) return until.status();
    absl::StrAppend(&filters, "&timeRange.endTime=", QueryValue(*until));
  }
  for (const std::string& text : query.codes) {
    absl::StatusOr<std::string> code = CodeOption(text);
    if (!code.ok()) return code.status();
    absl::StrAppend(&filters, "&codes=", *code);
  }
  if (!query.reference.empty()) {
    absl::StrAppend(&filters, "&reference=", QueryValue(query.reference));
  }
  return filters;
}

// Up to `limit` lines of history from `page_token` on, fetching pages until there are
// that many or no more; `*next_page_token` is where a further listing would go on (empty
// when there is nothing more).
absl::StatusOr<std::vector<v1::WalletTransaction>> HistoryLines(AccountClient& account,
                                                                const std::string& filters,
                                                                size_t limit,
                                                                std::string page_token,
                                                                std::string* next_page_token) {
  std::vector<v1::WalletTransaction> lines;
  for (int pages = 0; lines.size() < limit && pages < kHistoryPagesMax; ++pages) {
    // Never more than still wanted, so that no line is skipped when going on from the
    // page's token.
    v1::ListWalletTransactionsResponse page;
    const std::string path =
        absl::StrCat(kWallet, "/transactions?pageSize=", limit - lines.size(), filters,
                     page_token.empty() ? "" : "&pageToken=", QueryValue(page_token));
    if (absl::Status s = account.CallAsMember("GET", path, nullptr, &page); !s.ok()) return s;
    for (v1::WalletTransaction& line : *page.mutable_transactions()) {
      lines.push_back(std::move(line));
    }
    page_token = page.next_page_token();
    if (page_token.empty()) break;
  }
  *next_page_token = page_token;
  return lines;
}

// The id of a payout line's payout ("users/{u}/wallet/payouts/{id}"); empty otherwise.
std::string PayoutIdOf(const v1::WalletTransaction& line) {
  const std::string& reference = line.reference();
  const size_t at = reference.find("/payouts/");
  return at == std::string::npos ? std::string() : reference.substr(at + 9);
}

// The addresses of the payouts `ids`, from the newest payouts (at most kPayoutPagesMax
// pages); an id not found there has none.
absl::StatusOr<std::map<std::string, std::string>> PayoutAddresses(AccountClient& account,
                                                                   std::set<std::string> ids) {
  std::map<std::string, std::string> addresses;
  std::string page_token;
  for (int pages = 0; !ids.empty() && pages < kPayoutPagesMax; ++pages) {
    v1::ListPayoutsResponse page;
    const std::string path =
        absl::StrCat(kWallet, "/payouts?pageSize=100",
                     page_token.empty() ? "" : "&pageToken=", QueryValue(page_token));
    if (absl::Status s = account.CallAsMember("GET", path, nullptr, &page); !s.ok()) return s;
    for (const v1::Payout& payout : page.payouts()) {
      const std::string id = payout.name().substr(payout.name().rfind('/') + 1);
      if (ids.erase(id) > 0) addresses[id] = payout.address();
    }
    page_token = page.next_page_token();
    if (page_token.empty()) break;
  }
  return addresses;
}

// One line of history as printed: when, how much, what kind, with whom, the payer's
// memo, and the purchase or stream session it belongs to (what --reference takes).
std::string HistoryLine(const v1::WalletTransaction& line,
                        const std::map<std::string, std::string>& payout_addresses) {
  const bool credit = line.direction() == v1::DIRECTION_CREDIT;
  std::string shown = absl::StrCat(
      ShownTime(line.create_time()), "  ", ShownSigned(credit, line.amount_msat()), "  ",
      KindOf(line.code()), "  ", credit ? "from " : "to ",
      line.counterparty().empty() ? "a buyer" : client::PrintableName(line.counterparty()));
  if (!line.memo().empty())
    absl::StrAppend(&shown, "  \"", client::PrintableName(line.memo()), "\"");
  if (absl::StartsWith(line.reference(), "purchases/") ||
      absl::StartsWith(line.reference(), "streamSessions/")) {
    absl::StrAppend(&shown, "  ", client::PrintableName(line.reference()));
  }
  if (const std::string payout = PayoutIdOf(line); !payout.empty()) {
    absl::StrAppend(&shown, "  payout ", client::PrintableName(payout));
    if (auto it = payout_addresses.find(payout); it != payout_addresses.end()) {
      absl::StrAppend(&shown, " to ", client::PrintableName(it->second));
    }
  }
  if (line.state() != v1::TRANSACTION_STATE_POSTED) {
    absl::StrAppend(&shown, "  [",
                    absl::AsciiStrToLower(absl::StripPrefix(v1::TransactionState_Name(line.state()),
                                                            "TRANSACTION_STATE_")),
                    "]");
  }
  return shown;
}

absl::Status PrintHistory(AccountClient& account, const HistoryQuery& query, size_t limit,
                          const std::string& page_token) {
  absl::StatusOr<std::string> filters = HistoryFilters(query);
  if (!filters.ok()) return filters.status();
  std::string next_page_token;
  absl::StatusOr<std::vector<v1::WalletTransaction>> lines =
      HistoryLines(account, *filters, limit, page_token, &next_page_token);
  if (!lines.ok()) return lines.status();
  std::set<std::string> payouts;
  for (const v1::WalletTransaction& line : *lines) {
    if (std::string id = PayoutIdOf(line); !id.empty()) payouts.insert(std::move(id));
  }
  absl::StatusOr<std::map<std::string, std::string>> addresses =
      PayoutAddresses(account, std::move(payouts));
  if (!addresses.ok()) return addresses.status();
  for (const v1::WalletTransaction& line : *lines) {
    std::printf("%s\n", HistoryLine(line, *addresses).c_str());
  }
  if (lines->empty()) {
    SayEmpty(absl::StrCat("(no transactions",
                          !page_token.empty() ? " more"
                          : filters->empty()  ? " yet"
                                              : " match these filters",
                          ")"));
  }
  if (!next_page_token.empty()) {
    std::fprintf(stderr, "more may follow: repeat with --page-token %s\n",
                 client::PrintableName(next_page_token).c_str());
  }
  return absl::OkStatus();
}

// "APPROVED" for PAYOUT_STATE_APPROVED.
std::string StateName(v1::PayoutState state) {
  return std::string(absl::StripPrefix(v1::PayoutState_Name(state), "PAYOUT_STATE_"));
}

std::string PayoutIdOf(const v1::Payout& payout) {
  return payout.name().substr(payout.name().rfind('/') + 1);
}

// What a withdrawal request's answer says, in the payout's real state: a retried request
// answers a payout that may have been decided since.
std::string WithdrawOutcome(const v1::Payout& payout) {
  const std::string head =
      absl::StrCat("payout ", client::PrintableName(PayoutIdOf(payout)), ": ",
                   Shown(payout.amount_msat()), " to ", client::PrintableName(payout.address()));
  switch (payout.state()) {
    case v1::PAYOUT_STATE_PENDING_APPROVAL:
      return absl::StrCat("payout ", client::PrintableName(PayoutIdOf(payout)), ": ",
                          Shown(payout.amount_msat()), " held for ",
                          client::PrintableName(payout.address()), ", waiting for an operator");
    case v1::PAYOUT_STATE_APPROVED:
      return absl::StrCat(head, " was approved and sent, txid ",
                          client::PrintableName(payout.txid()));
    case v1::PAYOUT_STATE_REJECTED:
      return absl::StrCat(head, " was rejected by an operator: \"",
                          client::PrintableName(payout.reject_reason()),
                          "\"; the amount is available again");
    case v1::PAYOUT_STATE_CANCELLED:
      return absl::StrCat(head, " was cancelled; the amount is available again");
    default:
      return absl::StrCat(head, " is ", StateName(payout.state()));
  }
}

// One line of `wallet payouts`.
std::string PayoutLine(const v1::Payout& payout) {
  std::string shown =
      absl::StrCat(client::PrintableName(PayoutIdOf(payout)), "  ", Shown(payout.amount_msat()),
                   "  ", client::PrintableName(payout.address()), "  ", StateName(payout.state()));
  if (!payout.txid().empty())
    absl::StrAppend(&shown, " txid ", client::PrintableName(payout.txid()));
  if (payout.state() == v1::PAYOUT_STATE_REJECTED) {
    absl::StrAppend(&shown, " reason \"", client::PrintableName(payout.reject_reason()), "\"");
  }
  return shown;
}

}  // namespace

void AddWalletCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static std::string payee;
  static std::string amount_text;
  static std::string memo;
  static std::string request_id;
  static std::string address;
  static std::string cancel;
  static int limit = 20;
  static HistoryQuery query;
  static std::string page_token;

  CLI::App* wallet = app.add_subcommand("wallet", "Your Bitcache wallet: balance, pay, withdraw");
  wallet->require_subcommand(1);

  wallet->add_subcommand("balance", "What you can spend, and what is held or on its way")
      ->callback(Run(options, exit_code, [](AccountClient& account) {
        v1::Wallet shown;
        if (absl::Status s = account.CallAsMember("GET", kWallet, nullptr, &shown); !s.ok()) {
          return s;
        }
        std::printf("available   %s\n", Shown(shown.available_msat()).c_str());
        std::printf("balance     %s\n", Shown(shown.balance_msat()).c_str());
        std::printf("held        %s\n", Shown(shown.held_msat()).c_str());
        if (shown.incoming_msat() != 0) {
          std::printf("incoming    %s\n", Shown(shown.incoming_msat()).c_str());
        }
        if (shown.unconfirmed_deposit_msat() != 0) {
          std::printf("confirming  %s\n", Shown(shown.unconfirmed_deposit_msat()).c_str());
        }
        return absl::OkStatus();
      }));

  wallet->add_subcommand("address", "A fresh Bitcoin address to deposit to")
      ->callback(Run(options, exit_code, [](AccountClient& account) {
        v1::CreateDepositAddressRequest request;
        request.set_parent(kWallet + 1);
        v1::DepositAddress made;
        if (absl::Status s = account.CallAsMember(
                "POST", absl::StrCat(kWallet, "/depositAddresses"), &request, &made);
            !s.ok()) {
          return s;
        }
        std::printf("%s\n", client::PrintableName(made.address()).c_str());
        std::fprintf(stderr, "derivation path %s; credited after the operator's confirmations\n",
                     client::PrintableName(made.derivation_path()).c_str());
        return absl::OkStatus();
      }));

  CLI::App* history = wallet->add_subcommand("history", "Your wallet's transactions, newest first");
  history->add_option("--limit", limit, "How many lines (1 to 1000)")->check(CLI::Range(1, 1000));
  history->add_option("--since", query.since,
                      "Only from this time on: 2026-12-01 (UTC) or 2026-12-01T10:00:00Z");
  history->add_option("--until", query.until, "Only before this time (same forms as --since)");
  history->add_option("--code", query.codes,
                      "Only this kind (repeatable): payment, purchase-share, platform-fee, "
                      "stream-hold, stream-share, deposit, payout, adjustment");
  history->add_option("--reference", query.reference,
                      "Only the lines of one purchase, payment, payout or deposit, e.g. "
                      "\"purchases/{id}\"");
  history->add_option("--page-token", page_token,
                      "Go on from where an earlier listing stopped (it prints the token)");
  history->callback(Run(options, exit_code, [](AccountClient& account) {
    return PrintHistory(account, query, static_cast<size_t>(limit), page_token);
  }));

  CLI::App* pay = wallet->add_subcommand("pay", "Pay another member");
  pay->add_option("payee", payee, "Their email, or their wallet \"users/{id}/wallet\"")->required();
  pay->add_option("amount", amount_text, "In msat (\"1500\") or sat (\"2sat\", \"1.5sat\")")
      ->required();
  pay->add_option("--memo", memo,
                  "Shown to both of you: one line of at most 280 characters, no control "
                  "characters");
  pay->add_option("--request-id", request_id,
                  "Idempotency key: repeat a payment that timed out with the key it printed, "
                  "and it is never paid twice")
      ->check(CheckRequestId);
  pay->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::StatusOr<uint64_t> amount = ParseAmount(amount_text);
    if (!amount.ok()) return amount.status();
    if (*amount == 0) {
      return absl::InvalidArgumentError(
          "pay more than nothing: the amount must be at least 1 msat (\"1\", \"0.001sat\")");
    }
    v1::PayRequest request;
    request.set_payer(kWallet + 1);
    if (absl::StartsWith(payee, "users/")) {
      request.set_payee_wallet(payee);
    } else {
      request.set_payee_email(payee);
    }
    request.set_amount_msat(*amount);
    // Bytes that are not UTF-8 cannot even be sent (JSON would drop them, changing the
    // memo): refused here, saying which. The server checks the rest of the memo rule.
    if (!client::IsUtf8(memo)) {
      return absl::InvalidArgumentError(absl::StrCat("--memo must be UTF-8 text, and \"",
                                                     client::PrintableName(memo), "\" is not"));
    }
    request.set_memo(memo);
    request.set_request_id(request_id.empty() ? NewRequestId() : request_id);
    v1::Payment paid;
    if (absl::Status s =
            account.CallAsMember("POST", absl::StrCat(kWallet, ":pay"), &request, &paid);
        !s.ok()) {
      std::fprintf(stderr, "request id %s\n", request.request_id().c_str());
      return WithRetryAdvice(ExplainShortfall(s), request.request_id());
    }
    // The payee as typed, and the wallet that history will name.
    const std::string to = absl::StartsWith(payee, "users/")
                               ? client::PrintableName(paid.payee())
                               : absl::StrCat(client::PrintableName(payee), " (",
                                              client::PrintableName(paid.payee()), ")");
    std::printf("paid %s to %s\n", Shown(paid.amount_msat()).c_str(), to.c_str());
    std::fprintf(stderr, "request id %s\n", request.request_id().c_str());
    return absl::OkStatus();
  }));

  CLI::App* withdraw = wallet->add_subcommand(
      "withdraw", "Send funds to a Bitcoin address; held until an operator sends them");
  withdraw->add_option("address", address, "A Bitcoin address on the server's network");
  withdraw->add_option("amount", amount_text, "Whole satoshi: \"2500sat\" or \"2500000\" msat");
  withdraw->add_option("--request-id", request_id, "Idempotency key, as for pay")
      ->check(CheckRequestId);
  withdraw->add_option("--cancel", cancel, "Cancel this waiting payout (its id) instead");
  withdraw->callback(Run(options, exit_code, [](AccountClient& account) {
    v1::Payout payout;
    if (!cancel.empty() && (!address.empty() || !amount_text.empty() || !request_id.empty())) {
      throw CLI::ValidationError(
          "--cancel", "cancels a waiting payout only: give it alone, then withdraw again");
    }
    if (!cancel.empty()) {
      // The id (32 hex digits), or the payout's whole name as the API shows it.
      const std::string id = absl::AsciiStrToLower(cancel.substr(cancel.rfind('/') + 1));
      if (id.size() != 32 || !std::all_of(id.begin(), id.end(), absl::ascii_isxdigit)) {
        throw CLI::ValidationError(
            "--cancel", absl::StrCat("\"", client::PrintableName(cancel),
                                     "\" is not a payout id (withdraw printed it; `bitcontent "
                                     "wallet history` shows it on the payout's line)"));
      }
      v1::CancelPayoutRequest request;
      request.set_name(absl::StrCat(kWallet + 1, "/payouts/", id));
      if (absl::Status s = account.CallAsMember(
              "POST", absl::StrCat("/", request.name(), ":cancel"), &request, &payout);
          !s.ok()) {
        return s;
      }
      std::printf("cancelled; %s is available again\n", Shown(payout.amount_msat()).c_str());
      return absl::OkStatus();
    }
    if (address.empty() || amount_text.empty()) {
      // A command line in error: CLI11's kind, so that it exits 2 like any other.
      throw CLI::ValidationError("ADDRESS AMOUNT",
                                 "say where and how much: wallet withdraw ADDRESS AMOUNT");
    }
    absl::StatusOr<uint64_t> amount = ParseAmount(amount_text);
    if (!amount.ok()) return amount.status();
    v1::RequestPayoutRequest request;
    request.set_parent(kWallet + 1);
    request.set_address(address);
    request.set_amount_msat(*amount);
    request.set_request_id(request_id.empty() ? NewRequestId() : request_id);
    if (absl::Status s =
            account.CallAsMember("POST", absl::StrCat(kWallet, "/payouts"), &request, &payout);
        !s.ok()) {
      std::fprintf(stderr, "request id %s\n", request.request_id().c_str());
      return WithRetryAdvice(ExplainShortfall(s), request.request_id());
    }
    std::fprintf(stderr, "request id %s\n", request.request_id().c_str());
    // A retry of a request an operator rejected, or the member cancelled, sends nothing.
    if (payout.state() == v1::PAYOUT_STATE_REJECTED ||
        payout.state() == v1::PAYOUT_STATE_CANCELLED) {
      return absl::FailedPreconditionError(
          absl::StrCat(WithdrawOutcome(payout), "; withdraw again without --request-id"));
    }
    std::printf("%s\n", WithdrawOutcome(payout).c_str());
    return absl::OkStatus();
  }));

  wallet->add_subcommand("payouts", "Your withdrawal requests, newest first")
      ->callback(Run(options, exit_code, [](AccountClient& account) {
        v1::ListPayoutsResponse page;
        if (absl::Status s =
                account.CallAsMember("GET", absl::StrCat(kWallet, "/payouts"), nullptr, &page);
            !s.ok()) {
          return s;
        }
        for (const v1::Payout& payout : page.payouts()) {
          std::printf("%s\n", PayoutLine(payout).c_str());
        }
        if (page.payouts().empty()) SayEmpty("(no payouts yet)");
        return absl::OkStatus();
      }));
}

}  // namespace bitcontent::cli
