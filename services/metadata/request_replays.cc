#include "services/metadata/request_replays.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "bitcontent/common/v1/errors.pb.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/hash.h"
#include "libs/kit/error_details.h"

namespace bitcontent::metadata {
namespace {

// Between the made id and the fingerprint; ids never hold it.
constexpr char kSeparator = '|';

// BLAKE2b-256 of the request's deterministic encoding without its request_id, in hex.
std::string Fingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  if (const google::protobuf::FieldDescriptor* field =
          copy->GetDescriptor()->FindFieldByName("request_id");
      field != nullptr) {
    copy->GetReflection()->ClearField(copy.get(), field);
  }
  std::string bytes;
  copy->SerializePartialToString(&bytes);  // Deterministic enough: no maps in these requests.
  return crypto::HexEncode(crypto::Blake2b256(bytes));
}

}  // namespace

std::string ReplayRecord(absl::string_view made_id, const google::protobuf::Message& request) {
  return absl::StrCat(made_id, std::string(1, kSeparator), Fingerprint(request));
}

absl::StatusOr<std::string> ReplayedId(absl::string_view record,
                                       const google::protobuf::Message& request,
                                       absl::string_view what) {
  const size_t separator = record.find(kSeparator);
  if (separator == absl::string_view::npos) return std::string(record);
  if (record.substr(separator + 1) != Fingerprint(request)) {
    return kit::WithReason(
        kit::FieldError("request_id",
                        absl::StrCat("was sent before with another request, which made a ", what,
                                     "; use a new request id (Idempotency-Key) for a new one")),
        common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  }
  return std::string(record.substr(0, separator));
}

}  // namespace bitcontent::metadata
