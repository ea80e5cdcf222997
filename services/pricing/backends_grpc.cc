#include "services/pricing/backends_grpc.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "bitcontent/accounts/v1/accounts_internal_service.grpc.pb.h"
#include "bitcontent/metadata/v1/metadata_internal_service.grpc.pb.h"
#include "bitcontent/wallet/v1/wallet_internal_service.grpc.pb.h"
#include "libs/kit/active_members.h"
#include "libs/kit/api_key_spend.h"
#include "libs/kit/channel.h"
#include "libs/kit/error_details.h"
#include "libs/kit/log.h"
#include "libs/kit/reply.h"
#include "services/pricing/quotes.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

absl::Status Missing(absl::string_view flag, absl::string_view service) {
  return absl::UnavailableError(
      absl::StrCat("pricing has no --", flag, ", so it cannot reach ", service));
}

std::unique_ptr<grpc::ClientContext> ContextFor(const grpc::ServerContext* parent,
                                                absl::Duration timeout) {
  return parent == nullptr ? kit::NewCallContext(timeout) : kit::NewCallContext(*parent, timeout);
}

// Which members are active, for every AccountsMembers of the process (each lives for
// one request).
const kit::ActiveMembers& Active() {
  constexpr size_t kEntriesMax = 100'000;
  static const kit::ActiveMembers active(kEntriesMax, AccountsMembers::kPayableLifetime);
  return active;
}

// Said to a buyer, who has no business knowing which member is disabled: the seller
// hears who when setting the split (split_members.h), and pricing's log says it here.
absl::Status NotPayable(absl::string_view user_name) {
  kit::Log(spdlog::level::info, "a member who is not active was to be paid; refused",
           {{"member", user_name}});
  return kit::WithReason(
      absl::FailedPreconditionError(
          "this cannot be bought now: someone its sale pays cannot be paid at the moment (not "
          "an active member); nothing was charged"),
      common::v1::ERROR_REASON_UNSPECIFIED, {{kRefusalFact, "NOT_ON_SALE"}});
}

}  // namespace

std::optional<std::string> WalletAccounts::Member(const std::string& user_id) const {
  absl::MutexLock lock(&mu_);
  auto it = members_.find(user_id);
  if (it == members_.end()) return std::nullopt;
  return it->second;
}

void WalletAccounts::RememberMember(const std::string& user_id, const std::string& account_id) {
  absl::MutexLock lock(&mu_);
  // Forgetting costs one EnsureMemberWallet each; it keeps memory bounded.
  if (members_.size() >= kMembersMax) members_.clear();
  members_[user_id] = account_id;
}

std::optional<std::string> WalletAccounts::PlatformFees() const {
  absl::MutexLock lock(&mu_);
  if (platform_fees_.empty()) return std::nullopt;
  return platform_fees_;
}

void WalletAccounts::RememberPlatformFees(const std::string& account_id) {
  absl::MutexLock lock(&mu_);
  platform_fees_ = account_id;
}

absl::StatusOr<NodeFacts> MetadataNodes::Lookup(std::string_view node) {
  if (metadata_ == nullptr) return Missing("metadata_target", "metadata");
  metadata::v1::LookupNodeRequest request;
  request.set_name(std::string(node));
  metadata::v1::Node response;
  auto context = ContextFor(parent_, kBackendCallTimeout);
  const grpc::Status status = metadata::v1::MetadataInternalService::NewStub(metadata_)->LookupNode(
      context.get(), request, &response);
  if (!status.ok()) return kit::FromCall(status, *context);
  return NodeFacts{.owner = response.owner(),
                   .uploader = response.head_version().creator(),
                   .file = response.type() == metadata::v1::NODE_TYPE_FILE,
                   .active = response.state() == metadata::v1::NODE_STATE_ACTIVE};
}

absl::Status MetadataNodes::SetPriced(std::string_view node, bool priced) {
  if (metadata_ == nullptr) return Missing("metadata_target", "metadata");
  metadata::v1::SetNodePricedRequest request;
  request.set_node(std::string(node));
  request.set_priced(priced);
  metadata::v1::Node response;
  auto context = ContextFor(parent_, kBackendCallTimeout);
  const grpc::Status status =
      metadata::v1::MetadataInternalService::NewStub(metadata_)->SetNodePriced(context.get(),
                                                                               request, &response);
  return kit::FromCall(status, *context);
}

absl::StatusOr<bool> MetadataNodes::SharedWith(std::string_view node, std::string_view user_id) {
  if (metadata_ == nullptr) return Missing("metadata_target", "metadata");
  metadata::v1::CheckNodeAccessRequest request;
  request.set_node(std::string(node));
  request.set_user(absl::StrCat("users/", Absl(user_id)));
  metadata::v1::CheckNodeAccessResponse response;
  auto context = ContextFor(parent_, kBackendCallTimeout);
  const grpc::Status status =
      metadata::v1::MetadataInternalService::NewStub(metadata_)->CheckNodeAccess(
          context.get(), request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return false;
  if (!status.ok()) return kit::FromCall(status, *context);
  return response.role() == metadata::v1::ACCESS_ROLE_READER ||
         response.role() == metadata::v1::ACCESS_ROLE_WRITER;
}

absl::StatusOr<std::string> WalletLedger::MemberAccount(std::string_view user_id) {
  const std::string id(user_id);
  if (std::optional<std::string> known = accounts_->Member(id)) return *known;
  if (wallet_ == nullptr) return Missing("wallet_target", "the wallet");
  wallet::v1::EnsureMemberWalletRequest request;
  request.set_user(absl::StrCat("users/", Absl(user_id)));
  wallet::v1::Wallet response;
  auto context = ContextFor(parent_, kBackendCallTimeout);
  const grpc::Status status =
      wallet::v1::WalletInternalService::NewStub(wallet_)->EnsureMemberWallet(context.get(),
                                                                              request, &response);
  if (!status.ok()) return kit::FromCall(status, *context);
  accounts_->RememberMember(id, response.account_id());
  return response.account_id();
}

absl::StatusOr<std::string> WalletLedger::PlatformFeesAccount() {
  if (std::optional<std::string> known = accounts_->PlatformFees()) return *known;
  if (wallet_ == nullptr) return Missing("wallet_target", "the wallet");
  wallet::v1::GetSystemAccountsResponse response;
  auto context = ContextFor(parent_, kBackendCallTimeout);
  const grpc::Status status =
      wallet::v1::WalletInternalService::NewStub(wallet_)->GetSystemAccounts(
          context.get(), wallet::v1::GetSystemAccountsRequest(), &response);
  if (!status.ok()) return kit::FromCall(status, *context);
  accounts_->RememberPlatformFees(response.platform_fees_account_id());
  return response.platform_fees_account_id();
}

absl::StatusOr<std::vector<wallet::v1::CreateTransferResult>> WalletLedger::CreateTransfers(
    const std::vector<wallet::v1::Transfer>& transfers) {
  if (wallet_ == nullptr) return Missing("wallet_target", "the wallet");
  if (transfers_ == nullptr)
    return absl::InternalError("pricing was set up without a TransferBatcher");
  absl::Time deadline = absl::Now() + kLedgerCallTimeout;
  if (parent_ != nullptr) deadline = std::min(deadline, absl::FromChrono(parent_->deadline()));
  return transfers_->CreateTransfers(transfers, deadline);
}

absl::StatusOr<size_t> WalletLedger::CountTransfers(const std::vector<std::string>& ids) {
  if (wallet_ == nullptr) return Missing("wallet_target", "the wallet");
  wallet::v1::LookupTransfersRequest request;
  for (const std::string& id : ids) request.add_ids(id);
  wallet::v1::LookupTransfersResponse response;
  auto context = ContextFor(parent_, kBackendCallTimeout);
  const grpc::Status status = wallet::v1::WalletInternalService::NewStub(wallet_)->LookupTransfers(
      context.get(), request, &response);
  if (!status.ok()) return kit::FromCall(status, *context);
  return static_cast<size_t>(response.transfers_size());
}

absl::StatusOr<uint64_t> WalletLedger::AvailableMsat(std::string_view account_id) {
  if (wallet_ == nullptr) return Missing("wallet_target", "the wallet");
  wallet::v1::LookupAccountsRequest request;
  request.add_ids(std::string(account_id));
  wallet::v1::LookupAccountsResponse response;
  auto context = ContextFor(parent_, kBackendCallTimeout);
  const grpc::Status status = wallet::v1::WalletInternalService::NewStub(wallet_)->LookupAccounts(
      context.get(), request, &response);
  if (!status.ok()) return kit::FromCall(status, *context);
  if (response.accounts_size() != 1) return uint64_t{0};
  const wallet::v1::LedgerAccount& account = response.accounts(0);
  const uint64_t spent = account.debits_posted_msat() + account.debits_pending_msat();
  return account.credits_posted_msat() > spent ? account.credits_posted_msat() - spent : 0;
}

absl::StatusOr<std::string> AccountsMembers::PublicKey(std::string_view user_id) {
  if (accounts_ == nullptr) return Missing("accounts_target", "accounts");
  accounts::v1::BatchGetUsersRequest request;
  request.add_names(absl::StrCat("users/", Absl(user_id)));
  accounts::v1::BatchGetUsersResponse response;
  auto context = ContextFor(parent_, kBackendCallTimeout);
  const grpc::Status status =
      accounts::v1::AccountsInternalService::NewStub(accounts_)->BatchGetUsers(context.get(),
                                                                               request, &response);
  if (!status.ok()) return kit::FromCall(status, *context);
  if (response.users_size() != 1) return absl::NotFoundError("no such member");
  return response.users(0).public_key();
}

absl::Status AccountsMembers::CheckPayable(const std::vector<std::string>& user_names) {
  return Check(user_names, /*now=*/false);
}

absl::Status AccountsMembers::CheckPayableNow(const std::vector<std::string>& user_names) {
  return Check(user_names, /*now=*/true);
}

absl::Status AccountsMembers::Check(const std::vector<std::string>& user_names, bool now) {
  // Without accounts no member can be told disabled; the wallet still refuses to credit
  // an account that does not exist. Every suite names accounts (deploy/, ./dev up).
  if (accounts_ == nullptr) return absl::OkStatus();
  auto context = ContextFor(parent_, kBackendCallTimeout);
  absl::StatusOr<std::optional<std::string>> inactive =
      now ? Active().FirstInactiveNow(accounts_, *context, user_names)
          : Active().FirstInactive(accounts_, *context, user_names);
  if (!inactive.ok()) return inactive.status();
  if (inactive->has_value()) return NotPayable(**inactive);
  return absl::OkStatus();
}

absl::Status AccountsMembers::MarkNotPayable(v1::SplitRule* split) {
  if (accounts_ == nullptr) return absl::OkStatus();
  for (v1::SplitRecipient& recipient : *split->mutable_recipients()) {
    if (recipient.user().empty()) continue;  // The owner, publisher or uploader at sale.
    auto context = ContextFor(parent_, kBackendCallTimeout);
    absl::StatusOr<std::optional<std::string>> inactive =
        Active().FirstInactiveNow(accounts_, *context, {recipient.user()});
    if (!inactive.ok()) return inactive.status();
    recipient.set_not_payable(inactive->has_value());
  }
  return absl::OkStatus();
}

absl::Status AccountsMembers::ChargeApiKey(std::string_view api_key, uint64_t amount_msat,
                                           std::string_view request_id) {
  if (accounts_ == nullptr) return Missing("accounts_target", "accounts");
  auto context = ContextFor(parent_, kBackendCallTimeout);
  return kit::ChargeApiKeySpend(accounts_, *context, Absl(api_key), amount_msat, Absl(request_id));
}

absl::Status AccountsMembers::RefundApiKey(std::string_view api_key, uint64_t amount_msat,
                                           std::string_view request_id) {
  if (accounts_ == nullptr) return Missing("accounts_target", "accounts");
  auto context = ContextFor(parent_, kBackendCallTimeout);
  return kit::RefundApiKeySpend(accounts_, *context, Absl(api_key), amount_msat, Absl(request_id));
}

}  // namespace bitcontent::pricing
