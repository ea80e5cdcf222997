// The file tree by CLI: folders made, listed, moved, trashed and restored by name from
// two devices of one member, while the metadata service's RocksDB never holds a name.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::AnyFileContains;
using testing::CheapAccounts;
using testing::CliResult;
using testing::Device;
using testing::MustRun;

TEST_CASE("a member makes, lists, moves, trashes and restores folders by CLI from two devices",
          "[integration][cli][tree]") {
  testing::TestSuite suite({"accounts", "metadata", "gateway"}, CheapAccounts());
  Device laptop(suite, "laptop");
  Device phone(suite, "phone");
  REQUIRE(laptop.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  REQUIRE(phone.Run({"login", "ada@example.com"}, "a secret\n").exit_code == 0);

  MustRun(laptop, {"mkdir", "/Holiday photos"});
  MustRun(laptop, {"mkdir", "/Holiday photos/Sicily 2026"});
  MustRun(laptop, {"mkdir", "/Taxes"});
  CliResult clash = laptop.Run({"mkdir", "/Taxes"});
  CHECK(clash.exit_code == 1);
  CHECK_THAT(clash.output, Catch::Contains("/Taxes already exists"));
  CliResult orphan = laptop.Run({"mkdir", "/Nowhere/child"});
  CHECK(orphan.exit_code == 1);
  CHECK_THAT(orphan.output, Catch::Contains("no /Nowhere"));

  // The other device reads the same names: keys travel only inside the tree.
  CHECK(MustRun(phone, {"ls"}).output == "Holiday photos/\nTaxes/\n");
  MustRun(phone, {"mv", "/Holiday photos/Sicily 2026", "/Taxes"});
  CHECK(MustRun(laptop, {"ls", "/Taxes"}).output == "Sicily 2026/\n");
  CHECK(MustRun(laptop, {"ls", "/Holiday photos"}).output.empty());

  MustRun(laptop, {"rm", "/Taxes"});
  CHECK(MustRun(phone, {"ls"}).output == "Holiday photos/\n");
  CHECK(MustRun(phone, {"ls", "--trash"}).output == "Holiday photos/\nTaxes/  (in the trash)\n");
  CHECK(MustRun(phone, {"trash"}).output == "/Taxes/\n");
  MustRun(phone, {"restore", "/Taxes"});
  // A refusal names the folder as the member did, not by its id.
  const testing::CliResult again = phone.Run({"restore", "/Taxes"});
  CHECK(again.exit_code == 1);
  CHECK(again.output == "bitcontent: /Taxes is not in the trash\n");
  // A folder inside another, trashed: the trash shows it where it was.
  // The command it suggests can be pasted as it is: the path is quoted.
  CHECK(
      MustRun(laptop, {"rm", "/Taxes/Sicily 2026"}).output ==
      "/Taxes/Sicily 2026 is in the trash; `bitcontent restore '/Taxes/Sicily 2026'` undoes it\n");
  CHECK(MustRun(phone, {"trash"}).output == "/Taxes/Sicily 2026/\n");
  MustRun(laptop, {"restore", "/Taxes/Sicily 2026"});
  CHECK(MustRun(laptop, {"ls", "/Taxes"}).output == "Sicily 2026/\n");

  // Zero knowledge: no name reached the metadata service's storage.
  const fs::path data = suite.var_dir() / "data" / "metadata";
  REQUIRE(fs::exists(data));
  for (const std::string name : {"Holiday photos", "Sicily 2026", "Taxes"}) {
    INFO(name);
    CHECK_FALSE(AnyFileContains(data, name));
  }
}

}  // namespace
}  // namespace bitcontent
