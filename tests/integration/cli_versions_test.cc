// Versions by CLI: putting a file where one exists makes a new current version, sealed
// with the file's own key; `versions` lists the kept ones newest first, any of them
// downloads, past the operator's retention the oldest is dropped and its bytes given
// back to the quota, and purging the file gives back the rest; an earlier version can be
// made the current one again, and one that is not current deleted.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/crypto/random.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::CheapAccounts;
using testing::Device;
using testing::Json;
using testing::MustRun;
using testing::ReadAll;

// The bytes the member's quota counts as used.
uint64_t UsedBytes(testing::TestSuite& suite, const Device& device) {
  const std::string token =
      Json(ReadAll(device.credentials())).fields().at("accessToken").string_value();
  testing::Rest rest(suite->addresses("gateway").at("public_rest"));
  const http::ClientResponse quota = rest.Get("/v1/users/me/quota", token);
  REQUIRE(quota.status == 200);
  const google::protobuf::Struct body = Json(quota.body);
  const auto found = body.fields().find("usedBytes");
  if (found == body.fields().end()) return 0;  // Zero is left out of JSON.
  uint64_t used = 0;
  REQUIRE(absl::SimpleAtoi(found->second.string_value(), &used));
  return used;
}

// The paths `bitcontent trash` lists, one a line, without the id and time before each.
std::string TrashedPaths(const std::string& listing) {
  std::string paths;
  for (absl::string_view line : absl::StrSplit(listing, '\n', absl::SkipEmpty())) {
    const size_t path = line.find("  /");
    absl::StrAppend(&paths, path == absl::string_view::npos ? line : line.substr(path + 2), "\n");
  }
  return paths;
}

// Puts `content` as /thesis.txt, over what is there.
void PutThesis(const Device& device, const fs::path& work, const std::string& content) {
  std::ofstream(work / "thesis.txt", std::ios::binary | std::ios::trunc) << content;
  MustRun(device, {"put", (work / "thesis.txt").string(), "/"});
}

TEST_CASE("putting over a file makes a new version, old ones download, retention drops the oldest",
          "[integration][cli][versions]") {
  launch::SuiteOptions options = CheapAccounts();
  options.extra_args["metadata"] = {"--versions_kept=2"};
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, options);
  Device laptop(suite, "laptop");
  REQUIRE(laptop.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  const std::vector<std::string> drafts = {crypto::RandomBytes(1000), crypto::RandomBytes(3000),
                                           crypto::RandomBytes(5000)};
  const auto put_draft = [&](size_t i) { PutThesis(laptop, work, drafts[i]); };
  put_draft(0);
  // The same file put again, unchanged, sends nothing and makes no version.
  CHECK(MustRun(laptop, {"put", (work / "thesis.txt").string(), "/"}).output ==
        (work / "thesis.txt").string() +
            " is already at /thesis.txt, unchanged: nothing was sent\n");
  put_draft(1);
  CHECK(MustRun(laptop, {"ls"}).output == "thesis.txt\n");
  MustRun(laptop, {"get", "/thesis.txt", (work / "now.txt").string()});
  CHECK(ReadAll(work / "now.txt") == drafts[1]);

  std::vector<std::string> lines =
      absl::StrSplit(MustRun(laptop, {"versions", "/thesis.txt"}).output, '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::Contains("2.9 KiB") && Catch::Contains("(current)"));
  CHECK_THAT(lines[1], Catch::Contains("1000 B") && !Catch::Contains("(current)"));
  const std::string first_id = lines[1].substr(0, lines[1].find(' '));
  MustRun(laptop, {"get", "/thesis.txt", (work / "first.txt").string(), "--version", first_id});
  CHECK(ReadAll(work / "first.txt") == drafts[0]);

  // A third version: with two kept, the first goes, and its bytes leave the quota.
  const uint64_t used_before = UsedBytes(suite, laptop);
  put_draft(2);
  lines =
      absl::StrSplit(MustRun(laptop, {"versions", "/thesis.txt"}).output, '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0], Catch::Contains("4.9 KiB"));
  CHECK_THAT(lines[1], Catch::Contains("2.9 KiB"));
  // + the new version's ciphertext, - the first one's (1000 bytes and a 16-byte tag).
  CHECK(UsedBytes(suite, laptop) == used_before + (5000 + 16) - (1000 + 16));
  // A version no longer kept, or no version id at all, is said in the member's terms:
  // the path and the id, never the server's resource names.
  const testing::CliResult dropped =
      laptop.Run({"get", "/thesis.txt", work.string(), "--version", first_id});
  CHECK(dropped.exit_code == 1);
  CHECK_THAT(dropped.output, Catch::Contains("/thesis.txt has no version " + first_id) &&
                                 !Catch::Contains("nodes/"));
  const testing::CliResult garbage =
      laptop.Run({"get", "/thesis.txt", work.string(), "--version", "garbage"});
  CHECK(garbage.exit_code == 2);  // a usage error
  CHECK_THAT(garbage.output, Catch::Contains("is not a version id") && !Catch::Contains("nodes/"));

  // Purged from the trash: every kept version leaves the quota.
  MustRun(laptop, {"rm", "/thesis.txt"});
  CHECK(TrashedPaths(MustRun(laptop, {"trash"}).output) == "/thesis.txt\n");
  CHECK_THAT(MustRun(laptop, {"purge", "/thesis.txt"}).output, Catch::Contains("7.8 KiB back"));
  CHECK(UsedBytes(suite, laptop) == 0);
  CHECK(MustRun(laptop, {"trash"}).output.empty());

  // Emptying the trash purges all in it at once.
  put_draft(0);
  MustRun(laptop, {"mkdir", "/Old"});
  MustRun(laptop, {"rm", "/thesis.txt"});
  MustRun(laptop, {"rm", "/Old"});
  CHECK(TrashedPaths(MustRun(laptop, {"trash"}).output) == "/Old/\n/thesis.txt\n");
  CHECK_THAT(MustRun(laptop, {"trash", "--empty"}).output, Catch::Contains("1016 B back"));
  CHECK(MustRun(laptop, {"trash"}).output.empty());
  CHECK(UsedBytes(suite, laptop) == 0);
}

TEST_CASE("an earlier version restored becomes current with no bytes moved and others delete",
          "[integration][cli][versions]") {
  testing::Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::vector<std::string> drafts = {crypto::RandomBytes(1000), crypto::RandomBytes(3000),
                                           crypto::RandomBytes(5000)};
  const auto put_draft = [&](size_t i) { PutThesis(laptop, work, drafts[i]); };
  const auto versions = [&] {
    std::vector<std::string> lines = absl::StrSplit(
        MustRun(laptop, {"versions", "/thesis.txt"}).output, '\n', absl::SkipEmpty());
    return lines;
  };
  put_draft(0);
  put_draft(1);
  std::vector<std::string> lines = versions();
  REQUIRE(lines.size() == 2);
  const std::string first_id = lines[1].substr(0, lines[1].find(' '));
  const uint64_t used_before = UsedBytes(suite, laptop);

  CHECK_THAT(MustRun(laptop, {"versions", "/thesis.txt", "--restore", first_id}).output,
             Catch::Contains("is version " + first_id + " again"));
  MustRun(laptop, {"get", "/thesis.txt", (work / "now.txt").string()});
  CHECK(ReadAll(work / "now.txt") == drafts[0]);
  lines = versions();
  REQUIRE(lines.size() == 2);  // Nothing new was stored...
  CHECK_THAT(lines[1], Catch::Contains("1000 B") && Catch::Contains("(current)"));
  CHECK_THAT(lines[0], !Catch::Contains("(current)"));
  CHECK(UsedBytes(suite, laptop) == used_before);  // ...and the quota did not move.
  // Restoring the current version again changes nothing.
  MustRun(laptop, {"versions", "/thesis.txt", "--restore", first_id});
  CHECK(versions() == lines);

  // A put over it makes a new current version on top of the restored one.
  put_draft(2);
  MustRun(laptop, {"get", "/thesis.txt", (work / "after.txt").string()});
  CHECK(ReadAll(work / "after.txt") == drafts[2]);
  CHECK(versions().size() == 3);

  // The current version cannot be deleted; another can, and its bytes leave the quota.
  const std::string current_id = versions()[0].substr(0, versions()[0].find(' '));
  const testing::CliResult current =
      laptop.Run({"versions", "/thesis.txt", "--delete", current_id});
  CHECK(current.exit_code == 1);
  CHECK_THAT(current.output, Catch::Contains("current version"));
  const uint64_t used_with_three = UsedBytes(suite, laptop);
  CHECK_THAT(MustRun(laptop, {"versions", "/thesis.txt", "--delete", first_id}).output,
             Catch::Contains("1016 B back"));
  CHECK(UsedBytes(suite, laptop) == used_with_three - (1000 + 16));
  CHECK(versions().size() == 2);
  CHECK(laptop.Run({"get", "/thesis.txt", work.string(), "--version", first_id}).exit_code == 1);
  CHECK(laptop.Run({"versions", "/thesis.txt", "--delete", first_id}).exit_code == 1);

  const testing::CliResult unknown =
      laptop.Run({"versions", "/thesis.txt", "--restore", "01HZZZZZZZZZZZZZZZZZZZZZZZ"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.output, Catch::Contains("not found"));
}

TEST_CASE("a member's retention set by CLI drops excess versions at once and frees their bytes",
          "[integration][cli][versions]") {
  testing::Laptop setup;
  auto& [suite, laptop, work] = setup;
  // The operator's default until the member sets their own.
  CHECK(MustRun(laptop, {"retention"}).output == "keeping 10 versions of each file, of any age\n");
  const std::vector<std::string> drafts = {crypto::RandomBytes(1000), crypto::RandomBytes(2000),
                                           crypto::RandomBytes(3000), crypto::RandomBytes(4000)};
  for (const std::string& draft : drafts) PutThesis(laptop, work, draft);
  const auto versions = [&] {
    std::vector<std::string> lines = absl::StrSplit(
        MustRun(laptop, {"versions", "/thesis.txt"}).output, '\n', absl::SkipEmpty());
    return lines;
  };
  REQUIRE(versions().size() == 4);
  const uint64_t used_before = UsedBytes(suite, laptop);

  CHECK(laptop.Run({"retention", "--versions", "0"}).exit_code != 0);
  const testing::CliResult word = laptop.Run({"retention", "--versions", "abc"});
  CHECK(word.exit_code == 2);
  CHECK_THAT(word.output, Catch::Contains("\"abc\" is not a whole number"));
  CHECK(MustRun(laptop, {"retention", "--versions", "2"}).output ==
        "keeping 2 versions of each file, of any age\n");
  const std::vector<std::string> kept = versions();
  REQUIRE(kept.size() == 2);
  CHECK_THAT(kept[0], Catch::Contains("3.9 KiB") && Catch::Contains("(current)"));
  CHECK_THAT(kept[1], Catch::Contains("2.9 KiB"));
  // The two oldest (1000 and 2000 bytes, each with a 16-byte tag) left the quota.
  CHECK(UsedBytes(suite, laptop) == used_before - (1000 + 16) - (2000 + 16));
  // The age limit alone changes; the count stays.
  CHECK(MustRun(laptop, {"retention", "--max-age-days", "30"}).output ==
        "keeping 2 versions of each file; earlier versions go 30 days after they are replaced\n");
  const std::vector<std::string> dated = versions();
  REQUIRE(dated.size() == 2);
  CHECK_FALSE(absl::StrContains(dated[0], "kept until"));  // The current one stays.
  CHECK_THAT(dated[1], Catch::Contains("kept until"));
  MustRun(laptop, {"get", "/thesis.txt", (work / "now.txt").string()});
  CHECK(ReadAll(work / "now.txt") == drafts[3]);
}

TEST_CASE("version and retention refusals name the file by path and the flag by name",
          "[integration][cli][versions]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device ada(suite, "ada");
  Device bob(suite, "bob");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  PutThesis(ada, work, crypto::RandomBytes(1000));
  PutThesis(ada, work, crypto::RandomBytes(2000));
  std::vector<std::string> lines =
      absl::StrSplit(MustRun(ada, {"versions", "/thesis.txt"}).output, '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 2);
  const std::string current_id = lines[0].substr(0, lines[0].find(' '));
  const std::string earlier_id = lines[1].substr(0, lines[1].find(' '));

  const testing::CliResult current = ada.Run({"versions", "/thesis.txt", "--delete", current_id});
  CHECK(current.exit_code == 1);
  CHECK(current.output ==
        absl::StrCat("bitcontent: version ", current_id,
                     " of /thesis.txt is the file's current version: restore another one first, "
                     "or purge the file (`bitcontent versions /thesis.txt --restore ID` makes "
                     "another one current)\n"));
  for (const char* flag : {"--delete", "--restore"}) {
    INFO(flag);
    const testing::CliResult bogus = ada.Run({"versions", "/thesis.txt", flag, "BOGUS"});
    CHECK(bogus.exit_code != 0);
    CHECK_THAT(bogus.output,
               Catch::Contains(std::string(flag) + ": \"BOGUS\" is not a version id"));
    CHECK_FALSE(absl::StrContains(bogus.output, "name:"));
  }
  const testing::CliResult unknown =
      ada.Run({"versions", "/thesis.txt", "--delete", "01HZZZZZZZZZZZZZZZZZZZZZZZ"});
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.output,
             Catch::Contains("version 01HZZZZZZZZZZZZZZZZZZZZZZZ of /thesis.txt not found"));

  // A reader of a shared folder is told it is theirs to read, by the path they gave.
  MustRun(ada, {"mkdir", "/Shared"});
  MustRun(ada, {"put", (work / "thesis.txt").string(), "/Shared/"});
  MustRun(ada, {"share", "/Shared", "bob@example.com"});
  lines = absl::StrSplit(MustRun(bob, {"versions", "shared:Shared/thesis.txt"}).output, '\n',
                         absl::SkipEmpty());
  REQUIRE(lines.size() == 1);
  const testing::CliResult reader = bob.Run(
      {"versions", "shared:Shared/thesis.txt", "--delete", lines[0].substr(0, lines[0].find(' '))});
  CHECK(reader.exit_code == 1);
  // Not "its owner can make you a writer": writers may not delete versions either.
  CHECK(reader.output ==
        "bitcontent: only the owner of shared:Shared/thesis.txt can delete its versions (it is "
        "shared with you to read)\n");

  // Restoring and deleting by id still work, in either case.
  MustRun(ada, {"versions", "/thesis.txt", "--restore", absl::AsciiStrToLower(earlier_id)});
  MustRun(ada, {"versions", "/thesis.txt", "--delete", current_id});

  // Retention: bounds checked here, named by flag; one day is a day.
  const testing::CliResult too_old = ada.Run({"retention", "--max-age-days", "40000"});
  CHECK(too_old.exit_code != 0);
  CHECK_THAT(too_old.output, Catch::Contains("--max-age-days"));
  CHECK_FALSE(absl::StrContains(too_old.output, "retention_policy"));
  CHECK(ada.Run({"retention", "--versions", "101"}).exit_code != 0);
  CHECK(MustRun(ada, {"retention", "--versions", "1", "--max-age-days", "1"}).output ==
        "keeping 1 version of each file; earlier versions go 1 day after they are replaced\n");
}

}  // namespace
}  // namespace bitcontent
