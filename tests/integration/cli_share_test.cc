// Shares by CLI: until Ada shares a folder, Bob can neither list, read nor change
// anything of hers, even with her node ids in hand; once she shares it read-only he
// lists and downloads what it holds and nothing more; made a writer, he adds a file she
// then reads; unshared, it is gone from his view. What stays Ada's alone (trashing,
// moving, deleting versions) is refused to him as a reader and as a writer; nothing
// moves between his tree and hers; and while she has the folder in her trash, it is out
// of his reach until she restores it.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
using testing::CliResult;
using testing::Device;
using testing::Json;
using testing::MustRun;
using testing::ReadAll;
using testing::Rest;

std::string Field(const google::protobuf::Struct& message, const std::string& name) {
  const auto found = message.fields().find(name);
  return found == message.fields().end() ? "" : found->second.string_value();
}

// The device's current access token, from its credentials file.
std::string TokenOf(const Device& device) {
  return Field(Json(ReadAll(device.credentials())), "accessToken");
}

// The bytes the member's quota counts as used.
uint64_t UsedBytes(Rest& rest, const Device& device) {
  const http::ClientResponse quota = rest.Get("/v1/users/me/quota", TokenOf(device));
  REQUIRE(quota.status == 200);
  return testing::Unsigned(Json(quota.body), "usedBytes");
}

// Signs Ada and Bob up, each on a device of their own.
void SignUpBoth(const Device& ada, const Device& bob) {
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "ada's secret\n").exit_code == 0);
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
}

// Writes `content` to `path` (replacing what is there).
void WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// The ids of the children of `folder` (a node name) as their owner lists them.
std::vector<std::string> ChildrenOf(Rest& rest, const std::string& folder,
                                    const std::string& token) {
  const http::ClientResponse page = rest.Get(absl::StrCat("/v1/", folder, "/children"), token);
  REQUIRE(page.status == 200);
  std::vector<std::string> names;
  const google::protobuf::Struct listed = Json(page.body);
  const auto nodes = listed.fields().find("nodes");
  if (nodes == listed.fields().end()) return names;
  for (const auto& node : nodes->second.list_value().values()) {
    names.push_back(Field(node.struct_value(), "name"));
  }
  return names;
}

TEST_CASE("a member reaches another's folder only once it is shared, and only as shared",
          "[integration][cli][shares]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device ada(suite, "ada");
  Device bob(suite, "bob");
  REQUIRE(ada.Run({"signup", "ada@example.com"}, "ada's secret\n").exit_code == 0);
  REQUIRE(bob.Run({"signup", "bob@example.com"}, "bob's secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  const std::string photo = crypto::RandomBytes(300000);
  std::ofstream(work / "beach.jpg", std::ios::binary) << photo;
  MustRun(ada, {"mkdir", "/Holiday"});
  MustRun(ada, {"mkdir", "/Private"});
  MustRun(ada, {"put", (work / "beach.jpg").string(), "/Holiday/"});

  Rest rest(suite->addresses("gateway").at("public_rest"));
  const http::ClientResponse root = rest.Get("/v1/users/me/rootNode", TokenOf(ada));
  REQUIRE(root.status == 200);
  const std::vector<std::string> top =
      ChildrenOf(rest, Field(Json(root.body), "name"), TokenOf(ada));
  REQUIRE(top.size() == 2);
  const std::string holiday = top[0];
  const std::string secret = top[1];
  const std::vector<std::string> in_holiday = ChildrenOf(rest, holiday, TokenOf(ada));
  REQUIRE(in_holiday.size() == 1);
  const std::string beach = in_holiday[0];

  // Before any share: Ada's nodes do not exist for Bob, whatever he tries.
  const auto bob_cannot_reach = [&](const std::string& node) {
    INFO(node);
    CHECK(rest.Get(absl::StrCat("/v1/", node), TokenOf(bob)).status == 404);
    CHECK(rest.Get(absl::StrCat("/v1/", node, "/children"), TokenOf(bob)).status == 404);
    CHECK(rest.Post(absl::StrCat("/v1/", node, ":issueDownloadGrant"), "{}", TokenOf(bob)).status ==
          404);
    CHECK(rest.Post(absl::StrCat("/v1/", node, ":trash"), "{}", TokenOf(bob)).status == 404);
  };
  bob_cannot_reach(holiday);
  bob_cannot_reach(beach);
  CHECK(MustRun(bob, {"shared"}).output.empty());

  // Shared to read: Bob lists and downloads, and can change nothing.
  CHECK_THAT(MustRun(ada, {"ls", "-l", "/"}).output, !Catch::Contains("[shared]"));
  CHECK(MustRun(ada, {"share", "/Holiday"}).output.empty());
  MustRun(ada, {"share", "/Holiday", "bob@example.com"});
  CHECK(MustRun(bob, {"shared"}).output == "shared:Holiday/  (read only, from ada@example.com)\n");
  // Ada sees which of her folders are shared, in a listing and on the node itself; to Bob
  // the flag says nothing of who else has it.
  const std::string listed = MustRun(ada, {"ls", "-l", "/"}).output;
  CHECK_THAT(listed,
             Catch::Contains("Holiday/  [shared]") && !Catch::Contains("Private/  [shared]"));
  CHECK_THAT(rest.Get(absl::StrCat("/v1/", holiday), TokenOf(ada)).body,
             Catch::Contains("\"shared\":true"));
  CHECK_THAT(rest.Get(absl::StrCat("/v1/", holiday), TokenOf(bob)).body,
             !Catch::Contains("\"shared\""));
  CHECK(MustRun(bob, {"ls", "shared:Holiday"}).output == "beach.jpg\n");
  MustRun(bob, {"get", "shared:Holiday/beach.jpg", (work / "bob-beach.jpg").string()});
  CHECK(ReadAll(work / "bob-beach.jpg") == photo);
  // Refusals name the folder as bob knows it.
  const CliResult refused = bob.Run({"mkdir", "shared:Holiday/Mine"});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.output, Catch::Contains("shared:Holiday is shared with you to read only"));
  const CliResult no_put =
      bob.Run({"put", (work / "bob-beach.jpg").string(), "shared:Holiday/mine.jpg"});
  CHECK(no_put.exit_code == 1);
  CHECK_THAT(no_put.output, Catch::Contains("shared:Holiday is shared with you to read only"));
  // Trashing is its owner's: refused, and saying so, since Bob can see the file.
  CHECK(rest.Post(absl::StrCat("/v1/", beach, ":trash"), "{}", TokenOf(bob)).status == 403);
  bob_cannot_reach(secret);

  // Ada sees whom it is shared with, and how; Bob may not ask.
  CHECK_THAT(MustRun(ada, {"share", "/Holiday"}).output,
             Catch::StartsWith("bob@example.com  read only  since "));
  const CliResult asked = bob.Run({"share", "shared:Holiday"});
  CHECK(asked.exit_code == 1);
  CHECK_THAT(asked.output, Catch::Contains("only its owner sees whom it is shared with"));

  // Made a writer: Bob adds a file, which Ada reads as hers.
  MustRun(ada, {"share", "/Holiday", "bob@example.com", "--write"});
  CHECK_THAT(MustRun(ada, {"share", "/Holiday"}).output,
             Catch::StartsWith("bob@example.com  read and write  since "));
  const std::string note = crypto::RandomBytes(5000);
  std::ofstream(work / "from-bob.txt", std::ios::binary) << note;
  MustRun(bob, {"put", (work / "from-bob.txt").string(), "shared:Holiday/"});
  CHECK(MustRun(ada, {"ls", "/Holiday"}).output == "beach.jpg\nfrom-bob.txt\n");
  MustRun(ada, {"get", "/Holiday/from-bob.txt", (work / "ada-note.txt").string()});
  CHECK(ReadAll(work / "ada-note.txt") == note);

  // Unshared: gone from Bob's view at once. A member it never was shared with is said
  // so, not passed over as done.
  const CliResult stranger = ada.Run({"unshare", "/Holiday", "ada@example.com"});
  CHECK(stranger.exit_code == 1);
  CHECK_THAT(stranger.output, Catch::Contains("/Holiday is not shared with ada@example.com"));
  const CliResult nobody = ada.Run({"unshare", "/Holiday", "nobody@example.com"});
  CHECK(nobody.exit_code == 1);
  CHECK_THAT(nobody.output, Catch::Contains("/Holiday is not shared with nobody@example.com"));
  MustRun(ada, {"unshare", "/Holiday", "bob@example.com"});
  CHECK(MustRun(bob, {"shared"}).output.empty());
  CHECK_THAT(MustRun(ada, {"ls", "-l", "/"}).output, !Catch::Contains("[shared]"));
  const CliResult gone = bob.Run({"ls", "shared:Holiday"});
  CHECK(gone.exit_code == 1);
  CHECK_THAT(gone.output, Catch::Contains("nothing called Holiday is shared with you"));
  bob_cannot_reach(holiday);

  // Shared again, Bob leaves it himself; Ada's own folder is not hers to leave.
  MustRun(ada, {"share", "/Holiday", "bob@example.com"});
  // What is inside it has no share of its own to leave: said so, and nothing changes.
  MustRun(ada, {"mkdir", "/Holiday/Day 1"});
  const CliResult inside = bob.Run({"unshare", "shared:Holiday/Day 1"});
  CHECK(inside.exit_code == 1);
  CHECK_THAT(inside.output, Catch::Contains("you can leave only the shared folder itself "
                                            "(`bitcontent unshare shared:Holiday`)"));
  CHECK_FALSE(MustRun(bob, {"shared"}).output.empty());
  CHECK_THAT(MustRun(bob, {"unshare", "shared:Holiday"}).output,
             Catch::Contains("you left shared:Holiday"));
  CHECK(MustRun(bob, {"shared"}).output.empty());
  bob_cannot_reach(holiday);
  // A file has no shares to end.
  const CliResult file = ada.Run({"unshare", "/Holiday/beach.jpg", "bob@example.com"});
  CHECK(file.exit_code == 1);
  CHECK_THAT(file.output, Catch::Contains("/Holiday/beach.jpg is a file: only folders are shared"));
  const CliResult own = ada.Run({"unshare", "/Holiday"});
  CHECK(own.exit_code == 1);
  CHECK_THAT(own.output, Catch::Contains("/Holiday is yours"));
}

TEST_CASE(
    "a writer renames, moves and trashes what a shared folder holds, and the rest is the owner's",
    "[integration][cli][shares]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device ada(suite, "ada");
  Device bob(suite, "bob");
  SignUpBoth(ada, bob);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  const std::string first = crypto::RandomBytes(1000);
  const std::string second = crypto::RandomBytes(3000);
  MustRun(ada, {"mkdir", "/Team"});
  WriteFile(work / "owner.bin", first);
  MustRun(ada, {"put", (work / "owner.bin").string(), "/Team/"});
  WriteFile(work / "owner.bin", second);
  MustRun(ada, {"put", (work / "owner.bin").string(), "/Team/"});
  const std::vector<std::string> lines =
      absl::StrSplit(MustRun(ada, {"versions", "/Team/owner.bin"}).output, '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 2);
  const std::string first_id = lines[1].substr(0, lines[1].find(' '));
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const uint64_t ada_used = UsedBytes(rest, ada);

  const auto refused = [&](const std::vector<std::string>& args, const std::string& says) {
    const CliResult result = bob.Run(args);
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains(says));
  };
  MustRun(bob, {"mkdir", "/Mine"});
  for (const bool writer : {false, true}) {
    INFO("writer: " << writer);
    std::vector<std::string> share = {"share", "/Team", "bob@example.com"};
    if (writer) share.push_back("--write");
    MustRun(ada, share);
    // He sees the file, so the refusal says why, not that it is missing.
    if (writer) {
      // The shared folder itself is Ada's to rename, move and trash.
      refused({"rm", "shared:Team"},
              "shared:Team is the folder shared with you, so it cannot be put in the trash by "
              "you: only its owner may");
      refused({"mv", "shared:Team", "shared:Team2"},
              "shared:Team is the folder shared with you, so it cannot be");
      // A node stays in its owner's tree, whose quota counts it.
      refused({"mv", "shared:Team/owner.bin", "/Mine"}, "a move cannot cross");
    } else {
      refused({"rm", "shared:Team/owner.bin"},
              "shared:Team/owner.bin is shared with you to read only");
      refused({"mv", "shared:Team/owner.bin", "shared:Team/other.bin"},
              "shared:Team/owner.bin is shared with you to read only");
    }
    // Deleting a version loses it for good: the owner's alone. A reader hears only that
    // (not to ask for a writer's role, which would not do), a writer that restoring is
    // theirs to do.
    refused({"versions", "shared:Team/owner.bin", "--delete", first_id},
            writer ? "only the owner of shared:Team/owner.bin can delete its versions; as a "
                     "member it is shared with to write, you may restore an earlier one instead"
                   : "only the owner of shared:Team/owner.bin can delete its versions (it is "
                     "shared with you to read)");
  }
  CHECK(MustRun(ada, {"ls", "/Team"}).output == "owner.bin\n");
  CHECK(MustRun(ada, {"versions", "/Team/owner.bin"}).output == absl::StrJoin(lines, "\n") + "\n");
  CHECK(UsedBytes(rest, ada) == ada_used);

  // Restoring an earlier version loses nothing (a put could do as much): a writer may.
  CHECK_THAT(MustRun(bob, {"versions", "shared:Team/owner.bin", "--restore", first_id}).output,
             Catch::Contains("is version " + first_id + " again"));
  MustRun(ada, {"get", "/Team/owner.bin", (work / "now.bin").string()});
  CHECK(ReadAll(work / "now.bin") == first);
  CHECK(UsedBytes(rest, ada) == ada_used);

  // Inside the folder a writer renames and trashes as the owner would; what he trashes
  // goes to Ada's trash, for her to restore or purge.
  CHECK(MustRun(bob, {"mv", "shared:Team/owner.bin", "shared:Team/renamed.bin"}).output ==
        "renamed shared:Team/owner.bin to shared:Team/renamed.bin\n");
  CHECK(MustRun(ada, {"ls", "/Team"}).output == "renamed.bin\n");
  CHECK(MustRun(bob, {"rm", "shared:Team/renamed.bin"}).output ==
        "shared:Team/renamed.bin is in its owner's trash; they can restore it\n");
  CHECK(MustRun(ada, {"ls", "/Team"}).output.empty());
  CHECK_THAT(MustRun(ada, {"trash"}).output, Catch::Contains("/Team/renamed.bin"));
  CHECK(MustRun(bob, {"trash"}).output.empty());
  for (const char* verb : {"restore", "purge"}) {
    const CliResult not_his = bob.Run({verb, "shared:Team/renamed.bin"});
    CHECK(not_his.exit_code == 1);
    CHECK_THAT(not_his.output,
               Catch::Contains("owner's trash, and only they can restore or purge"));
  }
  MustRun(ada, {"restore", "/Team/renamed.bin"});
  MustRun(ada, {"mv", "/Team/renamed.bin", "/Team/owner.bin"});
  CHECK(UsedBytes(rest, ada) == ada_used);

  // mkdir -p starts in the shared folder, not at a folder of his own called "shared:Team".
  MustRun(bob, {"mkdir", "-p", "shared:Team/In/Deep"});
  CHECK(MustRun(ada, {"ls", "-R", "/Team"}).output == "In/\nIn/Deep/\nowner.bin\n");
  CHECK(MustRun(bob, {"ls", "/"}).output == "Mine/\n");

  // A reader may not.
  MustRun(ada, {"share", "/Team", "bob@example.com"});
  const std::string second_id = lines[0].substr(0, lines[0].find(' '));
  refused({"versions", "shared:Team/owner.bin", "--restore", second_id}, "to read only");
}

TEST_CASE("nothing moves between a member's own files and a folder shared with them",
          "[integration][cli][shares]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device ada(suite, "ada");
  Device bob(suite, "bob");
  SignUpBoth(ada, bob);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  WriteFile(work / "bobown", crypto::RandomBytes(2000));
  WriteFile(work / "adaown", crypto::RandomBytes(4000));
  MustRun(ada, {"mkdir", "/T2"});
  MustRun(ada, {"put", (work / "adaown").string(), "/T2/"});
  MustRun(ada, {"share", "/T2", "bob@example.com", "--write"});
  MustRun(bob, {"put", (work / "bobown").string(), "/"});
  MustRun(bob, {"mkdir", "/Box"});
  MustRun(bob, {"share", "/Box", "ada@example.com", "--write"});
  Rest rest(suite->addresses("gateway").at("public_rest"));
  const uint64_t ada_used = UsedBytes(rest, ada);
  const uint64_t bob_used = UsedBytes(rest, bob);

  const auto refused = [](const Device& device, const std::vector<std::string>& args,
                          const std::string& says) {
    const CliResult result = device.Run(args);
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains(says));
  };
  const std::string cross = "a move cannot cross between your files and a folder shared with you";
  // Into a folder he may write: his file would sit in Ada's tree on his quota.
  refused(bob, {"mv", "/bobown", "shared:T2"}, cross);
  refused(bob, {"mv", "/bobown", "shared:T2"}, "bitcontent get");
  // Ada's own file into a folder Bob shares with her: the same, the other way.
  refused(ada, {"mv", "/T2/adaown", "shared:Box"}, cross);
  // Out of the shared folder into his own: it stays in Ada's tree.
  refused(bob, {"mv", "shared:T2/adaown", "/"}, cross);

  CHECK(MustRun(bob, {"ls", "/"}).output == "Box/\nbobown\n");
  CHECK(MustRun(ada, {"ls", "/T2"}).output == "adaown\n");
  CHECK(MustRun(ada, {"ls", "shared:Box"}).output.empty());
  CHECK(UsedBytes(rest, ada) == ada_used);
  CHECK(UsedBytes(rest, bob) == bob_used);
  // Copying is the way, and each copy counts in the quota of the tree it lands in.
  MustRun(bob, {"get", "/bobown", (work / "copy").string()});
  MustRun(bob, {"put", (work / "copy").string(), "shared:T2/"});
  CHECK(MustRun(ada, {"ls", "/T2"}).output == "adaown\ncopy\n");
  CHECK(UsedBytes(rest, ada) > ada_used);
  CHECK(UsedBytes(rest, bob) == bob_used);
}

// Two members share folders of the same name with Bob: each is listed with its owner,
// a bare shared:NAME is refused as ambiguous (a file must never land in the wrong
// owner's folder), and shared:OWNER_EMAIL:NAME picks one. Nobody shares or links a root.
TEST_CASE("same-named folders shared by two members are told apart by their owners",
          "[integration][cli][shares]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device ada(suite, "ada");
  Device bob(suite, "bob");
  Device cy(suite, "cy");
  SignUpBoth(ada, bob);
  REQUIRE(cy.Run({"signup", "cy@example.com"}, "cy's secret\n").exit_code == 0);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  WriteFile(work / "note", "for cy only");
  // The root is neither shared nor linked: it has no name to show, and is everything.
  const CliResult root_share = ada.Run({"share", "/", "bob@example.com"});
  CHECK(root_share.exit_code == 1);
  CHECK_THAT(root_share.output, Catch::Contains("your root folder cannot be shared"));
  const CliResult root_link = ada.Run({"link", "create", "/"});
  CHECK(root_link.exit_code == 1);
  CHECK_THAT(root_link.output, Catch::Contains("your root folder cannot have a link"));
  CHECK(MustRun(bob, {"shared"}).output.empty());
  for (Device* owner : {&ada, &cy}) {
    MustRun(*owner, {"mkdir", "/Team"});
    MustRun(*owner, {"share", "/Team", "bob@example.com", "--write"});
  }
  CHECK(MustRun(bob, {"shared"}).output ==
        "shared:ada@example.com:Team/  (read and write, from ada@example.com)\n"
        "shared:cy@example.com:Team/  (read and write, from cy@example.com)\n");

  const CliResult ambiguous = bob.Run({"put", (work / "note").string(), "shared:Team/"});
  CHECK(ambiguous.exit_code == 1);
  CHECK_THAT(ambiguous.output,
             Catch::Contains("2 folders shared with you answer to Team; say which: "
                             "shared:ada@example.com:Team (from ada@example.com) or "
                             "shared:cy@example.com:Team (from cy@example.com)"));
  MustRun(bob, {"put", (work / "note").string(), "shared:CY@example.com:Team/"});
  CHECK(MustRun(cy, {"ls", "/Team"}).output == "note\n");
  CHECK(MustRun(ada, {"ls", "/Team"}).output.empty());
  CHECK(MustRun(bob, {"ls", "shared:cy@example.com:Team"}).output == "note\n");

  // A folder of Ada's named to look like Cy's does not pass for it: the qualified path
  // then fits both and is refused, and each is listed under a path that fits it alone.
  MustRun(ada, {"mkdir", "/cy@example.com:Team"});
  MustRun(ada, {"share", "/cy@example.com:Team", "bob@example.com", "--write"});
  const CliResult spoofed =
      bob.Run({"put", (work / "note").string(), "shared:cy@example.com:Team/"});
  CHECK(spoofed.exit_code == 1);
  CHECK_THAT(spoofed.output, Catch::Contains("2 folders shared with you answer to "
                                             "cy@example.com:Team"));
  const std::string listed = MustRun(bob, {"shared"}).output;
  const std::vector<std::string> lines = absl::StrSplit(listed, '\n', absl::SkipEmpty());
  REQUIRE(lines.size() == 3);
  for (const std::string& line : lines) {
    const std::string path = line.substr(0, line.find("/  ("));
    INFO(listed);
    const std::string expected = absl::StrContains(line, "from cy@example.com") ? "note\n" : "";
    CHECK(MustRun(bob, {"ls", path}).output == expected);
  }
  MustRun(ada, {"unshare", "/cy@example.com:Team", "bob@example.com"});

  // Once Ada unshares hers, the name is Cy's alone again.
  MustRun(ada, {"unshare", "/Team", "bob@example.com"});
  CHECK(MustRun(bob, {"shared"}).output == "shared:Team/  (read and write, from cy@example.com)\n");
  CHECK(MustRun(bob, {"ls", "shared:Team"}).output == "note\n");
}

TEST_CASE("a shared folder in its owner's trash is out of its members' reach until restored",
          "[integration][cli][shares]") {
  testing::TestSuite suite({"accounts", "metadata", "blobs", "gateway"}, CheapAccounts());
  Device ada(suite, "ada");
  Device bob(suite, "bob");
  SignUpBoth(ada, bob);
  const fs::path work = suite.var_dir() / "files";
  fs::create_directories(work);
  const std::string content = crypto::RandomBytes(5000);
  WriteFile(work / "f4m", content);
  MustRun(ada, {"mkdir", "/Team"});
  MustRun(ada, {"put", (work / "f4m").string(), "/Team/"});
  MustRun(ada, {"share", "/Team", "bob@example.com", "--write"});
  CHECK(MustRun(bob, {"shared"}).output ==
        "shared:Team/  (read and write, from ada@example.com)\n");

  Rest rest(suite->addresses("gateway").at("public_rest"));
  const http::ClientResponse root = rest.Get("/v1/users/me/rootNode", TokenOf(ada));
  REQUIRE(root.status == 200);
  const std::vector<std::string> top =
      ChildrenOf(rest, Field(Json(root.body), "name"), TokenOf(ada));
  REQUIRE(top.size() == 1);
  const std::string team = top[0];
  const std::vector<std::string> inside = ChildrenOf(rest, team, TokenOf(ada));
  REQUIRE(inside.size() == 1);
  const std::string f4m = inside[0];

  MustRun(ada, {"rm", "/Team"});
  // Gone from his list and his paths...
  CHECK(MustRun(bob, {"shared"}).output.empty());
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"ls", "shared:Team"},
        std::vector<std::string>{"get", "shared:Team/f4m", (work / "bob-f4m").string()},
        std::vector<std::string>{"put", (work / "f4m").string(), "shared:Team/again"}}) {
    const CliResult result = bob.Run(args);
    INFO(args[0] << ": " << result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains("nothing called Team is shared with you"));
  }
  CHECK_FALSE(fs::exists(work / "bob-f4m"));
  // ...and by id the server says where it is.
  for (const std::string& node : {team, f4m}) {
    INFO(node);
    const http::ClientResponse got = rest.Get(absl::StrCat("/v1/", node), TokenOf(bob));
    CHECK(got.status == 404);
    CHECK_THAT(got.body, Catch::Contains("in its owner's trash"));
  }
  CHECK(rest.Get(absl::StrCat("/v1/", team, "/children"), TokenOf(bob)).status == 404);
  CHECK(rest.Post(absl::StrCat("/v1/", f4m, ":issueDownloadGrant"), "{}", TokenOf(bob)).status ==
        404);

  // Restored: shared as before.
  MustRun(ada, {"restore", "/Team"});
  CHECK(MustRun(bob, {"shared"}).output ==
        "shared:Team/  (read and write, from ada@example.com)\n");
  CHECK(MustRun(bob, {"ls", "shared:Team"}).output == "f4m\n");
  MustRun(bob, {"get", "shared:Team/f4m", (work / "bob-f4m").string()});
  CHECK(ReadAll(work / "bob-f4m") == content);

  // A member may leave a share while it is in its owner's trash; it stays left.
  MustRun(ada, {"rm", "/Team"});
  const http::ClientResponse found =
      rest.Post("/v1/users:lookupPublicKey", R"({"email":"bob@example.com"})", TokenOf(ada));
  REQUIRE(found.status == 200);
  http::Headers headers;
  headers.Add("Authorization", "Bearer " + TokenOf(bob));
  const http::ClientResponse left = rest.Send(
      "DELETE", absl::StrCat("/v1/", team, "/shares/", Field(Json(found.body), "user").substr(6)),
      "", std::move(headers));
  INFO(left.body);
  CHECK(left.status == 200);
  MustRun(ada, {"restore", "/Team"});
  CHECK(MustRun(bob, {"shared"}).output.empty());
}

}  // namespace
}  // namespace bitcontent
