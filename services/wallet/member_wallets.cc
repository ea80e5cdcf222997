#include "services/wallet/member_wallets.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "services/wallet/records.pb.h"
#include "services/wallet/transfer_outcome.h"
#include "services/wallet/wallet_ids.h"

namespace bitcontent::wallet {
namespace {

constexpr v1::AccountCode kSystemCodes[] = {
    v1::ACCOUNT_CODE_PLATFORM_FEES, v1::ACCOUNT_CODE_STREAM_ESCROW, v1::ACCOUNT_CODE_CHAIN_DEPOSITS,
    v1::ACCOUNT_CODE_CHAIN_PAYOUTS, v1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS};

// Creates `accounts`; OK and EXISTS both mean the account is there as asked.
absl::Status CreateAll(ledger::Ledger* ledger, absl::Span<const ledger::Account> accounts) {
  absl::StatusOr<std::vector<ledger::CreateAccountResult>> results =
      ledger->CreateAccounts(accounts);
  if (!results.ok()) return results.status();
  for (size_t i = 0; i < results->size(); ++i) {
    const ledger::CreateAccountResult result = (*results)[i];
    if (!ledger::Succeeded(result)) {
      return absl::InternalError(absl::StrCat("wallet: cannot create ledger account ",
                                              IdToHex(accounts[i].id), ": ",
                                              std::string(ledger::ResultName(result))));
    }
  }
  return absl::OkStatus();
}

const std::string& KeyOf(const ledger::Id& id, std::string* storage) {
  *storage = ledger::IdToBytes(id);
  return *storage;
}

}  // namespace

std::string WalletName(std::string_view user_id) {
  return absl::StrCat("users/", absl::string_view(user_id.data(), user_id.size()), "/wallet");
}

absl::Status MemberWallets::CreateSystemAccounts() {
  std::vector<ledger::Account> accounts;
  for (const v1::AccountCode code : kSystemCodes) {
    ledger::Account account = {
        .id = SystemAccountId(code), .ledger = kBitcoinLedger, .code = static_cast<uint16_t>(code)};
    // Escrow only passes on what viewers' holds put in.
    if (code == v1::ACCOUNT_CODE_STREAM_ESCROW) account.flags = ledger::kDebitsMustNotExceedCredits;
    accounts.push_back(account);
  }
  return CreateAll(ledger_, accounts);
}

v1::GetSystemAccountsResponse MemberWallets::SystemAccounts() {
  v1::GetSystemAccountsResponse response;
  response.set_platform_fees_account_id(
      ledger::IdToBytes(SystemAccountId(v1::ACCOUNT_CODE_PLATFORM_FEES)));
  response.set_stream_escrow_account_id(
      ledger::IdToBytes(SystemAccountId(v1::ACCOUNT_CODE_STREAM_ESCROW)));
  response.set_chain_deposits_account_id(
      ledger::IdToBytes(SystemAccountId(v1::ACCOUNT_CODE_CHAIN_DEPOSITS)));
  response.set_chain_payouts_account_id(
      ledger::IdToBytes(SystemAccountId(v1::ACCOUNT_CODE_CHAIN_PAYOUTS)));
  response.set_operator_adjustments_account_id(
      ledger::IdToBytes(SystemAccountId(v1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS)));
  return response;
}

absl::StatusOr<std::optional<ledger::Account>> MemberWallets::Find(std::string_view user_id) const {
  const ledger::Id id = MemberAccountId(user_id);
  absl::StatusOr<std::vector<std::optional<ledger::Account>>> found =
      ledger_->LookupAccounts({&id, 1});
  if (!found.ok()) return found.status();
  return (*found)[0];
}

absl::StatusOr<ledger::Account> MemberWallets::Ensure(std::string_view user_id) {
  absl::StatusOr<std::optional<ledger::Account>> found = Find(user_id);
  if (!found.ok()) return found.status();
  if (found->has_value()) return **found;
  const ledger::Id id = MemberAccountId(user_id);
  // The owner record first, so an account never exists without it; a crash between
  // the two leaves only a record that the next Ensure completes.
  storage::AccountOwner owner;
  owner.set_user_id(std::string(user_id));
  std::string key;
  if (absl::Status put = db_.store().Put(db_.account_owners, KeyOf(id, &key),
                                         owner.SerializeAsString(), {.sync = false});
      !put.ok()) {
    return put;
  }
  const ledger::Account account = {.id = id,
                                   .ledger = kBitcoinLedger,
                                   .code = v1::ACCOUNT_CODE_MEMBER_WALLET,
                                   .flags = ledger::kDebitsMustNotExceedCredits};
  if (absl::Status created = CreateAll(ledger_, {&account, 1}); !created.ok()) return created;
  if (welcome_.msat > 0) {
    // Once per member: the id is the member's. A crash right before it leaves the wallet
    // without it, which an operator adjustment puts right.
    const ledger::Id credit = WelcomeCreditId(user_id);
    storage::TransferNote note;
    note.set_memo("welcome credit");
    note.set_reference(absl::StrCat(WalletName(user_id), "/welcomeCredit"));
    if (absl::StatusOr<storage::TransferNote> stored = welcome_.notes->PutIfAbsent(credit, note);
        !stored.ok()) {
      return stored.status();
    }
    const ledger::Transfer transfer = {
        .id = credit,
        .debit_account_id = SystemAccountId(v1::ACCOUNT_CODE_OPERATOR_ADJUSTMENTS),
        .credit_account_id = id,
        .amount_msat = welcome_.msat,
        .user_data_128 = credit,
        .ledger = kBitcoinLedger,
        .code = v1::TRANSFER_CODE_ADJUSTMENT};
    if (absl::Status credited = Submit(ledger_, {&transfer, 1}); !credited.ok()) return credited;
  }
  absl::StatusOr<std::optional<ledger::Account>> made = Find(user_id);
  if (!made.ok()) return made.status();
  if (!made->has_value()) return absl::InternalError("wallet: account vanished after creation");
  return **made;
}

absl::StatusOr<std::string> MemberWallets::NameOf(const ledger::Id& account_id) const {
  if (std::string system = SystemAccountName(account_id); !system.empty()) return system;
  std::string key;
  absl::StatusOr<std::optional<storage::AccountOwner>> owner =
      store::FindRecord<storage::AccountOwner>(db_.store(), db_.account_owners,
                                               KeyOf(account_id, &key));
  if (!owner.ok()) return owner.status();
  if (!owner->has_value()) return std::string();
  return WalletName((*owner)->user_id());
}

v1::Wallet MemberWallets::View(std::string_view user_id, const ledger::Account& account,
                               uint64_t unconfirmed_msat) {
  v1::Wallet wallet;
  wallet.set_name(WalletName(user_id));
  wallet.set_account_id(ledger::IdToBytes(account.id));
  const uint64_t balance = account.credits_posted_msat - account.debits_posted_msat;
  wallet.set_balance_msat(balance);
  wallet.set_held_msat(account.debits_pending_msat);
  // The account's flag keeps debits (pending included) within credits.
  wallet.set_available_msat(balance - account.debits_pending_msat);
  wallet.set_incoming_msat(account.credits_pending_msat);
  wallet.set_unconfirmed_deposit_msat(unconfirmed_msat);
  // The balances are those committed when the view was made.
  *wallet.mutable_update_time() = auth::ProtoFromTime(absl::Now());
  return wallet;
}

}  // namespace bitcontent::wallet
