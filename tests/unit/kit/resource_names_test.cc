#include "libs/kit/resource_names.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/ids/ids.h"

namespace bitcontent::kit {
namespace {

TEST_CASE("IdOfName gives the segment after the last slash") {
  CHECK(IdOfName("users/u1/sessions/s9") == "s9");
  CHECK(IdOfName("nodes/abc") == "abc");
  CHECK(IdOfName("plain") == "plain");
  CHECK(IdOfName("nodes/").empty());
}

TEST_CASE("IdIn accepts a valid id in the named collection only") {
  const std::string id = ids::NewId();
  CHECK(*IdIn(absl::StrCat("nodes/", id), "nodes", "name") == id);

  for (const std::string& bad :
       {absl::StrCat("uploads/", id), absl::StrCat("nodes", id), std::string("nodes/not-an-id"),
        std::string("nodes/"), absl::StrCat("nodes/", id, "/versions/", id)}) {
    const absl::StatusOr<std::string> parsed = IdIn(bad, "nodes", "name");
    INFO(bad);
    REQUIRE(parsed.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(parsed.status().message().find("name") != absl::string_view::npos);
    CHECK(parsed.status().message().find("nodes/{id}") != absl::string_view::npos);
  }
}

TEST_CASE("VersionIdsIn splits a version name into its two ids") {
  const std::string node = ids::NewId();
  const std::string version = ids::NewId();
  const absl::StatusOr<VersionIds> parsed =
      VersionIdsIn(absl::StrCat("nodes/", node, "/versions/", version), "reference");
  REQUIRE(parsed.ok());
  CHECK(parsed->node_id == node);
  CHECK(parsed->version_id == version);

  for (const std::string& bad :
       {absl::StrCat("nodes/", node), absl::StrCat("nodes/", node, "/versions/"),
        absl::StrCat("nodes/", node, "/versions/", version, "x"),
        absl::StrCat("nodes/", node, "/children/", version),
        absl::StrCat("blobs/", node, "/versions/", version), std::string("nodes/x/versions/y")}) {
    const absl::StatusOr<VersionIds> rejected = VersionIdsIn(bad, "reference");
    INFO(bad);
    REQUIRE(rejected.status().code() == absl::StatusCode::kInvalidArgument);
    CHECK(rejected.status().message().find("reference") != absl::string_view::npos);
  }
}

}  // namespace
}  // namespace bitcontent::kit
