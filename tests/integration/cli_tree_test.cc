// The file tree by CLI: folders made, listed, moved, trashed and restored by name from
// two devices of one member, while the metadata service's RocksDB never holds a name.
#include <sys/stat.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/crypto/random.h"
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
using testing::ReadAll;

// The paths `bitcontent trash` lists, one a line, without the id and time before each.
std::string TrashedPaths(const std::string& listing) {
  std::string paths;
  for (absl::string_view line : absl::StrSplit(listing, '\n', absl::SkipEmpty())) {
    const size_t path = line.find("  /");
    absl::StrAppend(&paths, path == absl::string_view::npos ? line : line.substr(path + 2), "\n");
  }
  return paths;
}

// The lines of `bitcontent trash` that list `path`.
std::vector<std::string> TrashLinesOf(const Device& device, const std::string& path) {
  std::vector<std::string> lines;
  for (absl::string_view line :
       absl::StrSplit(MustRun(device, {"trash"}).output, '\n', absl::SkipEmpty())) {
    if (absl::EndsWith(line, absl::StrCat("  ", path))) lines.emplace_back(line);
  }
  return lines;
}

// The id at the start of a line of `bitcontent trash`.
std::string IdOf(const std::string& trash_line) {
  return trash_line.substr(0, trash_line.find(' '));
}

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
  CHECK(TrashedPaths(MustRun(phone, {"trash"}).output) == "/Taxes/\n");
  MustRun(phone, {"restore", "/Taxes"});
  // A refusal names the folder as the member did, not by its id.
  const testing::CliResult again = phone.Run({"restore", "/Taxes"});
  CHECK(again.exit_code == 1);
  CHECK(again.output == "bitcontent: /Taxes is not in the trash\n");
  // A word that reads as an id `trash` shows (of something purged since) is said to be one.
  CHECK(phone.Run({"restore", "7zzzzzzz"}).output ==
        "bitcontent: nothing in the trash has the id 7ZZZZZZZ, nor is /7zzzzzzz there; "
        "`bitcontent trash` lists what is\n");
  // A folder inside another, trashed: the trash shows it where it was.
  // The command it suggests can be pasted as it is: the path is quoted.
  CHECK(
      MustRun(laptop, {"rm", "/Taxes/Sicily 2026"}).output ==
      "/Taxes/Sicily 2026 is in the trash; `bitcontent restore '/Taxes/Sicily 2026'` undoes it\n");
  CHECK(TrashedPaths(MustRun(phone, {"trash"}).output) == "/Taxes/Sicily 2026/\n");
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

TEST_CASE("mv moves into a folder, renames, and moves under a new name, as Unix mv does",
          "[integration][cli][tree]") {
  testing::Laptop setup;
  auto& [suite, laptop, work] = setup;
  const std::string content = crypto::RandomBytes(3000);
  testing::WriteAll(work / "f1", content);
  MustRun(laptop, {"put", (work / "f1").string(), "/"});
  MustRun(laptop, {"mkdir", "/Docs"});
  MustRun(laptop, {"put", (work / "f1").string(), "/Docs/"});

  // An existing file is not replaced, and the refusal names it by its path.
  CliResult onto_file = laptop.Run({"mv", "/f1", "/Docs/f1"});
  CHECK(onto_file.exit_code == 1);
  CHECK(onto_file.output == "bitcontent: /Docs/f1 already exists and is not replaced\n");

  // A new name in the same folder: a rename.
  CHECK(MustRun(laptop, {"mv", "/f1", "/f1renamed"}).output == "renamed /f1 to /f1renamed\n");
  CHECK(MustRun(laptop, {"ls"}).output == "Docs/\nf1renamed\n");
  // A new name in another folder: moved and renamed in one step.
  CHECK(MustRun(laptop, {"mv", "/f1renamed", "/Docs/f2"}).output ==
        "moved /f1renamed to /Docs/f2\n");
  CHECK(MustRun(laptop, {"ls", "/Docs"}).output == "f1\nf2\n");
  // A folder: into it, under the same name.
  CHECK(MustRun(laptop, {"mv", "/Docs/f2", "/"}).output == "moved /Docs/f2 to /f2\n");
  MustRun(laptop, {"get", "/f2", (work / "back").string()});
  CHECK(ReadAll(work / "back") == content);  // The key moved with it.
  // Folders rename too, with all they hold.
  CHECK(MustRun(laptop, {"mv", "/Docs", "/Papers"}).output == "renamed /Docs to /Papers\n");
  CHECK(MustRun(laptop, {"ls", "/Papers"}).output == "f1\n");

  // What cannot be: each said by path, never by a node id.
  const CliResult no_parent = laptop.Run({"mv", "/f2", "/Nope/f2"});
  CHECK(no_parent.exit_code == 1);
  CHECK(no_parent.output == "bitcontent: no /Nope\n");
  const CliResult under_file = laptop.Run({"mv", "/f2", "/Papers/f1/f2"});
  CHECK(under_file.exit_code == 1);
  CHECK(under_file.output == "bitcontent: /Papers/f1 is a file, not a folder\n");
  const CliResult into_itself = laptop.Run({"mv", "/Papers", "/Papers"});
  CHECK(into_itself.exit_code == 1);
  CHECK(into_itself.output ==
        "bitcontent: cannot move /Papers into itself or a folder inside it\n");
  // A file onto itself is said so, not "already exists"; a file named with a trailing /
  // is no folder, in mv as in ls and get.
  const CliResult onto_itself = laptop.Run({"mv", "/f2", "/f2"});
  CHECK(onto_itself.exit_code == 1);
  CHECK(onto_itself.output == "bitcontent: /f2 is already /f2\n");
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"mv", "/f2/", "/Papers"},
                                             {"ls", "/f2/"},
                                             {"get", "/f2/", (work / "f2 back").string()}}) {
    const CliResult slashed = laptop.Run(args);
    INFO(args[0] << ": " << slashed.output);
    CHECK(slashed.exit_code == 1);
    CHECK_THAT(slashed.output, Catch::Contains("/f2 is a file, not a folder"));
  }
  CHECK_FALSE(fs::exists(work / "f2 back"));
  const CliResult bad_name = laptop.Run({"mv", "/f2", "/tab\there"});
  CHECK(bad_name.exit_code == 1);
  CHECK_THAT(bad_name.output, Catch::Contains("control character \\t"));
  CHECK(MustRun(laptop, {"ls"}).output == "Papers/\nf2\n");

  // Several into a folder at once; without a folder to go into, none moves.
  MustRun(laptop, {"put", (work / "f1").string(), "/f3"});
  const CliResult not_folder = laptop.Run({"mv", "/f2", "/f3", "/Nope"});
  CHECK(not_folder.exit_code == 1);
  CHECK_THAT(not_folder.output, Catch::Contains("several paths move into a folder"));
  CHECK(MustRun(laptop, {"mv", "/f2", "/f3", "/Papers"}).output ==
        "moved /f2 to /Papers/f2\nmoved /f3 to /Papers/f3\n");
  CHECK(MustRun(laptop, {"ls", "/Papers"}).output == "f1\nf2\nf3\n");
}

TEST_CASE("restoring a file whose folder is in the trash too names that folder by its path",
          "[integration][cli][tree]") {
  testing::Laptop setup;
  auto& [suite, laptop, work] = setup;
  testing::WriteAll(work / "f1", crypto::RandomBytes(1000));
  MustRun(laptop, {"mkdir", "/T"});
  MustRun(laptop, {"put", (work / "f1").string(), "/T/inner"});
  MustRun(laptop, {"rm", "/T/inner"});
  MustRun(laptop, {"rm", "/T"});
  const CliResult refused = laptop.Run({"restore", "/T/inner"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.output,
             Catch::StartsWith("bitcontent: the folder it was in, /T, is in the trash too: "
                               "restore that first (`bitcontent restore /T`)") &&
                 !Catch::Contains("nodes/"));
  MustRun(laptop, {"restore", "/T"});
  CHECK(MustRun(laptop, {"restore", "/T/inner"}).output == "restored /T/inner\n");

  // Its folder in the trash only through the folder above it: that one is named, the one
  // a restore can take back.
  MustRun(laptop, {"mkdir", "-p", "/G/H"});
  MustRun(laptop, {"put", (work / "f1").string(), "/G/H/g"});
  MustRun(laptop, {"rm", "/G/H/g"});
  MustRun(laptop, {"rm", "/G"});
  CHECK_THAT(laptop.Run({"restore", "/G/H/g"}).output,
             Catch::StartsWith("bitcontent: the folder it was in, /G/H, is in the trash with /G: "
                               "restore that first (`bitcontent restore /G`)"));
  MustRun(laptop, {"restore", "/G"});
  CHECK(MustRun(laptop, {"restore", "/G/H/g"}).output == "restored /G/H/g\n");
}

TEST_CASE("the trash tells apart entries of one name, and restore and purge take their ids",
          "[integration][cli][tree]") {
  testing::Laptop setup;
  auto& [suite, laptop, work] = setup;
  testing::WriteAll(work / "f1", crypto::RandomBytes(1000));

  MustRun(laptop, {"mkdir", "/X"});
  MustRun(laptop, {"put", (work / "f1").string(), "/X/data"});
  MustRun(laptop, {"rm", "/X"});
  MustRun(laptop, {"mkdir", "/X"});
  // It is in the trash, but its place is taken: said so, with what to do.
  const CliResult taken = laptop.Run({"restore", "/X"});
  CHECK(taken.exit_code == 1);
  CHECK_THAT(taken.output, Catch::Contains("/X exists (not in the trash)") &&
                               Catch::Contains("restore it under another name") &&
                               Catch::Contains("'/X (restored)'") &&
                               Catch::Contains("`bitcontent mv /X NEW-NAME`"));
  const std::vector<std::string> first = TrashLinesOf(laptop, "/X/");
  REQUIRE(first.size() == 1);
  const std::string full_id = IdOf(first[0]);

  // Two of one name in the trash: each line has its own id; the path alone is ambiguous.
  MustRun(laptop, {"rm", "/X"});
  const std::vector<std::string> both = TrashLinesOf(laptop, "/X/");
  REQUIRE(both.size() == 2);
  CHECK(IdOf(both[0]) == full_id);  // The earlier trashed first.
  CHECK(IdOf(both[1]) != full_id);
  CHECK(IdOf(both[0]).size() == 8);
  const CliResult ambiguous = laptop.Run({"restore", "/X"});
  CHECK(ambiguous.exit_code == 1);
  CHECK(ambiguous.output ==
        absl::StrCat("bitcontent: /X is in the trash 2 times; name the one to restore by its id "
                     "(`bitcontent restore ID`):\n  ",
                     both[0], "\n  ", both[1], "\n"));
  CHECK(laptop.Run({"purge", "/X"}).exit_code == 1);

  // By id (in either case): the one that held the file.
  CHECK(MustRun(laptop, {"restore", absl::AsciiStrToLower(full_id)}).output == "restored /X\n");
  CHECK(MustRun(laptop, {"ls", "/X"}).output == "data\n");
  // The other, under another name since /X is taken again.
  const std::string other = IdOf(both[1]);
  CHECK(laptop.Run({"restore", other}).exit_code == 1);
  CHECK(MustRun(laptop, {"restore", other, "/X (restored)"}).output ==
        "restored /X as /X (restored)\n");
  CHECK(MustRun(laptop, {"ls"}).output == "X/\nX (restored)/\n");
  CHECK(MustRun(laptop, {"trash"}).output.empty());

  // Files too; and into another folder.
  MustRun(laptop, {"put", (work / "f1").string(), "/notes"});
  MustRun(laptop, {"rm", "/notes"});
  MustRun(laptop, {"put", (work / "f1").string(), "/notes"});
  MustRun(laptop, {"rm", "/notes"});
  const std::vector<std::string> notes = TrashLinesOf(laptop, "/notes");
  REQUIRE(notes.size() == 2);
  CHECK(MustRun(laptop, {"restore", IdOf(notes[1]), "/X"}).output ==
        "restored /notes as /X/notes\n");
  CHECK(MustRun(laptop, {"ls", "/X"}).output == "data\nnotes\n");
  CHECK_THAT(MustRun(laptop, {"purge", IdOf(notes[0])}).output,
             Catch::Contains("purged /notes; 1016 B back"));

  // Purging what is not in the trash says how to put it there; what a trashed folder
  // holds goes with that folder.
  const CliResult active = laptop.Run({"purge", "/X (restored)"});
  CHECK(active.exit_code == 1);
  CHECK(active.output ==
        "bitcontent: /X (restored) is not in the trash; `bitcontent rm '/X (restored)'` puts "
        "it there first\n");
  MustRun(laptop, {"rm", "/X"});
  const CliResult inside = laptop.Run({"restore", "/X/data"});
  CHECK(inside.exit_code == 1);
  CHECK(inside.output ==
        "bitcontent: /X/data is in /X, which is in the trash: restore or purge /X with all it "
        "holds\n");
}

TEST_CASE(
    "names with control characters are refused, paths are shown tidy, empty lists say "
    "nothing",
    "[integration][cli][tree]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device ada(suite, "ada");
  Device bob(suite, "bob");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "a secret\n").exit_code == 0);
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);

  // Scripts read no lines, and no error, from an empty folder.
  const CliResult empty = ada.Run({"ls", "/"});
  CHECK(empty.exit_code == 0);
  CHECK(empty.output.empty());

  for (const std::string name :
       {"/two\nlines", "/a\ttab", "/bell\a", "/esc\x1b[2J", "/del\x7f", "/c1\xc2\x9b"}) {
    INFO(name);
    const CliResult refused = ada.Run({"mkdir", name});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.output, Catch::Contains("cannot name a file or folder: it contains the "
                                               "control character"));
    // The refusal itself shows the name escaped: one line, no escape sequence.
    CHECK(refused.output.find_first_of("\t\a\x1b\x7f") == std::string::npos);
    CHECK_FALSE(absl::StrContains(refused.output, "\xc2\x9b"));
    CHECK(std::count(refused.output.begin(), refused.output.end(), '\n') == 1);
  }
  CHECK_THAT(ada.Run({"mkdir", "/two\nlines"}).output, Catch::Contains("\"two\\nlines\""));
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  testing::WriteAll(work / "new\nline.txt", "x");
  const CliResult put = ada.Run({"put", (work / "new\nline.txt").string(), "/"});
  CHECK(put.exit_code == 1);
  CHECK_THAT(put.output, Catch::Contains("control character \\n"));
  CHECK(ada.Run({"ls"}).output.empty());

  // A command that does not exist, and help as git gives it; usage errors exit 2.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"bogus"}, {"help", "bogus"}, {"wallet", "bogus"}}) {
    const CliResult bogus = ada.Run(args);
    CHECK(bogus.exit_code == 2);
    CHECK_THAT(bogus.output, Catch::Contains("no command called \"bogus\"; `bitcontent help`"));
  }
  const CliResult help = ada.Run({"help", "put"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.output, Catch::Contains("Usage: bitcontent put"));
  CHECK(ada.Run({"put"}).exit_code == 2);
  // The root is never in the trash, and purge says so rather than suggesting rm /.
  const CliResult root_purge = ada.Run({"purge", "/"});
  CHECK(root_purge.exit_code == 1);
  CHECK_THAT(root_purge.output, Catch::Contains("/ is your root folder: it is never in the trash"));

  // Repeated slashes are one, in what is made and in what is said.
  CHECK(MustRun(ada, {"mkdir", "//x"}).output == "made /x\n");
  CHECK(MustRun(ada, {"mkdir", "x//y/"}).output == "made /x/y\n");
  CHECK(MustRun(ada, {"ls", "//"}).output == "x/\n");
  CHECK(MustRun(ada, {"rm", "/x//y"}).output ==
        "/x/y is in the trash; `bitcontent restore /x/y` undoes it\n");

  // shared: alone lists what is shared with you, as `shared` does.
  const CliResult nothing_shared = bob.Run({"ls", "shared:"});
  CHECK(nothing_shared.exit_code == 0);
  CHECK(nothing_shared.output.empty());
  MustRun(ada, {"share", "/x", "bob@example.com"});
  CHECK(MustRun(bob, {"ls", "shared:"}).output == "shared:x/  (read only, from ada@example.com)\n");
  CHECK(MustRun(bob, {"ls", "shared:"}).output == MustRun(bob, {"shared"}).output);
  CHECK(MustRun(bob, {"ls", "shared:x"}).output.empty());
  const CliResult unnamed = bob.Run({"ls", "shared:/y"});
  CHECK(unnamed.exit_code == 1);
  CHECK_THAT(unnamed.output, Catch::Contains("shared: needs the name of a folder"));
}

TEST_CASE("mkdir -p makes what is missing, rm takes several paths, ls -R and ls of a file",
          "[integration][cli][tree]") {
  testing::Laptop setup;
  auto& [suite, laptop, work] = setup;
  testing::WriteAll(work / "f1", "twelve bytes");

  // Without -p the parent must exist; with it, every missing folder is made, and again
  // is no error.
  const CliResult no_parent = laptop.Run({"mkdir", "/a/b/c"});
  CHECK(no_parent.exit_code == 1);
  CHECK_THAT(no_parent.output, Catch::Contains("no /a (mkdir -p makes the missing folders"));
  // An empty path names nothing, in every command (a script's empty variable must not
  // name the root): a usage error, before anything is asked or made.
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"mkdir", ""},
                                             {"ls", ""},
                                             {"get", "", (work / "here").string()},
                                             {"put", (work / "f1").string(), ""},
                                             {"mv", "/x", ""},
                                             {"rm", ""},
                                             {"restore", "/x", ""},
                                             {"link", "create", ""},
                                             {"price", "show", ""}}) {
    const CliResult empty = laptop.Run(args);
    INFO(args[0] << ": " << empty.output);
    CHECK(empty.exit_code == 2);
    CHECK_THAT(empty.output, Catch::Contains("the path is empty: name a file or folder"));
  }
  CHECK_FALSE(fs::exists(work / "here"));
  // mkdir -p checks every name before it makes the first folder.
  const CliResult dotted = laptop.Run({"mkdir", "-p", "/top/../y"});
  CHECK(dotted.exit_code == 1);
  CHECK_THAT(dotted.output, Catch::Contains("\"..\" cannot name a file or folder"));
  CHECK_THAT(MustRun(laptop, {"ls", "/"}).output, !Catch::Contains("top/"));
  // put says at once that a FIFO is not a regular file: opening one waits for a writer,
  // and nobody writes to this one.
  REQUIRE(mkfifo((work / "fifo").c_str(), 0600) == 0);
  const CliResult fifo = laptop.Run({"put", (work / "fifo").string(), "/fifo"});
  CHECK(fifo.exit_code == 1);
  CHECK_THAT(fifo.output, Catch::Contains("fifo is not a regular file"));
  CHECK_THAT(MustRun(laptop, {"mkdir", "-p", "/a/b/c"}).output, Catch::Contains("made /a/b/c"));
  CHECK(MustRun(laptop, {"ls", "/a/b"}).output == "c/\n");
  CHECK_THAT(MustRun(laptop, {"mkdir", "-p", "/a/b"}).output,
             Catch::Contains("/a/b is there already"));
  // One walk down: each folder costs one listing or one creation, not a walk from the
  // root (a path 24 deep took about 330 requests that way).
  constexpr int kDepth = 24;
  std::string deep;
  for (int i = 0; i < kDepth; ++i) absl::StrAppend(&deep, "/d", i);
  const uint64_t before = testing::Answered(suite, "");
  MustRun(laptop, {"mkdir", "-p", deep});
  CHECK(testing::Answered(suite, "") - before <= kDepth + 6);
  CHECK_THAT(MustRun(laptop, {"mkdir", "-p", deep}).output, Catch::Contains("is there already"));
  CHECK(testing::Answered(suite, "") - before <= 2 * (kDepth + 6));
  CHECK(MustRun(laptop, {"ls", deep.substr(0, deep.rfind('/'))}).output ==
        absl::StrCat("d", kDepth - 1, "/\n"));

  MustRun(laptop, {"put", (work / "f1").string(), "/a/f1"});
  const CliResult through_file = laptop.Run({"mkdir", "-p", "/a/f1/d"});
  CHECK(through_file.exit_code == 1);
  CHECK_THAT(through_file.output, Catch::Contains("/a/f1 is a file, not a folder"));

  // -R: what every folder holds too, by path from the one listed, each folder's right
  // after it.
  CHECK(MustRun(laptop, {"ls", "-R", "/a"}).output == "b/\nb/c/\nf1\n");
  CHECK_THAT(MustRun(laptop, {"ls", "-lR", "/"}).output,
             Catch::Contains("a/b/c/") && Catch::Contains("12 B") && Catch::Contains("a/f1\n"));

  // ls of a file lists the file; -l with its size.
  CHECK(MustRun(laptop, {"ls", "/a/f1"}).output == "f1\n");
  CHECK_THAT(MustRun(laptop, {"ls", "-l", "/a/f1"}).output,
             Catch::Contains("12 B") && Catch::EndsWith("f1\n"));

  // Several to the trash at once; one that is not there is named, the rest still go.
  const CliResult some = laptop.Run({"rm", "/a/f1", "/nothing", "/a/b"});
  CHECK(some.exit_code == 1);
  CHECK_THAT(some.output, Catch::Contains("/a/f1 is in the trash") &&
                              Catch::Contains("/a/b is in the trash") &&
                              Catch::Contains("1 of 3 could not go to the trash"));
  CHECK(MustRun(laptop, {"ls", "/a"}).output.empty());
}

}  // namespace
}  // namespace bitcontent
