#include "services/pricing/paywall_requests.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "libs/crypto/hash.h"
#include "libs/kit/error_details.h"
#include "libs/store/record_io.h"
#include "services/pricing/paywall_records.pb.h"

namespace bitcontent::pricing {
namespace {

// BLAKE2b-256 of the request without its request_id, serialized deterministically.
std::string Fingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const google::protobuf::FieldDescriptor* field =
      copy->GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return crypto::Blake2b256(bytes);
}

std::string RequestIdOf(const google::protobuf::Message& request) {
  const google::protobuf::FieldDescriptor* field =
      request.GetDescriptor()->FindFieldByName("request_id");
  return field == nullptr ? std::string() : request.GetReflection()->GetString(request, field);
}

}  // namespace

absl::Status CheckRequestId(std::string_view request_id) {
  if (request_id.empty()) {
    return kit::FieldError("request_id",
                           "is required: an idempotency key (the Idempotency-Key header over "
                           "REST), so that a retry never makes a second one");
  }
  if (request_id.size() > kRequestIdBytesMax) {
    return kit::FieldError("request_id",
                           absl::StrCat("is at most ", kRequestIdBytesMax, " characters"));
  }
  for (const char c : request_id) {
    if (c < 0x21 || c > 0x7e) {
      return kit::FieldError("request_id", "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

RequestLog::RequestLog(const PaywallDb& db, std::string_view user_id, RequestKind kind,
                       const google::protobuf::Message& request)
    : db_(db),
      key_(absl::StrCat(absl::string_view(user_id.data(), user_id.size()),
                        std::string(1, static_cast<char>(kind)), RequestIdOf(request))),
      fingerprint_(Fingerprint(request)) {}

absl::StatusOr<std::optional<std::string>> RequestLog::Find() const {
  absl::StatusOr<std::optional<storage::RequestRecord>> found =
      store::FindRecord<storage::RequestRecord>(db_.store(), db_.requests, key_);
  if (!found.ok()) return found.status();
  if (!found->has_value()) return std::optional<std::string>();
  if ((*found)->fingerprint() != fingerprint_) {
    return kit::WithReason(
        absl::FailedPreconditionError("this request_id (Idempotency-Key) was already used for "
                                      "another request; use a new one"),
        common::v1::ERROR_REASON_IDEMPOTENCY_KEY_REUSED);
  }
  return std::optional<std::string>((*found)->name());
}

void RequestLog::Stage(store::WriteBatch* batch, std::string_view name) const {
  storage::RequestRecord record;
  record.set_name(std::string(name));
  record.set_fingerprint(fingerprint_);
  store::PutRecord(batch, db_.requests, key_, record);
}

}  // namespace bitcontent::pricing
