#include "libs/kit/status.h"

#include <catch2/catch.hpp>

namespace bitcontent::kit {
namespace {

TEST_CASE("absl and gRPC statuses map both ways with code and message") {
  const absl::Status cases[] = {
      absl::InvalidArgumentError("page_size must be >= 0"),
      absl::NotFoundError("no such file"),
      absl::PermissionDeniedError("not yours"),
      absl::ResourceExhaustedError("over quota"),
      absl::FailedPreconditionError("version changed"),
      absl::UnauthenticatedError("token expired"),
      absl::UnimplementedError("later"),
      absl::DataLossError("chunk hash mismatch"),
  };
  for (const absl::Status& status : cases) {
    grpc::Status wire = ToGrpc(status);
    CHECK(static_cast<int>(wire.error_code()) == static_cast<int>(status.code()));
    CHECK(wire.error_message() == status.message());
    CHECK(FromGrpc(wire) == status);
  }
  CHECK(ToGrpc(absl::OkStatus()).ok());
  CHECK(FromGrpc(grpc::Status::OK).ok());
}

TEST_CASE("a named gRPC code lands on the same absl code") {
  CHECK(FromGrpc(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "x")).code() ==
        absl::StatusCode::kUnauthenticated);
  CHECK(ToGrpc(absl::DeadlineExceededError("x")).error_code() ==
        grpc::StatusCode::DEADLINE_EXCEEDED);
}

}  // namespace
}  // namespace bitcontent::kit
