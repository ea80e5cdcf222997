#include "libs/store/errors.h"

#include <string>

#include "absl/strings/match.h"

namespace bitcontent::store {
namespace {

using Code = rocksdb::Status::Code;
using SubCode = rocksdb::Status::SubCode;

// RocksDB reports a held database lock as an IO error on the file named LOCK, either
// "While lock file: <path>/LOCK: ..." (another process) or "lock hold by current
// process ... <path>/LOCK: ..." (a second open in this process).
bool IsLockHeld(const rocksdb::Status& status) {
  return status.IsIOError() && absl::StrContains(status.ToString(), "/LOCK");
}

absl::StatusCode CodeForIoError(SubCode subcode) {
  switch (subcode) {
    case SubCode::kNoSpace:
    case SubCode::kSpaceLimit:
      return absl::StatusCode::kResourceExhausted;
    case SubCode::kPathNotFound:
      return absl::StatusCode::kNotFound;
    default:
      return absl::StatusCode::kInternal;
  }
}

absl::StatusCode CodeFor(const rocksdb::Status& status) {
  if (status.subcode() == SubCode::kMemoryLimit || status.subcode() == SubCode::kLockLimit) {
    return absl::StatusCode::kResourceExhausted;
  }
  switch (status.code()) {
    case Code::kOk:
      return absl::StatusCode::kOk;
    case Code::kNotFound:
      return absl::StatusCode::kNotFound;
    case Code::kCorruption:
      return absl::StatusCode::kDataLoss;
    case Code::kNotSupported:
      return absl::StatusCode::kUnimplemented;
    case Code::kInvalidArgument:
      return absl::StatusCode::kInvalidArgument;
    case Code::kIOError:
      return CodeForIoError(status.subcode());
    case Code::kTimedOut:
    case Code::kExpired:
      return absl::StatusCode::kDeadlineExceeded;
    case Code::kAborted:
    case Code::kBusy:
      return absl::StatusCode::kAborted;
    case Code::kIncomplete:
    case Code::kShutdownInProgress:
    case Code::kTryAgain:
      return absl::StatusCode::kUnavailable;
    case Code::kCompactionTooLarge:
      return absl::StatusCode::kResourceExhausted;
    case Code::kColumnFamilyDropped:
      return absl::StatusCode::kFailedPrecondition;
    case Code::kMergeInProgress:
    case Code::kMaxCode:
      break;
  }
  return absl::StatusCode::kInternal;
}

}  // namespace

absl::Status StoreError(absl::StatusCode code, std::string_view operation, std::string_view target,
                        std::string_view detail) {
  std::string message = "store ";
  message.append(operation);
  if (!target.empty()) {
    message.append(" ").append(target);
  }
  message.append(": ").append(detail);
  return absl::Status(code, message);
}

absl::Status ToAbslStatus(const rocksdb::Status& status, std::string_view operation,
                          std::string_view target) {
  if (status.ok()) {
    return absl::OkStatus();
  }
  if (IsLockHeld(status)) {
    return StoreError(absl::StatusCode::kUnavailable, operation, target,
                      "another process holds the lock on this database (or it is already "
                      "open in this process): " +
                          status.ToString());
  }
  return StoreError(CodeFor(status), operation, target, status.ToString());
}

}  // namespace bitcontent::store
