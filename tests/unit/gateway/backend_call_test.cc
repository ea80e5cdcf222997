// What the gateway tells a client when a service's call failed in transport (it
// crashed, stopped while answering, or could not be reached) rather than by the
// service's own answer, and the checks of the Idempotency-Key header.
#include "services/gateway/backend_call.h"

#include <catch2/catch.hpp>

#include "bitcontent/accounts/v1/accounts_service.pb.h"
#include "bitcontent/wallet/v1/wallet_service.pb.h"
#include "services/gateway/rest_gateway.h"

namespace bitcontent::gateway {
namespace {

constexpr char kPay[] = "/bitcontent.wallet.v1.WalletService/Pay";

TEST_CASE("a call that failed in transport is UNAVAILABLE, naming the service and the retry",
          "[gateway]") {
  std::optional<common::v1::ErrorDetails> details;
  const absl::Status reset = BackendFailure(
      kPay, grpc::Status(grpc::StatusCode::UNAVAILABLE, "recvmsg:Connection reset by peer"),
      RetryHint::kSameIdempotencyKey, &details);
  CHECK(reset.code() == absl::StatusCode::kUnavailable);
  CHECK(reset.message() ==
        "the wallet service stopped before it answered; retry with the same Idempotency-Key, "
        "which is safe");
  REQUIRE(details.has_value());
  CHECK(details->retry_after_ms() == 1000);

  details.reset();
  const absl::Status refused = BackendFailure(
      "/bitcontent.accounts.v1.AccountsService/GetUser",
      grpc::Status(grpc::StatusCode::UNAVAILABLE,
                   "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:1: "
                   "Failed to connect to remote host: Connection refused"),
      RetryHint::kPlain, &details);
  CHECK(refused.message() == "the accounts service could not be reached; retry");

  // A draining service cancels what it has not answered.
  details.reset();
  CHECK(BackendFailure(kPay, grpc::Status(grpc::StatusCode::CANCELLED, "Cancelled"),
                       RetryHint::kSameRequestId, &details)
            .message() ==
        "the wallet service stopped before it answered; retry with the same request_id, which "
        "is safe");
}

// The gateway's deadline passed: the service may still do it, so only a retry that cannot
// do it twice is offered.
TEST_CASE("a call the service did not answer in time says so and how to retry", "[gateway]") {
  std::optional<common::v1::ErrorDetails> details;
  const absl::Status late =
      BackendFailure(kPay, grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"),
                     RetryHint::kSameIdempotencyKey, &details);
  CHECK(late.code() == absl::StatusCode::kDeadlineExceeded);
  CHECK(late.message() ==
        "the wallet service did not answer in time; retry with the same Idempotency-Key, which "
        "is safe");
  REQUIRE(details.has_value());
  CHECK(details->retry_after_ms() == 1000);
}

TEST_CASE("a service's own error passes through as it answered it", "[gateway]") {
  // The service's UNAVAILABLE carries its ErrorDetails; gRPC's transport errors do not.
  std::optional<common::v1::ErrorDetails> details = common::v1::ErrorDetails();
  const absl::Status own = BackendFailure(
      kPay, grpc::Status(grpc::StatusCode::UNAVAILABLE, "wallet has no --accounts_target"),
      RetryHint::kSameIdempotencyKey, &details);
  CHECK(own.message() == "wallet has no --accounts_target");
  CHECK(details->retry_after_ms() == 0);
  details.reset();
  const absl::Status invalid =
      BackendFailure(kPay, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "memo: bad"),
                     RetryHint::kSameIdempotencyKey, &details);
  CHECK(invalid.code() == absl::StatusCode::kInvalidArgument);
  CHECK(invalid.message() == "memo: bad");
  CHECK_FALSE(details.has_value());
  CHECK_FALSE(FailedInTransport(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "late"), false));
}

TEST_CASE("the retry hint follows whether the request carries a request_id", "[gateway]") {
  CHECK(RetryHintOf(*wallet::v1::PayRequest::descriptor(), true) == RetryHint::kSameIdempotencyKey);
  CHECK(RetryHintOf(*wallet::v1::PayRequest::descriptor(), false) == RetryHint::kSameRequestId);
  CHECK(RetryHintOf(*wallet::v1::GetWalletRequest::descriptor(), true) == RetryHint::kPlain);
}

TEST_CASE("an Idempotency-Key is 1 to 128 visible ASCII characters, and the error says so",
          "[gateway]") {
  CHECK(CheckIdempotencyKey("3f2a-ORDER_17.retry~2").ok());
  CHECK(CheckIdempotencyKey(std::string(128, 'k')).ok());
  for (const std::string& bad : {std::string(), std::string(129, 'k'), std::string("has space"),
                                 std::string("tab\tkey"), std::string("caf\xc3\xa9")}) {
    const absl::Status refused = CheckIdempotencyKey(bad);
    INFO(bad);
    CHECK(refused.code() == absl::StatusCode::kInvalidArgument);
    CHECK_THAT(std::string(refused.message()),
               Catch::StartsWith("Idempotency-Key: the header must be 1 to 128 visible ASCII "
                                 "characters") &&
                   Catch::Contains("without spaces"));
  }
}

}  // namespace
}  // namespace bitcontent::gateway
