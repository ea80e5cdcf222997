#include "libs/client/link_url.h"

#include <catch2/catch.hpp>

#include "libs/crypto/random.h"

namespace bitcontent::client {
namespace {

TEST_CASE("a link URL carries the server, the link id and the key, and parses back",
          "[client][links]") {
  const LinkUrl made = {.server = "http://files.example.com:7700",
                        .link = "links/4KFF9T4HGERNMTT3CTYF8JH01F",
                        .key = crypto::RandomBytes(32)};
  const std::string url = FormatLinkUrl(made);
  CHECK(url.rfind("http://files.example.com:7700/l/4KFF9T4HGERNMTT3CTYF8JH01F#", 0) == 0);
  CHECK(IsLinkUrl(url));
  absl::StatusOr<LinkUrl> parsed = ParseLinkUrl(url);
  REQUIRE(parsed.ok());
  CHECK(parsed->server == made.server);
  CHECK(parsed->link == made.link);
  CHECK(parsed->key == made.key);
}

TEST_CASE("a sale link has no key, and parses only where a keyless link is expected",
          "[client][links]") {
  const LinkUrl sale = {.server = "http://files.example.com:7700",
                        .link = "links/4KFF9T4HGERNMTT3CTYF8JH01F"};
  const std::string url = FormatLinkUrl(sale);
  CHECK(url == "http://files.example.com:7700/l/4KFF9T4HGERNMTT3CTYF8JH01F");
  CHECK(IsLinkUrl(url));
  CHECK_THAT(std::string(ParseLinkUrl(url).status().message()),
             Catch::Contains("key after '#' is missing"));
  absl::StatusOr<LinkUrl> parsed = ParseLinkUrl(url, LinkKey::kOptional);
  REQUIRE(parsed.ok());
  CHECK(parsed->server == sale.server);
  CHECK(parsed->link == sale.link);
  CHECK(parsed->key.empty());

  // A key, when there is one, is still checked.
  CHECK_FALSE(ParseLinkUrl(url + "#AAAA", LinkKey::kOptional).ok());
  CHECK_FALSE(ParseLinkUrl("http://h:1/l/not-an-id", LinkKey::kOptional).ok());
}

TEST_CASE("a damaged link URL says what is wrong with it", "[client][links]") {
  const std::string base = "http://h:1/l/4KFF9T4HGERNMTT3CTYF8JH01F";
  CHECK_FALSE(IsLinkUrl("/photos/cat.jpg"));
  CHECK_FALSE(IsLinkUrl("shared:Holiday photos/cat.jpg"));
  // Anything with a scheme is meant as a link, so its fault is named, not looked up.
  CHECK(IsLinkUrl("htp://h:1/l/4KFF9T4HGERNMTT3CTYF8JH01F#AAAA"));
  CHECK(IsLinkUrl("http://h:1/photos/cat.jpg"));
  CHECK_THAT(std::string(ParseLinkUrl("http://h:1/photos/cat.jpg").status().message()),
             Catch::Contains("expected http://host:port/l/LINK#KEY"));
  CHECK_THAT(std::string(ParseLinkUrl(base).status().message()),
             Catch::Contains("key after '#' is missing"));
  // A key cut off after its '#' is missing too, and where none is needed the link stands.
  CHECK_THAT(std::string(ParseLinkUrl(base + "#").status().message()),
             Catch::Contains("key after '#' is missing"));
  absl::StatusOr<LinkUrl> cut = ParseLinkUrl(base + "#", LinkKey::kOptional);
  REQUIRE(cut.ok());
  CHECK(cut->link == "links/4KFF9T4HGERNMTT3CTYF8JH01F");
  CHECK(cut->key.empty());
  CHECK_THAT(std::string(ParseLinkUrl(base + "#AAAA").status().message()),
             Catch::Contains("key after '#' is damaged"));
  CHECK_THAT(std::string(ParseLinkUrl("http://h:1/l/not-an-id#AAAA").status().message()),
             Catch::Contains("not a link id"));
  CHECK_THAT(std::string(ParseLinkUrl("ftp://h/l/x#y").status().message()),
             Catch::Contains("expected http://host:port/l/LINK#KEY"));
}

TEST_CASE("a link is named by its URL or links/ID, and nothing else passes for one",
          "[client][links]") {
  const std::string id = "4KFF9T4HGERNMTT3CTYF8JH01F";
  const std::string url = FormatLinkUrl(
      {.server = "http://h:1", .link = "links/" + id, .key = crypto::RandomBytes(32)});
  CHECK(LinkNameOf(url).value() == "links/" + id);
  CHECK(LinkNameOf(url.substr(0, url.find('#'))).value() == "links/" + id);
  CHECK(LinkNameOf("links/" + id).value() == "links/" + id);
  for (const std::string& other :
       {std::string("users/01HZZZZZZZZZZZZZZZZZZZZZZZ/apiKeys/01HZZZZZZZZZZZZZZZZZZZZZZZ"),
        std::string("garbage"), std::string("links/garbage"), std::string("links/"),
        std::string(id), std::string("nodes/") + id, std::string("")}) {
    INFO(other);
    const absl::Status refused = LinkNameOf(other).status();
    CHECK(refused.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(refused.message()),
               Catch::Contains("give its URL (http://host:port/l/LINK#KEY, the key may be left "
                               "out) or links/LINK"));
  }
  // A URL that is not a link says what is wrong with it.
  CHECK_THAT(std::string(LinkNameOf("http://h:1/photos/cat.jpg").status().message()),
             Catch::Contains("expected http://host:port/l/LINK#KEY"));
}

}  // namespace
}  // namespace bitcontent::client
