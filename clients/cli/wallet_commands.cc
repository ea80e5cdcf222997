#include "clients/cli/wallet_commands.h"

#include <cstdio>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "clients/cli/run.h"
#include "libs/auth/proto_time.h"
#include "libs/client/amount.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"

namespace bitcontent::cli {
namespace {

using client::AccountClient;
namespace v1 = wallet::v1;

constexpr char kWallet[] = "/v1/users/me/wallet";

using client::ParseAmount;

std::string Shown(uint64_t msat) { return client::FormatAmount(msat); }

// "+1,500 msat (+1.500 sat)" or "-50 msat (-0.050 sat)": the sign on both figures.
std::string Signed(bool credit, uint64_t msat) {
  const char* sign = credit ? "+" : "-";
  std::string shown = client::FormatAmount(msat);
  if (const size_t open = shown.find('('); open != std::string::npos) {
    shown.insert(open + 1, sign);
  }
  return absl::StrCat(sign, shown);
}

// A fresh idempotency key, printed so a member can repeat a command that timed out.
std::string NewRequestId() { return crypto::HexEncode(crypto::RandomBytes(16)); }

}  // namespace

void AddWalletCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static std::string payee;
  static std::string amount_text;
  static std::string memo;
  static std::string request_id;
  static std::string address;
  static std::string cancel;
  static int limit = 20;

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
        std::printf("%s\n", made.address().c_str());
        std::fprintf(stderr, "derivation path %s; credited after the operator's confirmations\n",
                     made.derivation_path().c_str());
        return absl::OkStatus();
      }));

  CLI::App* history = wallet->add_subcommand("history", "Your wallet's transactions, newest first");
  history->add_option("--limit", limit, "How many lines (1 to 1000)")->check(CLI::Range(1, 1000));
  history->callback(Run(options, exit_code, [](AccountClient& account) {
    v1::ListWalletTransactionsResponse page;
    if (absl::Status s = account.CallAsMember(
            "GET", absl::StrCat(kWallet, "/transactions?pageSize=", limit), nullptr, &page);
        !s.ok()) {
      return s;
    }
    for (const v1::WalletTransaction& line : page.transactions()) {
      const bool credit = line.direction() == v1::DIRECTION_CREDIT;
      std::string state;
      if (line.state() != v1::TRANSACTION_STATE_POSTED) {
        state = absl::StrCat("  [",
                             absl::AsciiStrToLower(absl::StripPrefix(
                                 v1::TransactionState_Name(line.state()), "TRANSACTION_STATE_")),
                             "]");
      }
      std::printf("%s  %s  %s %s%s%s\n", ShownTime(line.create_time()).c_str(),
                  Signed(credit, line.amount_msat()).c_str(), credit ? "from" : "to",
                  line.counterparty().c_str(),
                  line.memo().empty() ? "" : ("  \"" + line.memo() + "\"").c_str(), state.c_str());
    }
    if (page.transactions().empty()) std::printf("no transactions yet\n");
    return absl::OkStatus();
  }));

  CLI::App* pay = wallet->add_subcommand("pay", "Pay another member");
  pay->add_option("payee", payee, "Their email, or their wallet \"users/{id}/wallet\"")->required();
  pay->add_option("amount", amount_text, "In msat (\"1500\") or sat (\"2sat\")")->required();
  pay->add_option("--memo", memo, "Shown to both of you (at most 280 characters)");
  pay->add_option("--request-id", request_id,
                  "Idempotency key: repeat a payment that timed out with the key it printed, "
                  "and it is never paid twice");
  pay->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::StatusOr<uint64_t> amount = ParseAmount(amount_text);
    if (!amount.ok()) return amount.status();
    v1::PayRequest request;
    request.set_payer(kWallet + 1);
    if (absl::StartsWith(payee, "users/")) {
      request.set_payee_wallet(payee);
    } else {
      request.set_payee_email(payee);
    }
    request.set_amount_msat(*amount);
    request.set_memo(memo);
    request.set_request_id(request_id.empty() ? NewRequestId() : request_id);
    v1::Payment paid;
    if (absl::Status s =
            account.CallAsMember("POST", absl::StrCat(kWallet, ":pay"), &request, &paid);
        !s.ok()) {
      std::fprintf(stderr, "request id %s\n", request.request_id().c_str());
      return s;
    }
    std::printf("paid %s to %s\n", Shown(paid.amount_msat()).c_str(), paid.payee().c_str());
    std::fprintf(stderr, "request id %s\n", request.request_id().c_str());
    return absl::OkStatus();
  }));

  CLI::App* withdraw = wallet->add_subcommand(
      "withdraw", "Send funds to a Bitcoin address; held until an operator sends them");
  withdraw->add_option("address", address, "A Bitcoin address on the server's network");
  withdraw->add_option("amount", amount_text, "Whole satoshi: \"2500sat\" or \"2500000\" msat");
  withdraw->add_option("--request-id", request_id, "Idempotency key, as for pay");
  withdraw->add_option("--cancel", cancel, "Cancel this waiting payout (its id) instead");
  withdraw->callback(Run(options, exit_code, [](AccountClient& account) {
    v1::Payout payout;
    if (!cancel.empty()) {
      v1::CancelPayoutRequest request;
      request.set_name(absl::StrCat(kWallet + 1, "/payouts/", cancel));
      if (absl::Status s = account.CallAsMember(
              "POST", absl::StrCat("/", request.name(), ":cancel"), &request, &payout);
          !s.ok()) {
        return s;
      }
      std::printf("cancelled; %s is available again\n", Shown(payout.amount_msat()).c_str());
      return absl::OkStatus();
    }
    if (address.empty() || amount_text.empty()) {
      return absl::InvalidArgumentError("say where and how much: wallet withdraw ADDRESS AMOUNT");
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
      return s;
    }
    const std::string& name = payout.name();
    std::printf("payout %s: %s held for %s, waiting for an operator\n",
                name.substr(name.rfind('/') + 1).c_str(), Shown(payout.amount_msat()).c_str(),
                payout.address().c_str());
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
          const std::string& name = payout.name();
          std::printf(
              "%s  %s  %s  %s%s\n", name.substr(name.rfind('/') + 1).c_str(),
              Shown(payout.amount_msat()).c_str(), payout.address().c_str(),
              std::string(absl::StripPrefix(v1::PayoutState_Name(payout.state()), "PAYOUT_STATE_"))
                  .c_str(),
              payout.txid().empty() ? "" : (" txid " + payout.txid()).c_str());
        }
        if (page.payouts().empty()) std::printf("no payouts yet\n");
        return absl::OkStatus();
      }));
}

}  // namespace bitcontent::cli
