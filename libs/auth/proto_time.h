// Conversions between google.protobuf.Timestamp (in the contracts) and absl::Time (in
// the code). An unset Timestamp reads as the Unix epoch; check has_<field>() first where
// "unset" means something else.
#pragma once

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace bitcontent::auth {

absl::Time TimeFromProto(const google::protobuf::Timestamp& timestamp);

// `time` rounded down to the nanosecond; times outside the Timestamp range (years 1 to
// 9999) are clamped to it.
google::protobuf::Timestamp ProtoFromTime(absl::Time time);

}  // namespace bitcontent::auth
