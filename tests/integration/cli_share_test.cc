// Shares by CLI: until Ada shares a folder, Bob can neither list, read nor change
// anything of hers, even with her node ids in hand; once she shares it read-only he
// lists and downloads what it holds and nothing more; made a writer, he adds a file she
// then reads; unshared, it is gone from his view.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
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
  MustRun(ada, {"share", "/Holiday", "bob@example.com"});
  CHECK(MustRun(bob, {"shared"}).output == "shared:Holiday/  (read only)\n");
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
  CHECK(rest.Post(absl::StrCat("/v1/", beach, ":trash"), "{}", TokenOf(bob)).status == 404);
  bob_cannot_reach(secret);

  // Made a writer: Bob adds a file, which Ada reads as hers.
  MustRun(ada, {"share", "/Holiday", "bob@example.com", "--write"});
  const std::string note = crypto::RandomBytes(5000);
  std::ofstream(work / "from-bob.txt", std::ios::binary) << note;
  MustRun(bob, {"put", (work / "from-bob.txt").string(), "shared:Holiday/"});
  CHECK(MustRun(ada, {"ls", "/Holiday"}).output == "beach.jpg\nfrom-bob.txt\n");
  MustRun(ada, {"get", "/Holiday/from-bob.txt", (work / "ada-note.txt").string()});
  CHECK(ReadAll(work / "ada-note.txt") == note);

  // Unshared: gone from Bob's view at once.
  MustRun(ada, {"unshare", "/Holiday", "bob@example.com"});
  CHECK(MustRun(bob, {"shared"}).output.empty());
  const CliResult gone = bob.Run({"ls", "shared:Holiday"});
  CHECK(gone.exit_code == 1);
  CHECK_THAT(gone.output, Catch::Contains("nothing called Holiday is shared with you"));
  bob_cannot_reach(holiday);
}

}  // namespace
}  // namespace bitcontent
