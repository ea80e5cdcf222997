#include "bench/ledger_workload.h"

#include <algorithm>

namespace bitcontent::bench {
namespace {

// One payment in five is a purchase.
constexpr uint64_t kPurchaseOneIn = 5;
// The publisher's cut of a purchase, in percent.
constexpr uint64_t kPublisherPercent = 10;

}  // namespace

LedgerWorkload::LedgerWorkload(LedgerWorkloadOptions options)
    : options_(options), random_(options.seed) {}

std::vector<ledger::Account> LedgerWorkload::Accounts() const {
  std::vector<ledger::Account> accounts;
  accounts.reserve(options_.member_count + 1);
  for (uint64_t id = 1; id <= options_.member_count; ++id) {
    accounts.push_back({.id = {0, id},
                        .ledger = kBitcoinLedger,
                        .code = kMemberWalletCode,
                        .flags = ledger::kDebitsMustNotExceedCredits});
  }
  accounts.push_back(
      {.id = {0, chain_deposits_id()}, .ledger = kBitcoinLedger, .code = kChainDepositsCode});
  return accounts;
}

std::vector<std::vector<ledger::Transfer>> LedgerWorkload::FundingBatches() {
  std::vector<std::vector<ledger::Transfer>> batches;
  for (uint64_t member = 1; member <= options_.member_count; ++member) {
    if (batches.empty() || batches.back().size() == options_.batch_size) batches.emplace_back();
    batches.back().push_back(
        Make(chain_deposits_id(), member, options_.funding_msat, kDepositCode));
  }
  return batches;
}

std::vector<ledger::Transfer> LedgerWorkload::NextPaymentBatch() {
  std::vector<ledger::Transfer> batch;
  batch.reserve(options_.batch_size);
  std::uniform_int_distribution<uint64_t> amount(1, options_.payment_msat_max);
  while (batch.size() < options_.batch_size) {
    const uint64_t buyer = RandomMember();
    const bool room_for_two = options_.batch_size - batch.size() >= 2;
    if (!room_for_two || random_() % kPurchaseOneIn != 0) {
      batch.push_back(Make(buyer, RandomOtherMember(buyer), amount(random_), kPaymentCode));
      continue;
    }
    // A purchase: the owner's share and the publisher's cut commit together or not at all.
    const uint64_t price = std::max<uint64_t>(amount(random_), 100);
    const ledger::Id reference = {0, next_purchase_id_++};
    ledger::Transfer owner = Make(buyer, RandomOtherMember(buyer),
                                  price - price * kPublisherPercent / 100, kPurchaseShareCode);
    owner.flags = ledger::kTransferLinked;
    owner.user_data_128 = reference;
    ledger::Transfer publisher =
        Make(buyer, RandomOtherMember(buyer), price * kPublisherPercent / 100, kPurchaseShareCode);
    publisher.user_data_128 = reference;
    batch.push_back(owner);
    batch.push_back(publisher);
  }
  return batch;
}

ledger::Transfer LedgerWorkload::Make(uint64_t debit, uint64_t credit, uint64_t amount_msat,
                                      uint16_t code) {
  return {.id = {0, next_transfer_id_++},
          .debit_account_id = {0, debit},
          .credit_account_id = {0, credit},
          .amount_msat = amount_msat,
          .ledger = kBitcoinLedger,
          .code = code};
}

uint64_t LedgerWorkload::RandomMember() {
  return std::uniform_int_distribution<uint64_t>(1, options_.member_count)(random_);
}

uint64_t LedgerWorkload::RandomOtherMember(uint64_t not_this) {
  for (;;) {
    const uint64_t member = RandomMember();
    if (member != not_this) return member;
  }
}

}  // namespace bitcontent::bench
