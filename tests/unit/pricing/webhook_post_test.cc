// A webhook delivery never connects to a link-local or unspecified address (where clouds
// answer instance metadata), however the URL spells it: the check runs on the address
// libcurl is about to connect to, after it decoded and resolved the host, not on the
// URL's text. Nothing here leaves the machine: each address is refused before a socket
// exists, and the one allowed goes to a receiver on loopback.
#include "services/pricing/webhook_post.h"

#include <catch2/catch.hpp>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/unit/pricing/webhook_receiver.h"

namespace bitcontent::pricing {
namespace {

TEST_CASE("A webhook POST refuses to connect to link-local and unspecified addresses",
          "[pricing][webhooks]") {
  for (const char* url :
       {"http://169.254.169.254:9/latest", "http://%31%36%39.254.169.254:9/latest",
        "http://0.0.0.0:9/", "http://[fe80::1]:9/", "http://[::ffff:169.254.169.254]:9/",
        "http://2852039166:9/"}) {
    INFO(url);
    const PostOutcome outcome = PostWebhook(url, "{}", {}, absl::Seconds(2));
    CHECK(outcome.http_status == 0);
    CHECK_THAT(outcome.error, Catch::Contains("link-local or unspecified"));
  }
}

TEST_CASE("A webhook POST to an allowed address goes through", "[pricing][webhooks]") {
  testing::WebhookReceiver receiver;
  const PostOutcome outcome = PostWebhook(receiver.url(), R"({"ok":true})", {}, absl::Seconds(5));
  INFO(outcome.error);
  CHECK(outcome.http_status == 200);
  CHECK(receiver.posts().size() == 1);
}

}  // namespace
}  // namespace bitcontent::pricing
