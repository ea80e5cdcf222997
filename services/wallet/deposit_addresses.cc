#include "services/wallet/deposit_addresses.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/store/key_encoding.h"
#include "libs/store/record_io.h"
#include "libs/store/write_batch.h"
#include "services/wallet/member_wallets.h"
#include "services/wallet/records.pb.h"

namespace bitcontent::wallet {
namespace {

constexpr std::string_view kNextIndexKey = "next_address_index";
// Non-hardened child numbers only: BIP32 public derivation stops at 2^31.
constexpr uint32_t kIndexLimit = uint32_t{1} << 31;

std::string UserIndexKey(std::string_view user_id, uint32_t index) {
  std::string key(user_id);
  store::AppendUint32(&key, index);
  return key;
}

std::string DerivationPath(const bitcoin::AccountKey& account, uint32_t index) {
  const uint32_t coin = account.network == bitcoin::Network::kMainnet ? 0 : 1;
  const uint32_t account_number = account.key.child_number & ~kIndexLimit;
  return absl::StrCat("m/84'/", coin, "'/", account_number, "'/0/", index);
}

}  // namespace

absl::StatusOr<uint32_t> DepositAddresses::NextIndex() const {
  absl::StatusOr<std::string> value = db_.store().Get(db_.counters, kNextIndexKey);
  if (absl::IsNotFound(value.status())) return 0;
  if (!value.ok()) return value.status();
  const std::optional<uint64_t> next = store::DecodeUint64(*value);
  if (!next.has_value()) return absl::DataLossError("wallet: unreadable next_address_index");
  return static_cast<uint32_t>(*next);
}

absl::StatusOr<v1::DepositAddress> DepositAddresses::Create(std::string_view user_id,
                                                            absl::Time now) {
  if (!account_.has_value()) {
    return absl::FailedPreconditionError(
        "deposits are not set up on this server: the operator has to start the wallet with "
        "--deposit_account_xpub (a BIP84 account's public key)");
  }
  absl::MutexLock lock(&mu_);
  absl::StatusOr<uint32_t> index = NextIndex();
  if (!index.ok()) return index.status();
  if (*index >= kIndexLimit) {
    return absl::ResourceExhaustedError(
        "every address of the operator's deposit account was handed out; the operator must "
        "configure a new account xpub");
  }
  absl::StatusOr<std::string> text = bitcoin::ReceiveAddress(*account_, *index);
  if (!text.ok()) return text.status();
  v1::DepositAddress address;
  address.set_name(absl::StrCat(WalletName(user_id), "/depositAddresses/", *text));
  address.set_address(*text);
  address.set_network(NetworkToProto(account_->network));
  address.set_derivation_index(*index);
  address.set_derivation_path(DerivationPath(*account_, *index));
  *address.mutable_create_time() = auth::ProtoFromTime(now);
  storage::DepositAddressRecord record;
  record.set_user_id(std::string(user_id));
  *record.mutable_address() = address;
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.deposit_addresses, *text, record);
  batch.Put(db_.user_deposit_addresses, UserIndexKey(user_id, *index), *text);
  batch.Put(db_.counters, kNextIndexKey, store::EncodeUint64(*index + 1));
  if (absl::Status written = db_.store().Write(&batch, {.sync = true}); !written.ok()) {
    return written;
  }
  return address;
}

absl::StatusOr<v1::ListDepositAddressesResponse> DepositAddresses::List(
    std::string_view user_id, int32_t page_size, std::string_view page_token) const {
  absl::StatusOr<size_t> size =
      kit::PageSizeOf(page_size, {.default_size = kPageSizeDefault, .max = kPageSizeMax});
  if (!size.ok()) return size.status();
  std::optional<std::string> start_after;
  if (!page_token.empty()) {
    uint32_t index = 0;
    if (!absl::SimpleAtoi(absl::string_view(page_token.data(), page_token.size()), &index)) {
      return kit::FieldError("page_token", "is not a token this listing returned");
    }
    start_after = UserIndexKey(user_id, index);
  }
  v1::ListDepositAddressesResponse response;
  std::string last_key;
  store::PrefixIterator it = db_.store().Scan(
      db_.user_deposit_addresses,
      {.prefix = user_id,
       .start_after =
           start_after.has_value() ? std::optional<std::string_view>(*start_after) : std::nullopt,
       .reverse = true,
       .limit = *size + 1});
  for (; it.Valid(); it.Next()) {
    if (static_cast<size_t>(response.deposit_addresses_size()) == *size) {
      const std::optional<uint32_t> index = store::DecodeUint32(last_key.substr(user_id.size()));
      response.set_next_page_token(absl::StrCat(index.value_or(0)));
      break;
    }
    last_key = std::string(it.key());
    absl::StatusOr<std::optional<storage::DepositAddressRecord>> record =
        store::FindRecord<storage::DepositAddressRecord>(
            db_.store(), db_.deposit_addresses,
            absl::string_view(it.value().data(), it.value().size()));
    if (!record.ok()) return record.status();
    if (record->has_value()) *response.add_deposit_addresses() = (*record)->address();
  }
  if (absl::Status status = it.status(); !status.ok()) return status;
  return response;
}

absl::StatusOr<std::optional<std::string>> DepositAddresses::OwnerOf(
    std::string_view address) const {
  absl::StatusOr<std::optional<storage::DepositAddressRecord>> record =
      store::FindRecord<storage::DepositAddressRecord>(
          db_.store(), db_.deposit_addresses, absl::string_view(address.data(), address.size()));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return std::optional<std::string>();
  return std::optional<std::string>((*record)->user_id());
}

}  // namespace bitcontent::wallet
