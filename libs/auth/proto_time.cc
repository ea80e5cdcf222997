#include "libs/auth/proto_time.h"

#include <algorithm>
#include <cstdint>

namespace bitcontent::auth {
namespace {

// The range google.protobuf.Timestamp allows: 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999999Z.
constexpr int64_t kTimestampSecondsMin = -62135596800;
constexpr int64_t kTimestampSecondsMax = 253402300799;

}  // namespace

absl::Time TimeFromProto(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

google::protobuf::Timestamp ProtoFromTime(absl::Time time) {
  const absl::Time lowest = absl::FromUnixSeconds(kTimestampSecondsMin);
  const absl::Time highest =
      absl::FromUnixSeconds(kTimestampSecondsMax) + absl::Nanoseconds(999999999);
  time = std::clamp(time, lowest, highest);
  const int64_t seconds = absl::ToUnixSeconds(time);  // Rounds towards negative infinity.
  const absl::Duration rest = time - absl::FromUnixSeconds(seconds);
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(rest)));
  return timestamp;
}

}  // namespace bitcontent::auth
