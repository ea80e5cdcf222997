// Journey 1 of BRIEF.md as a member lives it: the real `bitcontent` CLI against the real
// gateway and accounts services. Sign up, log in on a second device, change the
// password there (the first device is logged out), recover with the recovery key, and
// manage API keys and sessions.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "tests/integration/cli_device.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;

using testing::CheapAccounts;
using testing::CliResult;
using testing::Device;

TEST_CASE("a member signs up, uses two devices, changes password and recovers by CLI",
          "[integration]") {
  testing::TestSuite suite({"accounts", "gateway"}, CheapAccounts());
  Device laptop(suite, "laptop");
  Device phone(suite, "phone");

  // A password too short to resist guessing is refused before anything is made.
  CliResult weak = laptop.Run({"signup", "Ada@Example.com"}, "x\n");
  CHECK(weak.exit_code == 1);
  CHECK_THAT(weak.output, Catch::Contains("a password needs at least 8 characters"));
  CliResult signup = laptop.Run({"signup", "Ada@Example.com"}, "first secret\n");
  INFO(signup.output);
  REQUIRE(signup.exit_code == 0);
  CHECK_THAT(signup.output, Catch::Contains("signed up and logged in as ada@example.com"));
  const bool private_file = (fs::status(laptop.credentials()).permissions() & fs::perms::all) ==
                            (fs::perms::owner_read | fs::perms::owner_write);
  CHECK(private_file);

  CliResult recovery_key = laptop.Run({"recovery", "export"});
  REQUIRE(recovery_key.exit_code == 0);
  const std::string key = recovery_key.output.substr(0, recovery_key.output.find('\n'));
  CHECK(key.size() == 67);

  CliResult wrong = phone.Run({"login", "ada@example.com"}, "not it\n");
  CHECK(wrong.exit_code == 1);
  CHECK_THAT(wrong.output, Catch::Contains("email or password is incorrect"));
  CliResult unknown = phone.Run({"login", "nobody@example.com"}, "not it\n");
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.output == wrong.output);

  REQUIRE(phone.Run({"login", "ada@example.com"}, "first secret\n").exit_code == 0);
  // The account, and its storage as promised: 100 GB.
  CHECK_THAT(phone.Run({"whoami"}).output,
             Catch::Contains("ada@example.com (users/") &&
                 Catch::Contains("storage: 0 B used of 100 GB (93.1 GiB), 93.1 GiB free"));
  CliResult sessions = phone.Run({"sessions", "list"});
  CHECK_THAT(sessions.output, Catch::Contains("laptop") && Catch::Contains("phone"));
  // Logging in again on the phone ends the phone's earlier session: one session a device.
  REQUIRE(phone.Run({"login", "ada@example.com"}, "first secret\n").exit_code == 0);
  const std::string again = phone.Run({"sessions", "list"}).output;
  INFO(again);
  CHECK(absl::StrContains(again, "laptop"));
  CHECK(again.find("phone") == again.rfind("phone"));

  // Changing the password on the phone logs the laptop out.
  CliResult changed = phone.Run({"passwd"}, "first secret\nsecond secret\n");
  INFO(changed.output);
  REQUIRE(changed.exit_code == 0);
  CliResult laptop_after = laptop.Run({"whoami"});
  CHECK(laptop_after.exit_code == 1);
  CHECK_THAT(laptop_after.output, Catch::Contains("login"));
  CHECK(phone.Run({"whoami"}).exit_code == 0);
  CHECK(laptop.Run({"login", "ada@example.com"}, "first secret\n").exit_code == 1);
  REQUIRE(laptop.Run({"login", "ada@example.com"}, "second secret\n").exit_code == 0);

  // Forgot the password: the recovery key sets a new one and the same keys come back.
  CliResult recovered =
      laptop.Run({"recovery", "restore", "ada@example.com"}, key + "\nthird secret\n");
  INFO(recovered.output);
  REQUIRE(recovered.exit_code == 0);
  CHECK(laptop.Run({"recovery", "export"}).output.substr(0, 67) == key);
  CHECK(phone.Run({"whoami"}).exit_code == 1);  // Recovery signs out everywhere else.
  CliResult phone_again = phone.Run({"login", "ada@example.com"}, "third secret\n");
  INFO(phone_again.output);
  REQUIRE(phone_again.exit_code == 0);

  // A typo in the recovery key is caught on the client.
  std::string typo = key;
  typo[0] = typo[0] == 'A' ? 'B' : 'A';
  CliResult mistyped = phone.Run({"recovery", "restore", "ada@example.com"}, typo + "\nx\n");
  CHECK(mistyped.exit_code == 1);
  CHECK_THAT(mistyped.output, Catch::Contains("checksum"));

  CliResult created = phone.Run({"apikey", "create", "backup script", "--scope", "files:read"});
  INFO(created.output);
  REQUIRE(created.exit_code == 0);
  CHECK_THAT(created.output, Catch::Contains("secret (shown only now): bck_"));
  CliResult listed = phone.Run({"apikey", "list"});
  CHECK_THAT(listed.output, Catch::Contains("backup script") && Catch::Contains("files:read"));
  const std::string secret = created.output.substr(created.output.find("bck_"), 64);
  CHECK_THAT(listed.output, !Catch::Contains(secret));                       // Never shown again...
  CHECK_THAT(listed.output, Catch::Contains(secret.substr(0, 12) + "..."));  // ...but its start.
  // A revoked key says so in the full list; a name with escape codes is shown harmless.
  const std::string key_name = listed.output.substr(0, listed.output.find(' '));
  // By its id as well as its name; anything else is a command line in error.
  REQUIRE(phone.Run({"apikey", "revoke", key_name.substr(key_name.rfind('/') + 1)}).exit_code == 0);
  CHECK(phone.Run({"apikey", "revoke", key_name}).exit_code == 0);  // Again: it stays revoked.
  const CliResult not_a_key = phone.Run({"apikey", "revoke", "../../v1/users/me"});
  CHECK(not_a_key.exit_code == 2);
  CHECK_THAT(not_a_key.output, Catch::Contains("is neither an id nor users/{user}/apiKeys/{id}"));
  REQUIRE(phone.Run({"apikey", "create", "evil\x1b[31mred", "--scope", "files:read"}).exit_code ==
          0);
  const CliResult everything = phone.Run({"apikey", "list", "--all"});
  CHECK_THAT(everything.output, Catch::Contains("backup script") && Catch::Contains("REVOKED") &&
                                    !Catch::Contains("\x1b"));

  REQUIRE(phone.Run({"logout"}).exit_code == 0);
  CHECK_FALSE(fs::exists(phone.credentials()));
  CliResult after_logout = phone.Run({"whoami"});
  CHECK(after_logout.exit_code == 1);
  CHECK_THAT(after_logout.output, Catch::Contains("not logged in"));
}

TEST_CASE("a logout naming another server ends the session on the one logged in to",
          "[integration]") {
  testing::TestSuite suite({"accounts", "gateway"}, CheapAccounts());
  Device laptop(suite, "laptop");
  REQUIRE(laptop.Run({"signup", "ada@example.com"}, "first secret\n").exit_code == 0);
  Device copy(suite, "copy");  // What a thief copied from the laptop before the logout.
  fs::create_directories(copy.credentials().parent_path());
  fs::copy_file(laptop.credentials(), copy.credentials());
  REQUIRE(copy.Run({"whoami"}).exit_code == 0);

  laptop.set_server("http://127.0.0.1:1");
  const CliResult out = laptop.Run({"logout"});
  INFO(out.output);
  CHECK(out.exit_code == 0);
  CHECK_FALSE(fs::exists(laptop.credentials()));
  const CliResult stolen = copy.Run({"whoami"});
  CHECK(stolen.exit_code == 1);
  CHECK_THAT(stolen.output, Catch::Contains("no longer logged in"));
}

TEST_CASE("the CLI explains a server it cannot reach and refuses one it cannot read",
          "[integration]") {
  testing::TestSuite suite({"accounts", "gateway"}, CheapAccounts());
  Device device(suite, "offline");
  device.set_server("http://127.0.0.1:1");
  CliResult result = device.Run({"login", "ada@example.com"}, "secret\n");
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("cannot reach http://127.0.0.1:1"));

  // An address that is no address is a usage error, said before anything runs.
  device.set_server("ftp://example");
  CliResult bad = device.Run({"whoami"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.output, Catch::Contains("'ftp://example' is not of the form http://host:port"));
  device.set_server(":7700");
  CliResult hostless = device.Run({"whoami"});
  CHECK(hostless.exit_code == 2);
  CHECK_THAT(hostless.output, Catch::Contains("names no host"));
  CliResult admin = device.RunAdmin({"payouts", "list"});
  CHECK(admin.exit_code == 2);
  CHECK_THAT(admin.output, Catch::Contains("names no host"));
}

}  // namespace
}  // namespace bitcontent
