// Public links by CLI: a member links a file or a folder; anyone with the URL lists and
// downloads it without an account, byte for byte, until the link is revoked or what it
// opens goes to the trash. The
// key rides in the URL's fragment, which never reaches the server: no data directory
// or service log holds it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "tests/integration/cli_device.h"
#include "tests/integration/harness.h"
#include "tests/integration/local_files.h"
#include "tests/integration/rest.h"

namespace bitcontent {
namespace {

namespace fs = std::filesystem;
using testing::AnyFileContains;
using testing::CheapAccounts;
using testing::CliResult;
using testing::Device;
using testing::MustRun;
using testing::ReadAll;
using testing::Rest;

TEST_CASE("anyone with a link downloads the file without an account, until it is revoked",
          "[integration][cli][links]") {
  testing::Laptop setup;
  auto& [suite, ada, work] = setup;
  Device stranger(suite, "stranger");  // Never signs up nor logs in.
  const std::string content = crypto::RandomBytes(700000);
  std::ofstream(work / "poster.png", std::ios::binary) << content;
  MustRun(ada, {"mkdir", "/Public"});
  MustRun(ada, {"put", (work / "poster.png").string(), "/Public/"});

  const std::string url(
      absl::StripAsciiWhitespace(MustRun(ada, {"link", "create", "/Public/poster.png"}).output));
  INFO(url);
  REQUIRE(absl::StrContains(url, "/l/"));
  REQUIRE(absl::StrContains(url, "#"));

  // A browser opening it is told how to open it, and the page loads nothing else.
  const std::string page_path = url.substr(url.find("/l/"), url.find('#') - url.find("/l/"));
  const http::ClientResponse page =
      Rest(suite->addresses("gateway").at("public_rest")).Get(page_path, "");
  CHECK(page.status == 200);
  CHECK(page.Header("Content-Type") == "text/html; charset=utf-8");
  CHECK_THAT(std::string(page.Header("Content-Security-Policy").value_or("")),
             Catch::StartsWith("default-src 'none'"));
  CHECK_THAT(page.body, Catch::Contains("bitcontent get 'ADDRESS' .") &&
                            !Catch::Contains(page_path.substr(3)));

  // The stranger's download lands under the file's own name in a directory.
  fs::create_directories(work / "stranger");
  const CliResult fetched = stranger.Run({"get", url, (work / "stranger").string()});
  INFO(fetched.output);
  REQUIRE(fetched.exit_code == 0);
  CHECK(ReadAll(work / "stranger" / "poster.png") == content);

  // A link whose key was cut or changed does not open.
  const std::string keyless = url.substr(0, url.find('#'));
  CHECK_THAT(stranger.Run({"get", keyless, work.string()}).output,
             Catch::Contains("key after '#' is missing"));
  const std::string wrong_key = keyless + "#" + crypto::Base64UrlEncode(crypto::RandomBytes(32));
  CHECK_THAT(stranger.Run({"get", wrong_key, work.string()}).output,
             Catch::Contains("does not open"));

  // The key never reached the server.
  const std::string key_text = url.substr(url.find('#') + 1);
  absl::StatusOr<std::string> key = crypto::Base64UrlDecode(key_text);
  REQUIRE(key.ok());
  for (const char* service : {"accounts", "metadata", "blobs", "gateway"}) {
    INFO(service);
    CHECK_FALSE(AnyFileContains(suite.var_dir() / "data" / service, *key));
    CHECK_FALSE(AnyFileContains(suite.var_dir() / "log", key_text));
  }

  // A member imports it: their own copy, on their quota, which outlives the link.
  Device bob(suite, "bob");
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  MustRun(bob, {"mkdir", "/Inbox"});
  MustRun(bob, {"import-link", url, "/Inbox"});
  CHECK(MustRun(bob, {"ls", "/Inbox"}).output == "poster.png\n");
  CHECK(bob.Run({"import-link", url, "/Inbox"}).exit_code == 1);  // The name is taken.

  // Revoked: it stops at once.
  MustRun(ada, {"link", "revoke", url});
  const CliResult revoked = stranger.Run({"get", url, (work / "again.png").string()});
  CHECK(revoked.exit_code == 1);
  CHECK_THAT(revoked.output, Catch::Contains("revoked"));
  CHECK_FALSE(fs::exists(work / "again.png"));
  // A link that never existed (well formed, another id) says what to check.
  const size_t id_at = url.find("/l/") + 3;
  const std::string unknown = url.substr(0, id_at) + ids::NewId() + url.substr(url.find('#'));
  const CliResult missing = stranger.Run({"get", unknown, (work / "again.png").string()});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("check that the link was copied whole"));
  MustRun(bob, {"get", "/Inbox/poster.png", (work / "bobs.png").string()});
  CHECK(ReadAll(work / "bobs.png") == content);

  // A new link to a file in the trash opens nothing.
  const std::string second(
      absl::StripAsciiWhitespace(MustRun(ada, {"link", "create", "/Public/poster.png"}).output));
  MustRun(ada, {"rm", "/Public"});
  const CliResult trashed = stranger.Run({"get", second, (work / "again.png").string()});
  CHECK(trashed.exit_code == 1);
  CHECK_THAT(trashed.output, Catch::Contains("gone"));
}

TEST_CASE("anyone with a folder link lists it and downloads all it holds without an account",
          "[integration][cli][links]") {
  testing::Laptop setup;
  auto& [suite, ada, work] = setup;
  Device stranger(suite, "stranger");  // Never signs up nor logs in.
  const std::string poster = crypto::RandomBytes(700000);
  const std::string notes = crypto::RandomBytes(1000);
  std::ofstream(work / "poster.png", std::ios::binary) << poster;
  std::ofstream(work / "notes.txt", std::ios::binary) << notes;
  MustRun(ada, {"mkdir", "/Trip"});
  MustRun(ada, {"mkdir", "/Trip/Day 1"});
  MustRun(ada, {"mkdir", "/Private"});
  MustRun(ada, {"put", (work / "poster.png").string(), "/Trip/"});
  MustRun(ada, {"put", (work / "notes.txt").string(), "/Trip/Day 1/"});
  MustRun(ada, {"put", (work / "notes.txt").string(), "/Private/"});
  MustRun(ada, {"put", (work / "poster.png").string(), "/Trip/Day 1/gone.png"});
  MustRun(ada, {"rm", "/Trip/Day 1/gone.png"});  // In the trash: not shown through the link.

  const std::string url(
      absl::StripAsciiWhitespace(MustRun(ada, {"link", "create", "/Trip"}).output));
  CHECK(MustRun(stranger, {"ls", url}).output == "Day 1/\nposter.png\n");
  // -R and -l as for one's own folders.
  CHECK(MustRun(stranger, {"ls", "-R", url}).output == "Day 1/\nDay 1/notes.txt\nposter.png\n");
  const std::string long_listing = MustRun(stranger, {"ls", "-l", url}).output;
  INFO(long_listing);
  CHECK_THAT(long_listing, Catch::Contains("683.6 KiB  ") && Catch::EndsWith("  poster.png\n"));

  // The API tells the anonymous reader nothing of who owns or made what the link opens,
  // nor where it sits in the owner's tree: two links of one member cannot be tied.
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const std::string link_id = url.substr(url.find("/l/") + 3, url.find('#') - url.find("/l/") - 3);
  const http::ClientResponse resolved = rest.Get("/v1/links/" + link_id);
  const http::ClientResponse children = rest.Get("/v1/links/" + link_id + "/children");
  for (const http::ClientResponse* answer : {&resolved, &children}) {
    INFO(answer->body);
    REQUIRE(answer->status == 200);
    CHECK_THAT(answer->body, !Catch::Contains("\"owner\"") && !Catch::Contains("\"creator\"") &&
                                 !Catch::Contains("\"deviceId\"") &&
                                 !Catch::Contains("\"shared\""));
  }
  CHECK_THAT(resolved.body, Catch::Contains("\"node\"") && !Catch::Contains("\"parent\""));

  fs::create_directories(work / "stranger");
  MustRun(stranger, {"get", url, (work / "stranger").string()});
  CHECK(ReadAll(work / "stranger" / "Trip" / "poster.png") == poster);
  CHECK(ReadAll(work / "stranger" / "Trip" / "Day 1" / "notes.txt") == notes);
  CHECK_FALSE(fs::exists(work / "stranger" / "Trip" / "Day 1" / "gone.png"));
  CHECK_FALSE(fs::exists(work / "stranger" / "Private"));
  // A path that does not exist yet becomes the folder itself, as with cp -r.
  MustRun(stranger, {"get", url, (work / "holiday").string()});
  CHECK(ReadAll(work / "holiday" / "poster.png") == poster);
  CHECK(ReadAll(work / "holiday" / "Day 1" / "notes.txt") == notes);

  // A member imports the whole folder: a copy of their own of each folder and file (no
  // bytes move), which stays theirs when Ada changes hers.
  Device bob(suite, "bob");
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  MustRun(bob, {"mkdir", "/Inbox"});
  CHECK(MustRun(bob, {"import-link", url, "/Inbox"}).output ==
        "imported Trip into /Inbox (2 files, 2 folders)\n");
  CHECK(MustRun(bob, {"ls", "-R", "/Inbox"}).output ==
        "Trip/\nTrip/Day 1/\nTrip/Day 1/notes.txt\nTrip/poster.png\n");
  const CliResult taken = bob.Run({"import-link", url, "/Inbox"});
  CHECK(taken.exit_code == 1);
  CHECK_THAT(taken.output, Catch::Contains("/Inbox/Trip already exists and is not replaced"));
  CHECK(MustRun(bob, {"import-link", url, "/Holiday"}).output ==
        "imported Trip as /Holiday (2 files, 2 folders)\n");
  // Into itself: a copy of what it held, once (it does not copy its own copy on and on).
  CHECK(MustRun(ada, {"import-link", url, "/Trip"}).output ==
        "imported Trip into /Trip (2 files, 2 folders)\n");
  CHECK(MustRun(ada, {"ls", "-R", "/Trip/Trip"}).output == "Day 1/\nDay 1/notes.txt\nposter.png\n");
  MustRun(ada, {"rm", "/Trip/poster.png"});
  MustRun(bob, {"get", "/Holiday/poster.png", (work / "bobs.png").string()});
  CHECK(ReadAll(work / "bobs.png") == poster);
  MustRun(bob, {"get", "/Inbox/Trip/Day 1/notes.txt", (work / "bobs.txt").string()});
  CHECK(ReadAll(work / "bobs.txt") == notes);

  // Revoked: the folder stops listing at once.
  MustRun(ada, {"link", "revoke", url});
  const CliResult revoked = stranger.Run({"ls", url});
  CHECK(revoked.exit_code == 1);
  CHECK_THAT(revoked.output, Catch::Contains("revoked"));
}

TEST_CASE("only a node's owner makes a link to it, not the members it is shared with",
          "[integration][cli][links][shares]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device ada(suite, "ada");
  Device bob(suite, "bob");
  Device stranger(suite, "stranger");  // Never signs up nor logs in.
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  std::ofstream(work / "f4m", std::ios::binary) << crypto::RandomBytes(3000);
  MustRun(ada, {"mkdir", "/Docs"});
  MustRun(ada, {"put", (work / "f4m").string(), "/Docs/"});

  // A link would hand Ada's file to anyone, beyond her list of links (so beyond her
  // revoking) and beyond the share: not Bob's to make, whatever his role.
  for (const bool writer : {false, true}) {
    INFO("writer: " << writer);
    std::vector<std::string> share = {"share", "/Docs", "bob@example.com"};
    if (writer) share.push_back("--write");
    MustRun(ada, share);
    for (const char* path : {"shared:Docs/f4m", "shared:Docs"}) {
      INFO(path);
      const CliResult made = bob.Run({"link", "create", path});
      CHECK(made.exit_code == 1);
      CHECK_THAT(made.output,
                 Catch::Contains("only the folder's owner can make links to what is shared with "
                                 "you"));
      CHECK_FALSE(absl::StrContains(made.output, "/l/"));
    }
  }

  // Ada's own link works, whomever the folder is shared with.
  const std::string url(
      absl::StripAsciiWhitespace(MustRun(ada, {"link", "create", "/Docs/f4m"}).output));
  MustRun(ada, {"unshare", "/Docs", "bob@example.com"});
  fs::create_directories(work / "stranger");
  MustRun(stranger, {"get", url, (work / "stranger").string()});
  CHECK(ReadAll(work / "stranger" / "f4m") == ReadAll(work / "f4m"));
}

TEST_CASE("link revoke takes only links, import-link takes a new name, ls shows a linked file",
          "[integration][cli][links]") {
  testing::Laptop setup;
  auto& [suite, ada, work] = setup;
  Device stranger(suite, "stranger");  // Never signs up nor logs in.
  const std::string content = crypto::RandomBytes(3000);
  testing::WriteAll(work / "poster.png", content);
  MustRun(ada, {"put", (work / "poster.png").string(), "/"});
  const std::string url(
      absl::StripAsciiWhitespace(MustRun(ada, {"link", "create", "/poster.png"}).output));

  // Anyone lists what a file link opens: its name and size.
  CHECK(MustRun(stranger, {"ls", url}).output == "poster.png  2.9 KiB\n");

  // A copy under a name of one's own, in a folder or at the top; a taken name is refused.
  MustRun(ada, {"mkdir", "/Inbox"});
  CHECK(MustRun(ada, {"import-link", url, "/Inbox/renamed.bin"}).output ==
        "imported poster.png as /Inbox/renamed.bin\n");
  CHECK(MustRun(ada, {"import-link", url, "/Inbox"}).output == "imported poster.png into /Inbox\n");
  MustRun(ada, {"import-link", url, "/top.bin"});
  CHECK(MustRun(ada, {"ls", "/Inbox"}).output == "poster.png\nrenamed.bin\n");
  CHECK(MustRun(ada, {"ls"}).output == "Inbox/\nposter.png\ntop.bin\n");
  MustRun(ada, {"get", "/Inbox/renamed.bin", (work / "copy").string()});
  CHECK(ReadAll(work / "copy") == content);
  const CliResult taken = ada.Run({"import-link", url, "/Inbox/renamed.bin"});
  CHECK(taken.exit_code == 1);
  CHECK(taken.output == "bitcontent: /Inbox/renamed.bin already exists and is not replaced\n");
  CHECK(ada.Run({"import-link", url, "/Nowhere/x.bin"}).output == "bitcontent: no /Nowhere\n");

  // An API key's name is not a link: refused before anything is sent, the key still works.
  MustRun(ada, {"apikey", "create", "backup", "--scope", "files:read"});
  const std::string keys = MustRun(ada, {"apikey", "list"}).output;
  const std::string key_name = keys.substr(0, keys.find(' '));
  REQUIRE(absl::StartsWith(key_name, "users/"));
  for (const std::string& not_a_link :
       {key_name, std::string("garbage"), std::string("links/not-an-id")}) {
    INFO(not_a_link);
    const CliResult refused = ada.Run({"link", "revoke", not_a_link});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.output,
               Catch::Contains("is not a link: give its URL (http://host:port/l/LINK#KEY, the key "
                               "may be left out) or links/LINK"));
    CHECK_FALSE(absl::StrContains(refused.output, "no route"));
  }
  CHECK(MustRun(ada, {"apikey", "list"}).output == keys);  // Still active.

  // A link by its name (links/ID), or by its URL without the key.
  const std::string id = url.substr(url.find("/l/") + 3, url.find('#') - url.find("/l/") - 3);
  MustRun(ada, {"link", "revoke", "links/" + id});
  CHECK(stranger.Run({"ls", url}).exit_code == 1);
  const std::string second(
      absl::StripAsciiWhitespace(MustRun(ada, {"link", "create", "/poster.png"}).output));
  MustRun(ada, {"link", "revoke", second.substr(0, second.find('#'))});
  CHECK_THAT(stranger.Run({"ls", second}).output, Catch::Contains("revoked"));
}

TEST_CASE("link list shows what each link opens, its URL with the key, and how it stands",
          "[integration][cli][links]") {
  testing::Laptop setup;
  auto& [suite, ada, work] = setup;
  Device stranger(suite, "stranger");  // Never signs up nor logs in.
  testing::WriteAll(work / "notes.txt", "notes");
  MustRun(ada, {"mkdir", "/Public"});
  MustRun(ada, {"put", (work / "notes.txt").string(), "/Public/"});
  CHECK(MustRun(ada, {"link", "list"}).output.empty());

  const auto made = [&](const std::vector<std::string>& args) {
    return std::string(absl::StripAsciiWhitespace(MustRun(ada, args).output));
  };
  const std::string folder = made({"link", "create", "/Public"});
  const std::string file = made({"link", "create", "/Public/notes.txt", "--expire-days", "3"});
  MustRun(stranger, {"get", file, (work / "got.txt").string()});

  // Oldest first; the URL with its key, so the owner can hand it out again.
  std::vector<std::string> lines =
      absl::StrSplit(MustRun(ada, {"link", "list"}).output, '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == absl::StrCat("/Public/  ", folder, "  0 downloads"));
  CHECK_THAT(lines[1], Catch::StartsWith(
                           absl::StrCat("/Public/notes.txt  ", file, "  1 download, expires ")));

  // Revoked links show with --all only; one whose file is in the trash says it opens nothing.
  MustRun(ada, {"link", "revoke", folder});
  MustRun(ada, {"rm", "/Public/notes.txt"});
  lines = absl::StrSplit(MustRun(ada, {"link", "list"}).output, '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 1);
  CHECK_THAT(lines[0], Catch::EndsWith("in the trash: opens nothing until restored"));
  lines = absl::StrSplit(MustRun(ada, {"link", "list", "--all"}).output, '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 2);
  CHECK_THAT(lines[0],
             Catch::StartsWith(absl::StrCat("/Public/  ", folder, "  0 downloads, revoked ")));
}

TEST_CASE("what get and put say of a name shows its bidirectional controls escaped",
          "[integration][cli][links]") {
  testing::Laptop setup;
  auto& [suite, ada, work] = setup;
  Device stranger(suite, "stranger");
  // U+202E turns "photo<RLO>gnp.exe" into what a terminal shows as "photoexe.png".
  const std::string name = "photo\xe2\x80\xaegnp.exe";
  std::ofstream(work / name, std::ios::binary) << "MZ";
  const CliResult put = MustRun(ada, {"put", (work / name).string(), "/"});
  const std::string url(
      absl::StripAsciiWhitespace(MustRun(ada, {"link", "create", "/" + name}).output));
  fs::create_directories(work / "got");
  const CliResult got = MustRun(stranger, {"get", url, (work / "got").string()});
  for (const CliResult* said : {&put, &got}) {
    INFO(said->output);
    CHECK_THAT(said->output,
               Catch::Contains("photo\\u202egnp.exe") && !Catch::Contains("\xe2\x80\xae"));
  }
  CHECK(ReadAll(work / "got" / name) == "MZ");
}

TEST_CASE("a disabled member's links and shares open nothing, and open again once enabled",
          "[integration][cli][links]") {
  testing::Laptop setup(CheapAccounts({"--operator_emails=ops@example.com"}));
  auto& [suite, ada, work] = setup;
  Device ops(suite, "ops");
  REQUIRE(ops.Run({"signup", "ops@example.com"}, "operator secret\n").exit_code == 0);
  Device stranger(suite, "stranger");
  const std::string content = crypto::RandomBytes(5000);
  std::ofstream(work / "leak.bin", std::ios::binary) << content;
  MustRun(ada, {"mkdir", "/Team"});
  MustRun(ada, {"put", (work / "leak.bin").string(), "/Team/"});
  const std::string url(
      absl::StripAsciiWhitespace(MustRun(ada, {"link", "create", "/Team/leak.bin"}).output));
  Device bob(suite, "bob");
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  MustRun(ada, {"share", "/Team", "bob@example.com"});
  const std::string ada_user =
      testing::Json(ReadAll(ada.credentials())).fields().at("user").string_value();

  // An operator's takedown: the link stops at once (nobody opened it since it was made).
  REQUIRE(ops.RunAdmin({"user", "disable", ada_user, "--reason", "abuse"}).exit_code == 0);
  fs::create_directories(work / "down");
  const CliResult refused = stranger.Run({"get", url, (work / "down").string()});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.output, Catch::Contains("opens nothing now: the account that made it is "
                                             "disabled"));
  CHECK_FALSE(fs::exists(work / "down" / "leak.bin"));
  // And what she shared is out of reach of those she shared it with.
  const CliResult unshared = bob.Run({"get", "shared:Team/leak.bin", (work / "down").string()});
  CHECK(unshared.exit_code == 1);
  // Hidden from him, as a folder in its owner's trash is.
  CHECK_THAT(unshared.output, Catch::Contains("nothing called Team is shared with you") &&
                                  !Catch::Contains("nodes/"));
  CHECK(MustRun(bob, {"shared"}).output.empty());
  CHECK_FALSE(fs::exists(work / "down" / "leak.bin"));

  REQUIRE(ops.RunAdmin({"user", "enable", ada_user}).exit_code == 0);
  MustRun(stranger, {"get", url, (work / "down").string()});
  CHECK(ReadAll(work / "down" / "leak.bin") == content);
  fs::create_directories(work / "bob");
  MustRun(bob, {"get", "shared:Team/leak.bin", (work / "bob").string()});
  CHECK(ReadAll(work / "bob" / "leak.bin") == content);
}

}  // namespace
}  // namespace bitcontent
