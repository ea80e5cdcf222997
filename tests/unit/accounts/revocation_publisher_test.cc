// Revocations reach Redis, where the gateway looks: published as soon as possible,
// kept and retried while Redis is down, and dropped once every token they could stop
// has expired anyway. Against a real redis-server.
#include <catch2/catch.hpp>

#include "libs/ids/ids.h"
#include "libs/kit/resource_names.h"
#include "tests/unit/accounts/client_keys.h"
#include "tests/unit/accounts/test_domain.h"
#include "tests/unit/redis/redis_server.h"

namespace bitcontent::accounts {
namespace {

absl::StatusOr<redis::Reply> Run(redis::Client& client, std::vector<std::string> args) {
  return client.Run(args);
}

// Stages and commits one session revocation in the outbox at `when`.
void StageRevocation(testing::TestDomain& domain, absl::string_view session_id, absl::Time when) {
  store::WriteBatch batch;
  domain->outbox().Stage(&batch, kRevokedSession, session_id, when);
  REQUIRE(domain.store().Write(&batch, {.sync = true}).ok());
}

TEST_CASE("a revocation is published with the rest of the token lifetime as its TTL",
          "[accounts]") {
  redis::RedisServer server;
  testing::TestDomain domain;
  const absl::Duration ttl = absl::Minutes(15);
  RevocationPublisher publisher(&domain->outbox(),
                                redis::Client::Connect({.address = server.address()}).value(), ttl);
  const std::string session = ids::NewId();
  const absl::Time now = absl::Now();
  StageRevocation(domain, session, now - absl::Minutes(5));
  REQUIRE(publisher.PublishOnce(now).ok());

  std::unique_ptr<redis::Client> reader =
      redis::Client::Connect({.address = server.address()}).value();
  absl::StatusOr<redis::Reply> value = Run(*reader, {"GET", RevocationKey("session", session)});
  REQUIRE(value.ok());
  CHECK(value->string == "1");
  absl::StatusOr<redis::Reply> pttl = Run(*reader, {"PTTL", RevocationKey("session", session)});
  REQUIRE(pttl.ok());
  CHECK(pttl->integer > absl::ToInt64Milliseconds(absl::Minutes(9)));
  CHECK(pttl->integer <= absl::ToInt64Milliseconds(absl::Minutes(10)));
  CHECK(domain->outbox().Oldest(10)->empty());
}

TEST_CASE("revocations wait in the outbox while Redis is down and go out when it is back",
          "[accounts]") {
  redis::RedisServer server;
  testing::TestDomain domain;
  RevocationPublisher publisher(
      &domain->outbox(),
      redis::Client::Connect({.address = server.address(), .timeout = absl::Milliseconds(100)})
          .value(),
      absl::Minutes(15));
  server.Stop();
  const std::string session = ids::NewId();
  StageRevocation(domain, session, absl::Now());
  CHECK(absl::IsUnavailable(publisher.PublishOnce(absl::Now())));
  CHECK(domain->outbox().Oldest(10)->size() == 1);

  // The entry waits in RocksDB (so it would also outlive a restart) until Redis is back.
  server.Start();
  absl::Status published = absl::UnknownError("not tried");
  for (int attempt = 0; attempt < 50 && !published.ok(); ++attempt) {
    absl::SleepFor(absl::Milliseconds(50));  // Past the client's reconnect back-off.
    published = publisher.PublishOnce(absl::Now());
  }
  REQUIRE(published.ok());
  std::unique_ptr<redis::Client> reader =
      redis::Client::Connect({.address = server.address()}).value();
  CHECK(Run(*reader, {"EXISTS", RevocationKey("session", session)})->integer == 1);
}

TEST_CASE("a Redis that lost its data gets every live revocation again, then the marker",
          "[accounts]") {
  redis::RedisServer server;
  testing::TestDomain domain;
  RevocationPublisher publisher(&domain->outbox(),
                                redis::Client::Connect({.address = server.address()}).value(),
                                absl::Minutes(15));
  const absl::Time now = absl::Now();
  const std::string live = ids::NewId(), old = ids::NewId();
  StageRevocation(domain, old, now - absl::Minutes(16));
  StageRevocation(domain, live, now - absl::Minutes(5));
  REQUIRE(publisher.PublishOnce(now).ok());
  std::unique_ptr<redis::Client> reader =
      redis::Client::Connect({.address = server.address()}).value();
  CHECK(Run(*reader, {"EXISTS", std::string(kRevocationsCompleteKey)})->integer == 1);
  CHECK(domain->outbox().Oldest(10)->empty());

  // Redis forgets everything (as a restart does): the next round sets the live one again,
  // with the rest of its lifetime, and the marker; the old one stays forgotten.
  REQUIRE(Run(*reader, {"FLUSHALL"}).ok());
  REQUIRE(publisher.PublishOnce(now + absl::Seconds(1)).ok());
  CHECK(Run(*reader, {"EXISTS", RevocationKey("session", live)})->integer == 1);
  CHECK(Run(*reader, {"EXISTS", RevocationKey("session", old)})->integer == 0);
  CHECK(Run(*reader, {"EXISTS", std::string(kRevocationsCompleteKey)})->integer == 1);
  const int64_t pttl = Run(*reader, {"PTTL", RevocationKey("session", live)})->integer;
  CHECK(pttl > absl::ToInt64Milliseconds(absl::Minutes(9)));
  CHECK(pttl <= absl::ToInt64Milliseconds(absl::Minutes(10)));
  // Once its lifetime is over, it is no longer kept to be set again.
  REQUIRE(Run(*reader, {"FLUSHALL"}).ok());
  REQUIRE(publisher.PublishOnce(now + absl::Minutes(11)).ok());
  CHECK(Run(*reader, {"EXISTS", RevocationKey("session", live)})->integer == 0);
  CHECK(domain->outbox().Recorded(now - absl::Hours(1), 10)->empty());
}

TEST_CASE("revocations older than the token lifetime are dropped unpublished", "[accounts]") {
  redis::RedisServer server;
  testing::TestDomain domain;
  RevocationPublisher publisher(&domain->outbox(),
                                redis::Client::Connect({.address = server.address()}).value(),
                                absl::Minutes(15));
  const std::string session = ids::NewId();
  StageRevocation(domain, session, absl::Now() - absl::Minutes(16));
  REQUIRE(publisher.PublishOnce(absl::Now()).ok());
  CHECK(domain->outbox().Oldest(10)->empty());
  // Nor is it kept to be set again after a restart of Redis: the record is pruned.
  CHECK(domain->outbox().Recorded(absl::Now() - absl::Hours(1), 10)->empty());
  std::unique_ptr<redis::Client> reader =
      redis::Client::Connect({.address = server.address()}).value();
  CHECK(Run(*reader, {"EXISTS", RevocationKey("session", session)})->integer == 0);
}

TEST_CASE("the background publisher sends a revocation made by RevokeSession", "[accounts]") {
  redis::RedisServer server;
  testing::TestDomain domain;
  RevocationPublisher publisher(&domain->outbox(),
                                redis::Client::Connect({.address = server.address()}).value(),
                                absl::Minutes(15));
  publisher.Start();
  const absl::Time now = absl::Now();
  const v1::SignUpResponse member =
      domain->flows()
          .SignUp(testing::SignUpRequestFor("r@example.com", testing::NewClientKeys("pw")), "ip",
                  now)
          .value();
  const std::string session(kit::IdOfName(member.tokens().session()));
  REQUIRE(domain->sessions().Revoke(kit::IdOfName(member.user().name()), session, now).ok());
  std::unique_ptr<redis::Client> reader =
      redis::Client::Connect({.address = server.address()}).value();
  int64_t exists = 0;
  for (int attempt = 0; attempt < 100 && exists == 0; ++attempt) {
    absl::SleepFor(absl::Milliseconds(20));
    exists = Run(*reader, {"EXISTS", RevocationKey("session", session)})->integer;
  }
  CHECK(exists == 1);
}

}  // namespace
}  // namespace bitcontent::accounts
