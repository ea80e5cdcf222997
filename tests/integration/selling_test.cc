// Journey 7 of the brief, with the real CLI against the whole suite: a creator puts a
// price on a file with a revenue split between owner, publisher and uploader (three
// different members); a buyer can fetch neither the key nor the chunks before paying,
// is refused above their --max-price, pays once and downloads the file byte for byte;
// every wallet shows its exact share at once; downloading again is free; a buyer
// without the funds is refused and nothing moves; the creator's earnings show the sale.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/client/amount.h"
#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "tests/integration/bitcache.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::AvailableMsat;
using testing::CheckError;
using testing::CliResult;
using testing::Device;
using testing::Json;
using testing::MustRun;
using testing::ReadAll;
using testing::ReasonOf;
using testing::Rest;
using testing::Unsigned;
using testing::UserIdOf;

constexpr uint64_t kPriceMsat = 100'000;

// A member twice over: the test's own client (for REST checks with their token) and a
// CLI device logged in to the same account.
struct Seat {
  Device device;
  testing::Member member;
  std::string id;
};

Seat SignUp(testing::TestSuite& suite, Rest& rest, const std::string& name) {
  const std::string email = absl::StrCat(name, "@example.com");
  testing::Member member = testing::SignUpMember(suite, email);
  Device device(suite, name);
  const CliResult login = device.Run({"login", email}, "correct horse\n");
  INFO(login.output);
  REQUIRE(login.exit_code == 0);
  const std::string id = UserIdOf(rest, member.token);
  return Seat{std::move(device), std::move(member), id};
}

// The first line of `output` that starts with `prefix` ("" when none does).
std::string LineStartingWith(const std::string& output, absl::string_view prefix) {
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::StartsWith(line, prefix)) return std::string(line);
  }
  return "";
}

// The value after "`label`: " on a line of `output` ("" when no line has it).
std::string LineValue(const std::string& output, const std::string& label) {
  return std::string(absl::StripPrefix(LineStartingWith(output, label + ": "), label + ": "));
}

}  // namespace

TEST_CASE("a creator sells a file: the buyer pays once, every share lands, re-downloads are free",
          "[integration][cli][selling][journey]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "wallet", "pricing", "gateway"},
                           testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  Seat ada = SignUp(suite, rest, "ada");      // owns the folder and the file
  Seat bob = SignUp(suite, rest, "bob");      // uploads it into ada's folder
  Seat carol = SignUp(suite, rest, "carol");  // publishes it
  Seat dave = SignUp(suite, rest, "dave");    // buys it
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work / "dave");
  std::string film;  // three chunks and a bit
  for (int part = 0; part < 3; ++part) film += crypto::RandomBytes(1 << 20);
  film += crypto::RandomBytes(12345);
  std::ofstream(work / "film.bin", std::ios::binary) << film;

  MustRun(ada.device, {"mkdir", "/Films"});
  MustRun(ada.device, {"share", "/Films", "bob@example.com", "--write"});
  MustRun(bob.device, {"put", (work / "film.bin").string(), "shared:Films/"});
  const CliResult priced =
      MustRun(ada.device,
              {"price", "set", "/Films/film.bin", "--msat", absl::StrCat(kPriceMsat), "--split",
               "owner:70,publisher=carol@example.com:20,uploader:10", "--title", "A short film"});
  INFO(priced.output);
  const std::string link = LineStartingWith(
      MustRun(ada.device, {"link", "create", "/Films/film.bin"}).output, "http://");
  INFO(link);
  REQUIRE(absl::StrContains(link, "/l/"));
  CHECK_FALSE(absl::StrContains(link, "#"));  // a sale link never carries the key
  CHECK_THAT(MustRun(dave.device, {"ls", link}).output,
             Catch::Contains("for sale: A short film, 100,000 msat"));

  // What the sale pays each, by the documented rounding (exact here: every part of
  // 100,000 msat less the fee is a whole number of msat).
  const std::string node = LineValue(priced.output, "price")
                               .substr(0, LineValue(priced.output, "price").rfind("/price"));
  REQUIRE(absl::StartsWith(node, "nodes/"));
  const google::protobuf::Struct price = Json(rest.Get(absl::StrCat("/v1/", node, "/price")).body);
  const uint64_t fee_bp = Unsigned(testing::Object(price, "split"), "platformFeeBasisPoints");
  const uint64_t fee = kPriceMsat * fee_bp / 10'000;
  const uint64_t rest_msat = kPriceMsat - fee;
  const uint64_t owner_share = rest_msat * 70 / 100, publisher_share = rest_msat * 20 / 100,
                 uploader_share = rest_msat * 10 / 100;
  REQUIRE(owner_share + publisher_share + uploader_share + fee == kPriceMsat);

  testing::Fund(suite, dave.id, 1'000'000);
  const uint64_t ada_before = AvailableMsat(rest, ada.member.token);
  const uint64_t bob_before = AvailableMsat(rest, bob.member.token);
  const uint64_t carol_before = AvailableMsat(rest, carol.member.token);

  // Before paying: no key, no grant for the chunks, and get without --max-price says why.
  CHECK(ReasonOf(CheckError(
            rest.Post(absl::StrCat("/v1/", node, ":releaseFileKey"), "{}", dave.member.token), 400,
            9)) == "ERROR_REASON_PAYMENT_REQUIRED");
  const std::string link_id = link.substr(link.find("/l/") + 3);
  CHECK(ReasonOf(
            CheckError(rest.Post(absl::StrCat("/v1/links/", link_id, ":issueDownloadGrant"),
                                 absl::StrCat(R"({"node": ")", node, R"("})"), dave.member.token),
                       400, 9)) == "ERROR_REASON_PAYMENT_REQUIRED");
  const CliResult unpaid = dave.device.Run({"get", link, (work / "dave").string()});
  CHECK(unpaid.exit_code != 0);
  CHECK_THAT(unpaid.output, Catch::Contains("PAYMENT_REQUIRED"));
  const CliResult too_dear =
      dave.device.Run({"get", link, (work / "dave").string(), "--max-price", "50000"});
  CHECK(too_dear.exit_code != 0);
  CHECK(AvailableMsat(rest, dave.member.token) == 1'000'000);
  CHECK_FALSE(fs::exists(work / "dave" / "film.bin"));

  // Paid once, downloaded byte for byte, and each wallet shows its share at once.
  const CliResult bought = MustRun(dave.device, {"get", link, (work / "dave").string(),
                                                 "--max-price", absl::StrCat(kPriceMsat)});
  INFO(bought.output);
  CHECK(ReadAll(work / "dave" / "film.bin") == film);
  CHECK(AvailableMsat(rest, dave.member.token) == 1'000'000 - kPriceMsat);
  CHECK(AvailableMsat(rest, ada.member.token) == ada_before + owner_share);
  CHECK(AvailableMsat(rest, carol.member.token) == carol_before + publisher_share);
  CHECK(AvailableMsat(rest, bob.member.token) == bob_before + uploader_share);
  // Each seller's history shows the share and the purchase, but not who bought: a seller
  // knows a buyer only by the receipt's buyer_ref. The buyer sees whom each part paid.
  for (Seat* seller : {&ada, &carol, &bob}) {
    const std::string history = MustRun(seller->device, {"wallet", "history"}).output;
    INFO(history);
    CHECK_THAT(history, Catch::Contains("purchase-share  from a buyer  purchases/"));
    CHECK_THAT(history, !Catch::Contains(dave.id));
  }
  CHECK_THAT(MustRun(dave.device, {"wallet", "history"}).output,
             Catch::Contains(absl::StrCat("purchase-share  to users/", carol.id, "/wallet")));

  // Again, without --max-price: free, and the same bytes.
  fs::create_directories(work / "again");
  MustRun(dave.device, {"get", link, (work / "again").string()});
  CHECK(ReadAll(work / "again" / "film.bin") == film);
  // Buying it again says so first, shows no price, and records no new purchase.
  const CliResult rebuy = MustRun(dave.device, {"buy", link});
  INFO(rebuy.output);
  CHECK_THAT(rebuy.output, Catch::Contains("already bought: nothing charged"));
  CHECK_THAT(rebuy.output, !Catch::Contains("amount:"));
  CHECK(LineValue(rebuy.output, "paid") == client::FormatAmount(0));
  CHECK(AvailableMsat(rest, dave.member.token) == 1'000'000 - kPriceMsat);
  CHECK(AvailableMsat(rest, ada.member.token) == ada_before + owner_share);
  CHECK(testing::ListSize(Json(rest.Get("/v1/users/me/purchases", dave.member.token).body),
                          "purchases") == 1);
  // The buyer's list names the film by its public title.
  CHECK_THAT(MustRun(dave.device, {"purchases"}).output,
             Catch::Contains(client::FormatAmount(kPriceMsat)) && Catch::Contains("A short film"));

  // A wallet:pay API key made with the CLI: its spend limit is asked for in the CLI's
  // own words, lifetime by default, or per day or month.
  const CliResult unlimited =
      dave.device.Run({"apikey", "create", "reader app", "--scope", "wallet:pay"});
  CHECK(unlimited.exit_code != 0);
  CHECK_THAT(unlimited.output, Catch::Contains("--spend-limit-msat"));
  CHECK_THAT(unlimited.output, !Catch::Contains("spend_limit"));
  const CliResult made = MustRun(dave.device, {"apikey", "create", "reader app", "--scope",
                                               "wallet:pay", "--spend-limit-msat", "300000"});
  CHECK_THAT(made.output,
             Catch::Contains("spend limit: 300,000 msat (300.000 sat) for the key's life"));
  const std::string app_key = LineValue(made.output, "secret (shown only now)");
  REQUIRE(absl::StartsWith(app_key, "bck_"));
  const http::ClientResponse app_quote =
      rest.Post("/v1/quotes", absl::StrCat(R"({"subject": ")", node, R"("})"), app_key);
  INFO(app_quote.body);
  CHECK(app_quote.status == 200);
  CHECK_THAT(MustRun(dave.device, {"apikey", "create", "daily", "--scope", "wallet:pay",
                                   "--spend-limit-msat", "50sat", "--spend-limit-period", "day"})
                 .output,
             Catch::Contains("per day"));
  CHECK(dave.device
            .Run({"apikey", "create", "weekly", "--scope", "wallet:pay", "--spend-limit-msat",
                  "1000", "--spend-limit-period", "week"})
            .exit_code != 0);

  SECTION("a buyer without the funds is refused and nothing moves") {
    Seat eve = SignUp(suite, rest, "eve");
    testing::Fund(suite, eve.id, kPriceMsat - 1);
    const CliResult poor = eve.device.Run({"buy", link});
    CHECK(poor.exit_code != 0);
    CHECK_THAT(poor.output, Catch::Contains("INSUFFICIENT_FUNDS"));
    // What it needs and what the wallet has, as the CLI shows amounts.
    CHECK_THAT(
        poor.output,
        Catch::Contains(absl::StrCat("needs ", client::FormatAmount(kPriceMsat))) &&
            Catch::Contains(absl::StrCat(client::FormatAmount(kPriceMsat - 1), " available")));
    // What to do, in the CLI's words, not the API's (quotes, Idempotency-Key).
    CHECK_THAT(poor.output, Catch::Contains("then run the same command again") &&
                                !Catch::Contains("Idempotency-Key"));
    CHECK(AvailableMsat(rest, eve.member.token) == kPriceMsat - 1);
    CHECK(AvailableMsat(rest, ada.member.token) == ada_before + owner_share);
  }

  SECTION("a withdrawn file sells no more, and its buyer keeps downloading") {
    const CliResult withdrawn = MustRun(ada.device, {"price", "withdraw", "/Films/film.bin"});
    CHECK_THAT(withdrawn.output, Catch::Contains("withdrawn"));
    CHECK_THAT(MustRun(dave.device, {"price", "show", link}).output,
               Catch::Contains("state: withdrawn"));
    Seat eve = SignUp(suite, rest, "eve");
    testing::Fund(suite, eve.id, kPriceMsat);
    const CliResult refused = eve.device.Run({"buy", link});
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.output, Catch::Contains("not on sale"));
    CHECK(AvailableMsat(rest, eve.member.token) == kPriceMsat);
    // Getting it says so too, rather than offering to buy; the owner's listing marks it.
    const CliResult not_sold = eve.device.Run({"get", link, (work / "eve").string()});
    CHECK(not_sold.exit_code == 1);
    CHECK_THAT(not_sold.output, Catch::Contains("no longer sold (its owner withdrew it)"));
    CHECK_THAT(MustRun(ada.device, {"ls", "-l", "/Films"}).output,
               Catch::Contains("film.bin  [withdrawn: earlier buyers only]"));
    fs::create_directories(work / "after");
    MustRun(dave.device, {"get", link, (work / "after").string()});
    CHECK(ReadAll(work / "after" / "film.bin") == film);
  }

  SECTION("the creator's earnings show the sale, by its path and title") {
    const CliResult earned = MustRun(ada.device, {"earnings"});
    INFO(earned.output);
    CHECK_THAT(earned.output,
               Catch::Contains(absl::StrCat("total: ", client::FormatAmount(owner_share))));
    const std::string header = LineStartingWith(earned.output, "subject");
    // The owner reads the file's path, which only their keys open, not its node id.
    CHECK_THAT(earned.output, !Catch::Contains(node));
    const std::string row = LineStartingWith(earned.output, "/Films/film.bin ");
    CHECK_THAT(row, Catch::Contains("A short film"));
    // Aligned: each column starts where its header does.
    for (const char* column : {"title", "period", "earned"}) {
      CHECK(header.find(column) != std::string::npos);
    }
    CHECK(row.find("A short film") == header.find("title"));
    // Over REST, no granularity is the whole window, as the CLI's default.
    const http::ClientResponse total = rest.Get(
        "/v1/users/me/earnings?timeRange.startTime=2020-01-01T00:00:00Z&timeRange.endTime="
        "2100-01-01T00:00:00Z",
        ada.member.token);
    INFO(total.body);
    REQUIRE(total.status == 200);
    CHECK(Unsigned(Json(total.body), "totalMsat") == owner_share);
    // Another member's earnings and purchases are theirs: 403, as for wallets.
    CheckError(rest.Get(absl::StrCat("/v1/users/", dave.id,
                                     "/earnings?timeRange.startTime=2020-01-01T00:00:00Z"
                                     "&timeRange.endTime=2100-01-01T00:00:00Z"),
                        ada.member.token),
               403, 7);
    CheckError(rest.Get(absl::StrCat("/v1/users/", dave.id, "/purchases"), ada.member.token), 403,
               7);
  }

  SECTION("a member the folder is shared with downloads through the sale link, unpaid") {
    // bob uploaded the file into ada's folder, which is shared with him.
    const uint64_t bob_now = AvailableMsat(rest, bob.member.token);
    const http::ClientResponse released =
        rest.Post(absl::StrCat("/v1/", node, ":releaseFileKey"), "{}", bob.member.token);
    INFO(released.body);
    CHECK(released.status == 200);
    const http::ClientResponse quoted =
        rest.Post("/v1/quotes", absl::StrCat(R"({"subject": ")", node, R"("})"), bob.member.token);
    INFO(quoted.body);
    REQUIRE(quoted.status == 200);
    CHECK(Json(quoted.body).fields().at("alreadyEntitled").bool_value());
    const CliResult bought = MustRun(bob.device, {"buy", link});
    INFO(bought.output);
    CHECK_THAT(bought.output, Catch::Contains("shared with you") && !Catch::Contains("amount:"));
    fs::create_directories(work / "bob");
    const CliResult fetched = MustRun(bob.device, {"get", link, (work / "bob").string()});
    INFO(fetched.output);
    CHECK(ReadAll(work / "bob" / "film.bin") == film);
    CHECK(AvailableMsat(rest, bob.member.token) == bob_now);
    CHECK(AvailableMsat(rest, ada.member.token) == ada_before + owner_share);
    // Nothing bought, so nothing outlives the share.
    CHECK(testing::ListSize(Json(rest.Get("/v1/users/me/purchases", bob.member.token).body),
                            "purchases") == 0);
  }

  SECTION("a price removed: its sale link says the file is no longer sold") {
    MustRun(ada.device, {"price", "rm", "/Films/film.bin"});
    const CliResult buy = dave.device.Run({"buy", link});
    INFO(buy.output);
    CHECK(buy.exit_code == 1);
    CHECK_THAT(buy.output,
               Catch::Contains("is not for sale: it has no price") && !Catch::Contains("nodes/"));
    const CliResult got = dave.device.Run({"get", link, (work / "gone.bin").string()});
    CHECK(got.exit_code == 1);
    CHECK_THAT(got.output, Catch::Contains("its owner has stopped selling it"));
  }

  SECTION("a buyer the split pays too is told what of the price comes back to them") {
    testing::Fund(suite, carol.id, 1'000'000);
    const uint64_t carol_now = AvailableMsat(rest, carol.member.token);
    const CliResult bought = MustRun(carol.device, {"buy", link});
    INFO(bought.output);
    CHECK_THAT(bought.output, Catch::Contains(absl::StrCat("of which yours again: ",
                                                           client::FormatAmount(publisher_share))));
    CHECK(AvailableMsat(rest, carol.member.token) == carol_now - kPriceMsat + publisher_share);
  }

  SECTION("a new price keeps the split and the title it does not name") {
    const std::string price_path = absl::StrCat("/v1/", node, "/price");
    const auto recipients = [&] {
      return testing::ListSize(testing::Object(Json(rest.Get(price_path).body), "split"),
                               "recipients");
    };
    REQUIRE(recipients() == 3);
    MustRun(ada.device, {"price", "set", "/Films/film.bin", "--msat", "2000"});
    google::protobuf::Struct price = Json(rest.Get(price_path).body);
    CHECK(Unsigned(price, "downloadPriceMsat") == 2000);
    CHECK(testing::Text(price, "publicTitle") == "A short film");
    CHECK(recipients() == 3);
    // The title alone, then a split given anew replaces the old one; "" drops the title.
    MustRun(ada.device, {"price", "set", "/Films/film.bin", "--title", "Renamed"});
    price = Json(rest.Get(price_path).body);
    CHECK(Unsigned(price, "downloadPriceMsat") == 2000);
    CHECK(testing::Text(price, "publicTitle") == "Renamed");
    MustRun(ada.device, {"price", "set", "/Films/film.bin", "--split", "owner:100", "--title", ""});
    price = Json(rest.Get(price_path).body);
    CHECK(recipients() == 1);
    CHECK(testing::Text(price, "publicTitle").empty());
    CHECK(Unsigned(price, "downloadPriceMsat") == 2000);
  }

  SECTION("what sells no download, asks nothing, or would pay nobody is refused, saying why") {
    // A price that asks nothing is no price.
    const google::protobuf::Struct empty =
        CheckError(rest.Send("PUT", absl::StrCat("/v1/", node, "/price"), R"({"price": {}})",
                             {{"Authorization", "Bearer " + ada.member.token}}),
                   400, 3);
    CHECK_THAT(testing::Text(empty, "message"), Catch::Contains("download_price_msat"));
    // One member paid twice, or a member who does not exist: refused, nothing changed.
    const CliResult twice = ada.device.Run(
        {"price", "set", "/Films/film.bin", "--msat", "1000", "--split",
         absl::StrCat("owner:70,publisher=users/", carol.id, ":20,users/", carol.id, ":10")});
    CHECK(twice.exit_code != 0);
    CHECK_THAT(twice.output, Catch::Contains("already"));
    const CliResult nobody =
        ada.device.Run({"price", "set", "/Films/film.bin", "--msat", "1000", "--split",
                        absl::StrCat("owner:90,users/", ids::NewId(), ":10")});
    CHECK(nobody.exit_code != 0);
    CHECK_THAT(nobody.output, Catch::Contains("names no member"));
    CHECK(Unsigned(Json(rest.Get(absl::StrCat("/v1/", node, "/price")).body),
                   "downloadPriceMsat") == kPriceMsat);
    // Messages name the file as the member typed it: servers know it only as nodes/...
    const CliResult not_owner =
        bob.device.Run({"price", "set", "shared:Films/film.bin", "--msat", "5"});
    CHECK(not_owner.exit_code != 0);
    CHECK_THAT(not_owner.output, Catch::Contains("only the owner of shared:Films/film.bin") &&
                                     !Catch::Contains("nodes/"));
    const CliResult own = ada.device.Run({"buy", link});
    CHECK(own.exit_code != 0);
    CHECK_THAT(own.output, !Catch::Contains("nodes/"));
    // Sold for streaming only: get and buy say so, and charge nothing.
    std::ofstream(work / "clip.bin", std::ios::binary) << crypto::RandomBytes(5000);
    MustRun(ada.device, {"put", (work / "clip.bin").string(), "/Films/"});
    MustRun(ada.device, {"price", "set", "/Films/clip.bin", "--stream-per-mib-msat", "10"});
    const std::string clip = LineStartingWith(
        MustRun(ada.device, {"link", "create", "/Films/clip.bin"}).output, "http://");
    const CliResult get_clip = dave.device.Run({"get", clip, (work / "dave").string()});
    CHECK(get_clip.exit_code != 0);
    CHECK_THAT(get_clip.output, Catch::Contains("sold for streaming only; downloads are not sold"));
    const CliResult buy_clip = dave.device.Run({"buy", clip});
    CHECK(buy_clip.exit_code != 0);
    CHECK_THAT(buy_clip.output, Catch::Contains("sold for streaming only") &&
                                    Catch::Contains("downloads are not sold"));
    CHECK(AvailableMsat(rest, dave.member.token) == 1'000'000 - kPriceMsat);
  }
}

TEST_CASE(
    "a file on sale in a linked folder is bought as the folder comes down, within --max-price",
    "[integration][cli][selling]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "wallet", "pricing", "gateway"},
                           testing::CheapAccounts());
  Rest rest(suite->addresses("gateway").at("public_rest"));
  Seat ada = SignUp(suite, rest, "ada");
  Seat dave = SignUp(suite, rest, "dave");
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  const std::string free_bytes = crypto::RandomBytes(5000);
  const std::string paid_bytes = crypto::RandomBytes(1 << 20) + crypto::RandomBytes(7);
  std::ofstream(work / "free.bin", std::ios::binary) << free_bytes;
  std::ofstream(work / "paid.bin", std::ios::binary) << paid_bytes;
  MustRun(ada.device, {"mkdir", "/Docs"});
  MustRun(ada.device,
          {"put", (work / "free.bin").string(), (work / "paid.bin").string(), "/Docs/"});
  MustRun(ada.device, {"price", "set", "/Docs/paid.bin", "--msat", "2000"});
  const std::string link =
      LineStartingWith(MustRun(ada.device, {"link", "create", "/Docs"}).output, "http://");
  REQUIRE(absl::StrContains(link, "#"));
  testing::Fund(suite, dave.id, 1'000'000);
  const uint64_t before = AvailableMsat(rest, dave.member.token);
  // The reader sees which file is on sale, and for how much.
  const std::string listed = MustRun(dave.device, {"ls", "-l", link}).output;
  CHECK_THAT(listed, Catch::Contains("paid.bin  [on sale: 2,000 msat (2.000 sat)]"));
  CHECK_THAT(listed, !Catch::Contains("free.bin  [on sale"));

  // Without --max-price: the free file comes down, the one on sale says what to do.
  const CliResult unpaid = dave.device.Run({"get", link, (work / "one").string()});
  INFO(unpaid.output);
  CHECK(unpaid.exit_code == 1);
  CHECK_THAT(unpaid.output, Catch::Contains("paid.bin is for sale at 2,000 msat") &&
                                Catch::Contains("--max-price 2000") && !Catch::Contains("nodes/") &&
                                !Catch::Contains("bitcontent buy"));
  CHECK(ReadAll(work / "one" / "free.bin") == free_bytes);
  CHECK_FALSE(fs::exists(work / "one" / "paid.bin"));
  // Imported before it is bought: the free file is copied, the one on sale is not.
  const CliResult imported = dave.device.Run({"import-link", link, "/Unpaid"});
  INFO(imported.output);
  CHECK(imported.exit_code == 1);
  CHECK_THAT(imported.output,
             Catch::Contains("/Unpaid/paid.bin was not imported: paid.bin is for sale at 2,000 "
                             "msat") &&
                 Catch::Contains("import the folder again, to a new destination, with "
                                 "--max-price 2000") &&
                 Catch::Contains("1 of 2 files were not imported (above); the others were") &&
                 !Catch::Contains("nodes/"));
  CHECK(MustRun(dave.device, {"ls", "/Unpaid"}).output == "free.bin\n");
  // A folder is not sold whole; buy says how its files are.
  const CliResult whole = dave.device.Run({"buy", link});
  CHECK(whole.exit_code != 0);
  CHECK_THAT(whole.output, Catch::Contains("this link opens a folder"));
  // Below the price: nothing is paid.
  const CliResult cheap =
      dave.device.Run({"get", link, (work / "two").string(), "--max-price", "1000"});
  INFO(cheap.output);
  CHECK(cheap.exit_code == 1);
  CHECK_THAT(cheap.output, Catch::Contains("paid.bin") && !Catch::Contains("nodes/"));
  CHECK(AvailableMsat(rest, dave.member.token) == before);
  // A limit of 0 allows nothing (the API reads 0 as no limit: it never gets there).
  for (const char* zero : {"0", "0sat", "0.000sat"}) {
    const CliResult nothing =
        dave.device.Run({"get", link, (work / "z").string(), "--max-price", zero});
    CHECK(nothing.exit_code == 1);
    CHECK_THAT(nothing.output, Catch::Contains("--max-price must be at least 1 msat"));
  }
  CHECK(AvailableMsat(rest, dave.member.token) == before);

  // Within it: bought once as it comes down, byte for byte; again, nothing more is paid.
  const CliResult bought =
      dave.device.Run({"get", link, (work / "three").string(), "--max-price", "2sat"});
  INFO(bought.output);
  REQUIRE(bought.exit_code == 0);
  CHECK(ReadAll(work / "three" / "paid.bin") == paid_bytes);
  CHECK(ReadAll(work / "three" / "free.bin") == free_bytes);
  CHECK(AvailableMsat(rest, dave.member.token) == before - 2000);
  MustRun(dave.device, {"get", link, (work / "four").string(), "--max-price", "2sat"});
  CHECK(ReadAll(work / "four" / "paid.bin") == paid_bytes);
  CHECK(AvailableMsat(rest, dave.member.token) == before - 2000);
  // Bought: the whole folder imports, and the copy opens.
  CHECK(MustRun(dave.device, {"import-link", link, "/Paid"}).output ==
        "imported Docs as /Paid (2 files, 1 folder)\n");
  MustRun(dave.device, {"get", "/Paid/paid.bin", (work / "copy.bin").string()});
  CHECK(ReadAll(work / "copy.bin") == paid_bytes);
  CHECK(AvailableMsat(rest, dave.member.token) == before - 2000);

  // An import buys as it goes, within --max-price, as get does.
  Seat erin = SignUp(suite, rest, "erin");
  testing::Fund(suite, erin.id, 1'000'000);
  const CliResult buying = MustRun(erin.device, {"import-link", link, "/", "--max-price", "2000"});
  CHECK_THAT(buying.output, Catch::StartsWith("request id ") &&
                                Catch::Contains("\nbuying paid.bin\n") &&
                                Catch::EndsWith("\nimported Docs into / (2 files, 1 folder)\n"));
  CHECK(AvailableMsat(rest, erin.member.token) == 1'000'000 - 2000);
  MustRun(erin.device, {"get", "/Docs/paid.bin", (work / "erins.bin").string()});
  CHECK(ReadAll(work / "erins.bin") == paid_bytes);
}

// A member the split pays who is disabled later blocks every sale; buyers are not told
// who (that is the seller's business), so the seller's `price show` says it.
TEST_CASE("the seller's price show warns of a member of the split who cannot be paid now",
          "[integration][cli][selling]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "wallet", "pricing", "gateway"},
                           testing::CheapAccounts({"--operator_emails=ops@example.com"}));
  Rest rest(suite->addresses("gateway").at("public_rest"));
  Seat ada = SignUp(suite, rest, "ada");
  Seat carol = SignUp(suite, rest, "carol");
  Seat dave = SignUp(suite, rest, "dave");
  const testing::Member ops = testing::SignUpMember(suite, "ops@example.com");
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  std::ofstream(work / "song.bin", std::ios::binary) << crypto::RandomBytes(4000);
  MustRun(ada.device, {"put", (work / "song.bin").string(), "/song.bin"});
  MustRun(ada.device, {"price", "set", "/song.bin", "--msat", "5000", "--split",
                       "owner:80,publisher=carol@example.com:20"});
  const std::string link =
      LineStartingWith(MustRun(ada.device, {"link", "create", "/song.bin"}).output, "http://");
  REQUIRE(absl::StrContains(link, "/l/"));
  CHECK_THAT(MustRun(ada.device, {"price", "show", "/song.bin"}).output,
             !Catch::Contains("warning"));

  testing::SetUserState(suite, ops.token, carol.id, accounts::v1::USER_STATE_DISABLED);
  const CliResult shown = MustRun(ada.device, {"price", "show", "/song.bin"});
  INFO(shown.output);
  CHECK(LineStartingWith(shown.output, "warning: ") ==
        absl::StrCat("warning: users/", carol.id,
                     " cannot be paid now (not an active member: disabled, or an imported account "
                     "not claimed yet), so every purchase is refused; `bitcontent price set FILE "
                     "--split ...` without them puts it back on sale"));
  // A buyer sees the price as before, without the member's state.
  CHECK_THAT(MustRun(dave.device, {"price", "show", link}).output,
             Catch::Contains("download: 5,000 msat") && !Catch::Contains("warning"));
  const std::string node =
      LineValue(shown.output, "price").substr(0, LineValue(shown.output, "price").rfind("/price"));
  CHECK_THAT(rest.Get(absl::StrCat("/v1/", node, "/price"), dave.member.token).body,
             !Catch::Contains("notPayable"));

  // The split changed without them: on sale again, and nothing to warn of.
  MustRun(ada.device, {"price", "set", "/song.bin", "--split", "owner:100"});
  CHECK_THAT(MustRun(ada.device, {"price", "show", "/song.bin"}).output,
             !Catch::Contains("warning"));
  testing::Fund(suite, dave.id, 100'000);
  MustRun(dave.device, {"buy", link, "--max-price", "5000"});
}

}  // namespace bitcontent
