#include "clients/cli/pricing_commands.h"

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/run.h"
#include "libs/auth/proto_time.h"
#include "libs/client/amount.h"
#include "libs/client/api_client.h"
#include "libs/client/link_url.h"
#include "libs/client/pricing_client.h"
#include "libs/client/split_spec.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"

namespace bitcontent::cli {
namespace {

namespace pv1 = pricing::v1;
using client::AccountClient;
using client::FormatAmount;
using client::PricingClient;

// A fresh idempotency key, printed so a member can repeat a purchase that timed out.
std::string NewRequestId() { return crypto::HexEncode(crypto::RandomBytes(16)); }

std::string LabelOf(const pv1::SplitLine& line) {
  return line.platform_fee() ? "platform fee" : client::RecipientLabel(line.role(), line.user());
}

// One indented line per part: "  owner: 1,050 msat (1.050 sat)".
void PrintSplitLines(const std::vector<pv1::SplitLine>& lines) {
  for (const pv1::SplitLine& line : lines) {
    std::printf("  %s: %s\n", LabelOf(line).c_str(), FormatAmount(line.amount_msat()).c_str());
  }
}

std::string PercentOfBasisPoints(uint32_t basis_points) {
  return absl::StrCat(basis_points / 100, basis_points % 100 == 0 ? "" : ".",
                      basis_points % 100 == 0 ? "" : absl::StrCat(basis_points % 100), "%");
}

// What a price asks, as `price set` and `price show` print it.
void PrintPrice(const pv1::Price& price) {
  std::printf("price: %s\n", price.name().c_str());
  if (!price.public_title().empty()) std::printf("title: %s\n", price.public_title().c_str());
  if (price.download_price_msat() != 0) {
    std::printf("download: %s\n", FormatAmount(price.download_price_msat()).c_str());
  }
  if (price.stream_per_mib_msat() != 0) {
    std::printf("stream: %s per MiB\n", FormatAmount(price.stream_per_mib_msat()).c_str());
  }
  if (price.stream_per_minute_msat() != 0) {
    std::printf("stream: %s per minute\n", FormatAmount(price.stream_per_minute_msat()).c_str());
  }
  std::printf("split: %s, after a platform fee of %s\n", client::FormatSplit(price.split()).c_str(),
              PercentOfBasisPoints(price.split().platform_fee_basis_points()).c_str());
  for (const pv1::SplitRecipient& recipient : price.split().recipients()) {
    if (!recipient.not_payable()) continue;
    std::printf(
        "warning: %s cannot be paid now (not an active member: disabled, or an imported "
        "account not claimed yet), so every purchase is refused; `bitcontent price set FILE "
        "--split ...` without them puts it back on sale\n",
        recipient.user().c_str());
  }
  if (price.download_price_msat() != 0) {
    std::printf("each sale pays:\n");
    PrintSplitLines(client::PreviewSplit(price.download_price_msat(), price.split()));
  }
  if (price.state() == pv1::PRICE_STATE_WITHDRAWN) std::printf("state: withdrawn\n");
}

// "--msat" and the stream rates: amounts as `wallet pay` takes them; empty is 0.
absl::StatusOr<uint64_t> AmountOrZero(const std::string& text) {
  if (text.empty()) return 0;
  return client::ParseAmount(text);
}

// What a purchase answered, after the quote: what it cost, its receipt, the entitlement.
// A buyer whom the split pays too (say, as its uploader) keeps that part: said, so that
// "paid" is not read as what left the wallet.
void PrintPurchase(const client::PurchaseOutcome& paid, bool charged) {
  const pv1::Purchase& purchase = paid.purchase;
  std::printf("purchase: %s\n", purchase.name().c_str());
  uint64_t back_msat = 0;
  for (const pv1::SplitLine& line : purchase.lines()) {
    if (!line.platform_fee() && !purchase.buyer().empty() && line.user() == purchase.buyer()) {
      back_msat += line.amount_msat();
    }
  }
  std::printf("paid: %s\n", FormatAmount(charged ? purchase.amount_msat() : 0).c_str());
  if (charged && back_msat > 0) {
    std::printf("of which yours again: %s (your share of the split), so %s left your wallet\n",
                FormatAmount(back_msat).c_str(),
                FormatAmount(purchase.amount_msat() - back_msat).c_str());
  }
  if (paid.receipt.receipt_id().empty()) {
    std::printf("receipt: none (the purchase carries no readable receipt token)\n");
  } else {
    std::printf("receipt: %s%s\n", paid.receipt.receipt_id().c_str(),
                paid.receipt_verified ? "" : " (signature not verified with /v1/keys)");
  }
  if (!purchase.entitlement().empty()) {
    std::printf("entitlement: %s\n", purchase.entitlement().c_str());
  }
}

// The quote, then the purchase: what `buy` prints, and `get` when it buys first. A buyer
// who already has it (bought before, or shared with them) is told so before anything
// else, and shown no price: nothing is charged.
absl::Status Buy(PricingClient& pricing, const std::string& subject,
                 std::optional<uint64_t> max_price_msat, const std::string& request_id) {
  absl::StatusOr<pv1::Quote> quote = pricing.Quote(subject);
  if (!quote.ok()) return quote.status();
  if (!quote->public_title().empty()) std::printf("title: %s\n", quote->public_title().c_str());
  if (!quote->already_entitled()) {
    std::printf("amount: %s\n", FormatAmount(quote->amount_msat()).c_str());
    PrintSplitLines({quote->lines().begin(), quote->lines().end()});
  }
  const std::string key = request_id.empty() ? NewRequestId() : request_id;
  std::fprintf(stderr, "request id %s\n", key.c_str());
  absl::StatusOr<client::PurchaseOutcome> paid =
      pricing.Purchase(*quote, {.max_amount_msat = max_price_msat.value_or(0), .request_id = key});
  if (client::ErrorReasonOf(paid.status()) == common::v1::ERROR_REASON_INSUFFICIENT_FUNDS) {
    // The server's advice is for API clients (a new quote or Idempotency-Key); here, the
    // same command run again asks both anew, unless it named its --request-id.
    std::string message(ExplainShortfall(paid.status()).message());
    if (message.back() != '.') message += '.';
    if (const size_t advice = message.find(" Add funds"); advice != std::string::npos) {
      message.resize(advice);
    }
    return WithMessage(
        paid.status(),
        absl::StrCat(message,
                     " Add funds (`bitcontent wallet address` gives a deposit address), "
                     "then run the same command again",
                     request_id.empty() ? "" : " with a new --request-id", "."));
  }
  if (!paid.ok()) return WithRetryAdvice(paid.status(), key);
  const pv1::Purchase& purchase = paid->purchase;
  if (purchase.quote() != quote->name()) {
    // The answer is the earlier purchase that made it theirs: nothing charged now.
    std::printf("already bought: nothing charged (bought %s)\n",
                ShownTime(purchase.create_time()).c_str());
    PrintPurchase(*paid, /*charged=*/false);
  } else if (purchase.amount_msat() == 0 && purchase.entitlement().empty()) {
    // Shared with the buyer: they read it through the share.
    std::printf("shared with you: you download it without paying; nothing charged\n");
    std::printf("paid: %s\n", FormatAmount(0).c_str());
  } else {
    PrintPurchase(*paid, /*charged=*/true);
  }
  return absl::OkStatus();
}

// What messages call a file named by a link: its URL would show its key.
const char kLinkedFile[] = "the linked file";

// The node a FILE (a path in the member's tree) or a LINK names, the server to ask, and
// what to call it in messages.
struct Target {
  std::string server;
  std::string node;
  std::string shown;
  bool folder = false;
};

absl::StatusOr<Target> TargetOf(AccountClient& account, const std::string& file_or_link) {
  client::TreeClient tree(&account);
  if (client::IsLinkUrl(file_or_link)) {
    client::FileTransfer transfer(&account, &tree, {});
    absl::StatusOr<client::LinkedFile> linked = transfer.ResolveLink(file_or_link);
    if (!linked.ok()) return linked.status();
    return Target{linked->url.server, linked->entry.node.name(), std::string(kLinkedFile),
                  linked->entry.node.type() == metadata::v1::NODE_TYPE_FOLDER};
  }
  absl::StatusOr<client::TreeEntry> entry = tree.Resolve(file_or_link);
  if (!entry.ok()) return entry.status();
  return Target{account.options().server, entry->node.name(), file_or_link};
}

// What `price set` was given, as typed; nullopt for an option not given.
struct PriceSetInput {
  std::string path;
  std::optional<std::string> msat, split, title, per_mib, per_minute;
};

// `price set`: the terms parsed and checked here, the key sealed to the escrow key, the
// price as pricing set it printed with each sale's parts. A file already priced keeps
// every term not given (its split, its title, its other rates): changing the price
// alone must not drop the collaborators its split pays.
absl::Status SetPriceOf(AccountClient& account, const PriceSetInput& input) {
  client::TreeClient tree(&account);
  absl::StatusOr<client::TreeEntry> file = tree.Resolve(input.path);
  if (!file.ok()) return file.status();
  PricingClient pricing(&account);
  absl::StatusOr<pv1::Price> current =
      pricing.GetPrice(account.options().server, file->node.name());
  if (!current.ok() && !absl::IsNotFound(current.status())) {
    return Naming(current.status(), file->node.name(), input.path);
  }
  const pv1::Price kept = current.ok() ? *current : pv1::Price();
  client::PriceTerms terms{.download_price_msat = kept.download_price_msat(),
                           .stream_per_mib_msat = kept.stream_per_mib_msat(),
                           .stream_per_minute_msat = kept.stream_per_minute_msat(),
                           .split = kept.split(),
                           .public_title = input.title.value_or(kept.public_title())};
  // One streaming rate replaces the other: a stream is metered by MiB or by minute.
  if (input.per_mib.has_value()) terms.stream_per_minute_msat = 0;
  if (input.per_minute.has_value()) terms.stream_per_mib_msat = 0;
  const std::pair<const std::optional<std::string>*, uint64_t*> amounts[] = {
      {&input.msat, &terms.download_price_msat},
      {&input.per_mib, &terms.stream_per_mib_msat},
      {&input.per_minute, &terms.stream_per_minute_msat}};
  for (const auto& [text, amount] : amounts) {
    if (!text->has_value()) continue;
    absl::StatusOr<uint64_t> parsed = AmountOrZero(**text);
    if (!parsed.ok()) return parsed.status();
    *amount = *parsed;
  }
  if (terms.download_price_msat == 0 && terms.stream_per_mib_msat == 0 &&
      terms.stream_per_minute_msat == 0) {
    return absl::InvalidArgumentError(
        "say what it costs: --msat, --stream-per-mib-msat or --stream-per-minute-msat "
        "(`bitcontent price rm` makes a file free again)");
  }
  if (input.split.has_value() || !current.ok()) {
    absl::StatusOr<pv1::SplitRule> split =
        client::ParseSplitSpec(input.split.value_or("owner:100"),
                               [&tree](absl::string_view email) -> absl::StatusOr<std::string> {
                                 absl::StatusOr<accounts::v1::LookupUserPublicKeyResponse> member =
                                     tree.LookupMember(email);
                                 if (!member.ok()) return member.status();
                                 return member->user();
                               });
    if (!split.ok()) return split.status();
    terms.split = *std::move(split);
  }
  absl::StatusOr<pv1::Price> set_price = pricing.SetPrice(*file, terms);
  if (!set_price.ok()) return Naming(set_price.status(), file->node.name(), input.path);
  PrintPrice(*set_price);
  std::fprintf(stderr,
               "on sale; `bitcontent link create %s` makes a sale link (no key in it: buyers "
               "get the key from pricing after paying)\n",
               input.path.c_str());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<uint64_t>> MaxPriceOf(const std::string& text) {
  if (text.empty()) return std::nullopt;
  absl::StatusOr<uint64_t> amount = client::ParseAmount(text);
  if (!amount.ok()) return amount.status();
  // The purchase API reads a limit of 0 as none at all: a member who wrote 0 meant
  // "nothing", so it never reaches it.
  if (*amount == 0) {
    return absl::InvalidArgumentError(
        "--max-price must be at least 1 msat: 0 would buy nothing (leave it out, and what is "
        "on sale is not bought)");
  }
  return *amount;
}

absl::Status PrepareBoughtFile(AccountClient& account, client::LinkedFile& file,
                               std::optional<uint64_t> max_price_msat,
                               const std::string& request_id, absl::string_view folder_again) {
  const bool in_folder = !folder_again.empty();
  PricingClient pricing(&account);
  const std::string& subject = file.entry.node.name();
  const std::string shown = in_folder ? file.entry.name : kLinkedFile;
  if (absl::StatusOr<std::string> token = account.AccessToken(); !token.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("this file is for sale: only buyers download it (PAYMENT_REQUIRED); ",
                     token.status().message()));
  }
  // Pricing hands the key to whoever may have the file already: its seller, a buyer, or
  // a member a folder above it is shared with. Anyone else is asked to pay.
  absl::StatusOr<std::string> key = pricing.ReleaseFileKey(subject);
  if (client::ErrorReasonOf(key.status()) == common::v1::ERROR_REASON_PAYMENT_REQUIRED) {
    absl::StatusOr<pv1::Price> price = pricing.GetPrice(file.url.server, subject);
    if (price.ok() && price->download_price_msat() == 0) {
      return absl::FailedPreconditionError(
          "this file is sold for streaming only; downloads are not sold");
    }
    if (price.ok() && price->state() == pv1::PRICE_STATE_WITHDRAWN) {
      return absl::FailedPreconditionError(
          "this file is no longer sold (its owner withdrew it): only those who bought it "
          "earlier can download it");
    }
    if (!max_price_msat.has_value()) {
      const std::string amount =
          price.ok() ? FormatAmount(price->download_price_msat()) : "a price";
      const std::string max = price.ok() ? absl::StrCat(price->download_price_msat()) : "AMOUNT";
      if (in_folder) {
        return absl::FailedPreconditionError(absl::StrCat(
            shown, " is for sale at ", amount,
            " and you have not bought it (PAYMENT_REQUIRED): ", folder_again, " with --max-price ",
            max, " to buy each file on sale in it that costs at most that"));
      }
      return absl::FailedPreconditionError(absl::StrCat(
          "this file is for sale at ", amount,
          " and you have not bought it (PAYMENT_REQUIRED): run `bitcontent buy ",
          FormatLinkUrl(file.url), "`, or get it again with --max-price ", max, " to buy first"));
    }
    if (in_folder) std::printf("buying %s\n", file.entry.name.c_str());
    if (absl::Status bought = Buy(pricing, subject, max_price_msat, request_id); !bought.ok()) {
      return Naming(bought, subject, shown);
    }
    key = pricing.ReleaseFileKey(subject);
  }
  if (!key.ok()) return key.status();
  if (!file.entry.key.empty()) return absl::OkStatus();
  return client::FileTransfer::OpenWithKey(file, *std::move(key));
}

void AddPricingCommands(CLI::App& app, const GlobalOptions& options, int* exit_code) {
  static std::string path;
  static std::string msat_text;
  static std::string split_text;
  static std::string title;
  static std::string per_mib_text;
  static std::string per_minute_text;
  static std::string max_price_text;
  static std::string request_id;

  CLI::App* price = app.add_subcommand("price", "Sell your files: set, show or withdraw a price");
  price->require_subcommand(1);
  CLI::App* set = price->add_subcommand(
      "set",
      "Put a file on sale: its key is sealed on this device to pricing's escrow key, so "
      "pricing can hand it to buyers once they have paid (this file only)");
  set->add_option("file", path, "Your file, e.g. /films/short.mp4")
      ->check(CheckNotEmpty)
      ->required();
  set->add_option("--msat", msat_text,
                  "The download price: msat (\"1500\") or sat (\"2sat\", \"1.5sat\")");
  set->add_option("--split", split_text,
                  "Who is paid what share after the platform fee, in percent: "
                  "owner:70,publisher:20,uploader:10 (default owner:100); "
                  "publisher=carol@example.com:20 names the member in a role, and "
                  "carol@example.com:20 (or users/ID:20) pays anyone else; a file already "
                  "on sale keeps its split, title and rates unless given anew");
  set->add_option("--title", title,
                  "Shown to buyers before they pay (the file's name stays private); "
                  "--title \"\" removes it");
  CLI::Option* per_mib =
      set->add_option("--stream-per-mib-msat", per_mib_text, "Streaming price per MiB watched");
  set->add_option("--stream-per-minute-msat", per_minute_text, "Streaming price per minute watched")
      ->excludes(per_mib);
  set->callback(Run(options, exit_code, [set](AccountClient& account) {
    const auto given = [set](const char* option,
                             const std::string& text) -> std::optional<std::string> {
      if (set->get_option(option)->count() == 0) return std::nullopt;
      return text;
    };
    return SetPriceOf(account, {.path = path,
                                .msat = given("--msat", msat_text),
                                .split = given("--split", split_text),
                                .title = given("--title", title),
                                .per_mib = given("--stream-per-mib-msat", per_mib_text),
                                .per_minute = given("--stream-per-minute-msat", per_minute_text)});
  }));

  CLI::App* show = price->add_subcommand("show", "A file's price and split (yours, or a link's)");
  show->add_option("file", path, "Your file, or a link's URL")->check(CheckNotEmpty)->required();
  show->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::StatusOr<Target> target = TargetOf(account, path);
    if (!target.ok()) return target.status();
    // The member's own file is asked about as its seller, who is told of a split that
    // cannot be paid; a link's, anonymously, as its buyers see it.
    PricingClient pricing(&account);
    absl::StatusOr<pv1::Price> shown = client::IsLinkUrl(path)
                                           ? pricing.GetPrice(target->server, target->node)
                                           : pricing.GetOwnPrice(target->node);
    if (absl::IsNotFound(shown.status())) {
      std::printf("free: %s has no price\n", path.c_str());
      return absl::OkStatus();
    }
    if (!shown.ok()) return Naming(shown.status(), target->node, target->shown);
    PrintPrice(*shown);
    return absl::OkStatus();
  }));

  CLI::App* withdraw = price->add_subcommand(
      "withdraw",
      "Stop selling a file: no new purchases, while everyone who bought it keeps downloading "
      "(`price set` puts it on sale again)");
  withdraw->add_option("file", path, "Your file")->check(CheckNotEmpty)->required();
  withdraw->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::StatusOr<client::TreeEntry> file = client::TreeClient(&account).Resolve(path);
    if (!file.ok()) return file.status();
    PricingClient pricing(&account);
    absl::StatusOr<pv1::Price> current =
        pricing.GetPrice(account.options().server, file->node.name());
    if (absl::IsNotFound(current.status())) {
      return absl::FailedPreconditionError(absl::StrCat(path, " is not on sale"));
    }
    if (!current.ok()) return Naming(current.status(), file->node.name(), path);
    pv1::SplitRule split = current->split();
    split.clear_platform_fee_basis_points();
    const client::PriceTerms terms{.download_price_msat = current->download_price_msat(),
                                   .stream_per_mib_msat = current->stream_per_mib_msat(),
                                   .stream_per_minute_msat = current->stream_per_minute_msat(),
                                   .split = std::move(split),
                                   .public_title = current->public_title(),
                                   .withdrawn = true};
    absl::StatusOr<pv1::Price> withdrawn = pricing.SetPrice(*file, terms);
    if (!withdrawn.ok()) return Naming(withdrawn.status(), file->node.name(), path);
    std::printf("withdrawn: %s sells no more; everyone who bought it keeps downloading\n",
                path.c_str());
    return absl::OkStatus();
  }));

  CLI::App* remove = price->add_subcommand(
      "rm",
      "Make a file free again and delete its escrowed key: buyers can no longer get the key "
      "from pricing, only from a copy they imported (`price withdraw` keeps it for them)");
  remove->add_option("file", path, "Your file")->check(CheckNotEmpty)->required();
  remove->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::StatusOr<client::TreeEntry> file = client::TreeClient(&account).Resolve(path);
    if (!file.ok()) return file.status();
    if (absl::Status s = PricingClient(&account).DeletePrice(file->node.name()); !s.ok()) {
      return Naming(s, file->node.name(), path);
    }
    std::printf(
        "free: %s is no longer for sale and its escrowed key is deleted; links that carry "
        "its key download it free; buyers keep only the copies they imported (import-link)\n",
        path.c_str());
    return absl::OkStatus();
  }));

  CLI::App* buy = app.add_subcommand(
      "buy", "Buy what a sale link sells, once: later downloads are free (`bitcontent get LINK`)");
  buy->add_option("link", path, "The sale link's URL")->required();
  buy->add_option("--max-price", max_price_text,
                  "Refuse to pay more than this: msat (\"1500\") or sat (\"2sat\", \"1.5sat\")");
  buy->add_option("--request-id", request_id,
                  "Idempotency key: repeat a purchase that timed out with the key it printed, "
                  "and it is never paid twice")
      ->check(CheckRequestId);
  buy->callback(Run(options, exit_code, [](AccountClient& account) {
    absl::StatusOr<std::optional<uint64_t>> max_price = MaxPriceOf(max_price_text);
    if (!max_price.ok()) return max_price.status();
    absl::StatusOr<Target> target = TargetOf(account, path);
    if (!target.ok()) return target.status();
    if (target->folder) {
      return absl::InvalidArgumentError(
          "this link opens a folder, which is not sold as a whole: `bitcontent get LINK DIR "
          "--max-price AMOUNT` buys each file on sale in it that costs at most AMOUNT as it "
          "fetches them (`bitcontent ls -l LINK` shows which are on sale)");
    }
    PricingClient pricing(&account);
    return Naming(Buy(pricing, target->node, *max_price, request_id), target->node, target->shown);
  }));
}

}  // namespace bitcontent::cli
