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
  const CliResult priced = MustRun(
      ada.device, {"price", "set", "/Films/film.bin", "--msat", absl::StrCat(kPriceMsat), "--split",
                   absl::StrCat("owner:70,publisher=users/", carol.id, ":20,uploader:10"),
                   "--title", "A short film"});
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

  // Again, without --max-price: free, and the same bytes.
  fs::create_directories(work / "again");
  MustRun(dave.device, {"get", link, (work / "again").string()});
  CHECK(ReadAll(work / "again" / "film.bin") == film);
  const CliResult rebuy = MustRun(dave.device, {"buy", link});
  CHECK_THAT(rebuy.output, Catch::Contains("already bought"));
  CHECK(AvailableMsat(rest, dave.member.token) == 1'000'000 - kPriceMsat);
  CHECK(AvailableMsat(rest, ada.member.token) == ada_before + owner_share);

  SECTION("a buyer without the funds is refused and nothing moves") {
    Seat eve = SignUp(suite, rest, "eve");
    testing::Fund(suite, eve.id, kPriceMsat - 1);
    const CliResult poor = eve.device.Run({"buy", link});
    CHECK(poor.exit_code != 0);
    CHECK_THAT(poor.output, Catch::Contains("INSUFFICIENT_FUNDS"));
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
    fs::create_directories(work / "after");
    MustRun(dave.device, {"get", link, (work / "after").string()});
    CHECK(ReadAll(work / "after" / "film.bin") == film);
  }

  SECTION("the creator's earnings show the sale") {
    const CliResult earned = MustRun(ada.device, {"earnings"});
    INFO(earned.output);
    CHECK_THAT(earned.output,
               Catch::Contains(absl::StrCat("total: ", client::FormatAmount(owner_share))));
  }
}

}  // namespace bitcontent
