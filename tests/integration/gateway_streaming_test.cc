// Streaming methods through the gateway's public gRPC address: the real gateway in front
// of the real accounts service (and blobs, whose methods are not built yet, for a
// server-streaming method), reached as the admin CLI reaches it, with tokens from a
// real sign-up. The import an operator runs, the same checks as unary calls done once
// at the start of a stream, and how a stream ends: the service's error with its
// details, the caller's deadline, the caller's cancel.
#include <grpcpp/create_channel.h>
#include <grpcpp/impl/rpc_method.h>
#include <grpcpp/support/sync_stream.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bitcontent/accounts/v1/accounts_admin_service.grpc.pb.h"
#include "bitcontent/accounts/v1/accounts_service.grpc.pb.h"
#include "bitcontent/blobs/v1/blobs_service.grpc.pb.h"
#include "bitcontent/common/v1/errors.pb.h"
#include "libs/kit/channel.h"
#include "tests/integration/harness.h"
#include "tests/unit/accounts/client_keys.h"

namespace bitcontent {
namespace {

using accounts::v1::AccountsAdminService;
using accounts::v1::ImportLegacyAccountsRequest;
using accounts::v1::ImportLegacyAccountsResponse;

constexpr char kOperatorEmail[] = "ops@example.com";

// Accounts with Argon2id at its cheapest (fast tests) and one operator email; blobs
// only when a test needs a second backend.
testing::TestSuite StartSuite(std::vector<std::string> services = {"accounts", "gateway"}) {
  return testing::TestSuite(
      std::move(services),
      testing::CheapAccounts({absl::StrCat("--operator_emails=", kOperatorEmail)}));
}

std::string PublicGrpcAddress(testing::TestSuite& suite) {
  return suite->addresses("gateway").at("public_grpc");
}

// Signs `email` up through the gateway's public gRPC API; returns the access token.
std::string SignUp(const std::shared_ptr<grpc::Channel>& channel, absl::string_view email) {
  auto members = accounts::v1::AccountsService::NewStub(channel);
  const auto request =
      accounts::testing::SignUpRequestFor(email, accounts::testing::NewClientKeys("pw"));
  accounts::v1::SignUpResponse response;
  const grpc::Status status =
      members->SignUp(kit::NewCallContext(absl::Seconds(10)).get(), request, &response);
  INFO(status.error_message());
  REQUIRE(status.ok());
  return response.tokens().access_token();
}

// A context with `token` as bearer (none when empty) and a deadline `timeout` from now.
std::unique_ptr<grpc::ClientContext> Context(absl::string_view token,
                                             absl::Duration timeout = absl::Seconds(30)) {
  std::unique_ptr<grpc::ClientContext> context = kit::NewCallContext(timeout);
  if (!token.empty()) context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  return context;
}

// `count` legacy accounts from line `first_line` on, as the admin CLI batches a file.
ImportLegacyAccountsRequest Batch(int first_line, int count) {
  ImportLegacyAccountsRequest batch;
  for (int line = first_line; line < first_line + count; ++line) {
    accounts::v1::LegacyAccount* account = batch.add_accounts();
    account->set_line_number(line);
    account->set_email(absl::StrCat("legacy", line, "@example.com"));
    account->set_legacy_id(absl::StrCat("L", line));
  }
  return batch;
}

struct ImportRun {
  std::vector<ImportLegacyAccountsResponse> answers;
  grpc::Status status;
};

using ImportStream =
    grpc::ClientReaderWriter<ImportLegacyAccountsRequest, ImportLegacyAccountsResponse>;

// Reads what is left of an import and its status.
ImportRun Drain(ImportStream& stream, ImportRun run = {}) {
  ImportLegacyAccountsResponse answer;
  while (stream.Read(&answer)) run.answers.push_back(answer);
  run.status = stream.Finish();
  return run;
}

// Sends each batch and waits for its answer before the next, as the admin CLI does.
ImportRun ImportInTurn(AccountsAdminService::Stub& admin, grpc::ClientContext* context,
                       const std::vector<ImportLegacyAccountsRequest>& batches) {
  std::unique_ptr<ImportStream> stream = admin.ImportLegacyAccounts(context);
  ImportRun run;
  for (const ImportLegacyAccountsRequest& batch : batches) {
    ImportLegacyAccountsResponse answer;
    if (!stream->Write(batch) || !stream->Read(&answer)) break;
    run.answers.push_back(answer);
  }
  stream->WritesDone();
  return Drain(*stream, std::move(run));
}

// Sends every batch and half-closes before reading any answer (small batches only: the
// answers wait in flow-control windows meanwhile).
ImportRun ImportAllAtOnce(AccountsAdminService::Stub& admin, grpc::ClientContext* context,
                          const std::vector<ImportLegacyAccountsRequest>& batches) {
  std::unique_ptr<ImportStream> stream = admin.ImportLegacyAccounts(context);
  for (const ImportLegacyAccountsRequest& batch : batches) REQUIRE(stream->Write(batch));
  REQUIRE(stream->WritesDone());
  return Drain(*stream);
}

// Checks that `answer` has one result per line of `batch`, in order, all `outcome`.
void CheckAnswer(const ImportLegacyAccountsResponse& answer,
                 const ImportLegacyAccountsRequest& batch, accounts::v1::ImportOutcome outcome) {
  REQUIRE(answer.results_size() == batch.accounts_size());
  int wrong = 0;
  for (int i = 0; i < batch.accounts_size(); ++i) {
    const accounts::v1::ImportLineResult& result = answer.results(i);
    if (result.line_number() != batch.accounts(i).line_number() || result.outcome() != outcome ||
        result.user().empty()) {
      ++wrong;
    }
  }
  CHECK(wrong == 0);
}

// A bidi call of any method name, which sends nothing and half-closes; its status.
grpc::Status CallAnyStream(const std::shared_ptr<grpc::Channel>& channel, const std::string& rpc,
                           absl::string_view token) {
  std::unique_ptr<grpc::ClientContext> context = Context(token, absl::Seconds(10));
  const grpc::internal::RpcMethod method(rpc.c_str(), grpc::internal::RpcMethod::BIDI_STREAMING);
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
      grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
          channel.get(), method, context.get()));
  stream->WritesDone();
  grpc::ByteBuffer ignored;
  while (stream->Read(&ignored)) {
  }
  return stream->Finish();
}

TEST_CASE("an operator imports legacy accounts through the gateway's public gRPC",
          "[integration][gateway]") {
  testing::TestSuite suite = StartSuite();
  const auto channel = kit::NewChannel(PublicGrpcAddress(suite));
  const std::string token = SignUp(channel, kOperatorEmail);
  auto admin = AccountsAdminService::NewStub(channel);

  // The largest batch the contract allows, a single line, and some more.
  const std::vector<ImportLegacyAccountsRequest> batches = {Batch(1, 10'000), Batch(10'001, 1),
                                                            Batch(10'002, 250)};
  const ImportRun first = ImportInTurn(*admin, Context(token).get(), batches);
  INFO(first.status.error_message());
  REQUIRE(first.status.ok());
  REQUIRE(first.answers.size() == 3);
  uint64_t created = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    CheckAnswer(first.answers[i], batches[i], accounts::v1::IMPORT_OUTCOME_CREATED);
    created += batches[i].accounts_size();
    CHECK(first.answers[i].created_count() == created);
  }

  // The same file again: nothing new, answered in order.
  const ImportRun again = ImportInTurn(*admin, Context(token).get(), batches);
  INFO(again.status.error_message());
  REQUIRE(again.status.ok());
  REQUIRE(again.answers.size() == 3);
  for (size_t i = 0; i < batches.size(); ++i) {
    CheckAnswer(again.answers[i], batches[i], accounts::v1::IMPORT_OUTCOME_ALREADY_IMPORTED);
    CHECK(again.answers[i].created_count() == 0);
  }
  CHECK(again.answers[2].already_imported_count() == 10'251);

  // Batches sent ahead of their answers, then a half-close: answered in order too.
  const std::vector<ImportLegacyAccountsRequest> pipelined = {Batch(10'001, 1), Batch(20'000, 5),
                                                              Batch(10'002, 3), Batch(20'005, 2)};
  const ImportRun ahead = ImportAllAtOnce(*admin, Context(token).get(), pipelined);
  INFO(ahead.status.error_message());
  REQUIRE(ahead.status.ok());
  REQUIRE(ahead.answers.size() == 4);
  CheckAnswer(ahead.answers[0], pipelined[0], accounts::v1::IMPORT_OUTCOME_ALREADY_IMPORTED);
  CheckAnswer(ahead.answers[1], pipelined[1], accounts::v1::IMPORT_OUTCOME_CREATED);
  CheckAnswer(ahead.answers[2], pipelined[2], accounts::v1::IMPORT_OUTCOME_ALREADY_IMPORTED);
  CheckAnswer(ahead.answers[3], pipelined[3], accounts::v1::IMPORT_OUTCOME_CREATED);
  CHECK(ahead.answers[3].created_count() == 7);
  CHECK(ahead.answers[3].already_imported_count() == 4);
}

TEST_CASE("the gateway checks a stream once, at its start, and relays the service's errors",
          "[integration][gateway]") {
  testing::TestSuite suite = StartSuite({"accounts", "blobs", "gateway"});
  const auto channel = kit::NewChannel(PublicGrpcAddress(suite));
  const std::string operator_token = SignUp(channel, kOperatorEmail);
  const std::string member_token = SignUp(channel, "member@example.com");
  auto admin = AccountsAdminService::NewStub(channel);

  const ImportRun member = ImportInTurn(*admin, Context(member_token).get(), {Batch(1, 2)});
  CHECK(member.status.error_code() == grpc::StatusCode::PERMISSION_DENIED);
  CHECK(member.answers.empty());

  {  // Refused before any message: the check does not wait for the caller's first one.
    std::unique_ptr<grpc::ClientContext> context = Context("");
    std::unique_ptr<ImportStream> stream = admin->ImportLegacyAccounts(context.get());
    const ImportRun anonymous = Drain(*stream);
    CHECK(anonymous.status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
  }

  // The gateway answers for what it does not expose, streaming or not.
  const grpc::Status internal =
      CallAnyStream(channel, "/bitcontent.accounts.v1.AccountsInternalService/AuthenticateApiKey",
                    operator_token);
  CHECK(internal.error_code() == grpc::StatusCode::UNIMPLEMENTED);
  CHECK_THAT(internal.error_message(), Catch::Contains("internal to the suite"));
  const grpc::Status unknown = CallAnyStream(
      channel, "/bitcontent.accounts.v1.AccountsAdminService/ExportLegacyAccounts", operator_token);
  CHECK(unknown.error_code() == grpc::StatusCode::UNIMPLEMENTED);
  CHECK_THAT(unknown.error_message(), Catch::Contains("not a method of the BitContent API"));

  {  // The service ends the stream with an error: answers so far, then the error and its
     // details, with the caller's request id.
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    context.AddMetadata("authorization", absl::StrCat("Bearer ", operator_token));
    context.AddMetadata("x-request-id", "import-over-limit-1");
    const ImportRun over =
        ImportInTurn(*admin, &context, {Batch(1, 3), Batch(100, 10'001), Batch(20'000, 1)});
    CHECK(over.answers.size() == 1);
    CHECK(over.status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
    const auto& trailers = context.GetServerTrailingMetadata();
    const auto found = trailers.find("bitcontent-error-details-bin");
    REQUIRE(found != trailers.end());
    common::v1::ErrorDetails details;
    REQUIRE(details.ParseFromArray(found->second.data(), static_cast<int>(found->second.size())));
    REQUIRE(details.field_violations_size() == 1);
    CHECK(details.field_violations(0).field() == "accounts");
    CHECK(details.request_id() == "import-over-limit-1");
  }

  // A server-streaming method reaches its service after the same checks: blobs itself
  // refuses a call without a READ grant.
  auto blobs = blobs::v1::BlobsService::NewStub(channel);
  for (const std::string& token : {std::string(), member_token}) {
    std::unique_ptr<grpc::ClientContext> context = Context(token, absl::Seconds(10));
    auto reader = blobs->ReadChunks(context.get(), {});
    blobs::v1::ReadChunkResponse chunk;
    while (reader->Read(&chunk)) {
    }
    const grpc::Status status = reader->Finish();
    if (token.empty()) {
      CHECK(status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
    } else {
      CHECK(status.error_code() == grpc::StatusCode::UNAUTHENTICATED);
      CHECK_THAT(status.error_message(), Catch::Contains("no grant"));
    }
  }
}

TEST_CASE("a proxied stream ends with the caller's deadline or cancel, and needs no deadline",
          "[integration][gateway]") {
  testing::TestSuite suite = StartSuite();
  const auto channel = kit::NewChannel(PublicGrpcAddress(suite));
  const std::string token = SignUp(channel, kOperatorEmail);
  auto admin = AccountsAdminService::NewStub(channel);

  {  // The caller's deadline passes while the stream waits for its next batch.
    std::unique_ptr<grpc::ClientContext> context = Context(token, absl::Seconds(2));
    std::unique_ptr<ImportStream> stream = admin->ImportLegacyAccounts(context.get());
    REQUIRE(stream->Write(Batch(1, 2)));
    ImportLegacyAccountsResponse answer;
    REQUIRE(stream->Read(&answer));
    CHECK(answer.created_count() == 2);
    CHECK(Drain(*stream).status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {  // The caller cancels in the middle.
    std::unique_ptr<grpc::ClientContext> context = Context(token);
    std::unique_ptr<ImportStream> stream = admin->ImportLegacyAccounts(context.get());
    REQUIRE(stream->Write(Batch(10, 2)));
    ImportLegacyAccountsResponse answer;
    REQUIRE(stream->Read(&answer));
    context->TryCancel();
    CHECK(Drain(*stream).status.error_code() == grpc::StatusCode::CANCELLED);
  }
  {  // A caller that sets no deadline (a plain gRPC client, not kit's) is relayed too.
    auto plain = AccountsAdminService::NewStub(
        grpc::CreateChannel(PublicGrpcAddress(suite), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    const ImportRun run = ImportInTurn(*plain, &context, {Batch(1, 2), Batch(20, 3)});
    INFO(run.status.error_message());
    CHECK(run.status.ok());
    REQUIRE(run.answers.size() == 2);
    CheckAnswer(run.answers[0], Batch(1, 2), accounts::v1::IMPORT_OUTCOME_ALREADY_IMPORTED);
    CheckAnswer(run.answers[1], Batch(20, 3), accounts::v1::IMPORT_OUTCOME_CREATED);
  }
  CHECK(suite->process("gateway") != nullptr);
  CHECK(suite->process("gateway")->Running());
}

}  // namespace
}  // namespace bitcontent
