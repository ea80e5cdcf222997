#include "libs/auth/proto_time.h"

#include <catch2/catch.hpp>

namespace bitcontent::auth {
namespace {

TEST_CASE("auth proto_time: times round-trip through Timestamp to the nanosecond") {
  for (absl::Time time :
       {absl::UnixEpoch(), absl::FromUnixSeconds(1700000000) + absl::Nanoseconds(123456789),
        absl::FromUnixSeconds(-1) + absl::Nanoseconds(5)}) {
    const google::protobuf::Timestamp timestamp = ProtoFromTime(time);
    CHECK(timestamp.nanos() >= 0);
    CHECK(timestamp.nanos() < 1000000000);
    CHECK(TimeFromProto(timestamp) == time);
  }
  const google::protobuf::Timestamp before_epoch =
      ProtoFromTime(absl::FromUnixSeconds(-1) + absl::Nanoseconds(5));
  CHECK(before_epoch.seconds() == -1);
  CHECK(before_epoch.nanos() == 5);
}

TEST_CASE("auth proto_time: times outside the Timestamp range are clamped") {
  CHECK(ProtoFromTime(absl::InfiniteFuture()).seconds() == 253402300799);
  CHECK(ProtoFromTime(absl::InfinitePast()).seconds() == -62135596800);
  CHECK(TimeFromProto(google::protobuf::Timestamp()) == absl::UnixEpoch());
}

}  // namespace
}  // namespace bitcontent::auth
