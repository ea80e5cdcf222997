// Random batches against a small reference model: the results, every balance and the
// invariants must agree after every batch, across reopens.
#include <catch2/catch.hpp>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include "tests/unit/ledger/ledger_test_util.h"

namespace bitcontent::ledger {
namespace {

using TR = CreateTransferResult;

// The ledger as the proto describes it, for the subset of transfers the generator makes
// (accounts 1..6 exist, 7 and 8 do not; no overflows, no timeouts).
class Model {
 public:
  std::map<uint64_t, Account> accounts;
  std::map<uint64_t, Transfer> transfers;
  std::map<uint64_t, PendingStatus> pending;
  std::set<uint64_t> failed;

  std::vector<TR> Apply(const std::vector<Transfer>& batch) {
    std::vector<TR> results(batch.size(), TR::kUnspecified);
    size_t begin = 0;
    while (begin < batch.size()) {
      size_t end = begin;
      while (end < batch.size() && (batch[end].flags & kTransferLinked)) ++end;
      if (end == batch.size()) {
        for (size_t i = begin; i + 1 < end; ++i) results[i] = TR::kLinkedEventFailed;
        results[end - 1] = TR::kLinkedEventChainOpen;
        break;
      }
      ++end;
      const Model saved = *this;
      size_t failed_at = end;
      for (size_t i = begin; i < end; ++i) {
        results[i] = ApplyOne(batch[i]);
        if (results[i] != TR::kOk && results[i] != TR::kExists) {
          failed_at = i;
          break;
        }
      }
      if (failed_at != end) {
        *this = saved;
        for (size_t i = begin; i < end; ++i) {
          if (i != failed_at && end - begin > 1) results[i] = TR::kLinkedEventFailed;
        }
        const TR r = results[failed_at];
        const uint64_t id = batch[failed_at].id.low;
        if ((r == TR::kDebitAccountNotFound || r == TR::kCreditAccountNotFound ||
             r == TR::kPendingTransferNotFound || r == TR::kExceedsCredits ||
             r == TR::kExceedsDebits) &&
            !transfers.contains(id) && !failed.contains(id)) {
          failed.insert(id);
        }
      }
      begin = end;
    }
    return results;
  }

 private:
  std::optional<TR> Existing(const Transfer& t) const {
    if (failed.contains(t.id.low)) return TR::kIdAlreadyFailed;
    auto it = transfers.find(t.id.low);
    if (it == transfers.end()) return std::nullopt;
    const Transfer& e = it->second;
    if (t.flags != e.flags) return TR::kExistsWithDifferentFlags;
    if (t.debit_account_id != e.debit_account_id) return TR::kExistsWithDifferentDebitAccountId;
    if (t.credit_account_id != e.credit_account_id) {
      return TR::kExistsWithDifferentCreditAccountId;
    }
    if (t.amount_msat != e.amount_msat) return TR::kExistsWithDifferentAmount;
    if (t.pending_id != e.pending_id) return TR::kExistsWithDifferentPendingId;
    return TR::kExists;
  }

  TR ApplyOne(Transfer t) {
    if (!t.post_or_void()) {
      auto dr = accounts.find(t.debit_account_id.low);
      if (dr == accounts.end()) return TR::kDebitAccountNotFound;
      auto cr = accounts.find(t.credit_account_id.low);
      if (cr == accounts.end()) return TR::kCreditAccountNotFound;
      if (auto r = Existing(t)) return *r;
      Account& d = dr->second;
      Account& c = cr->second;
      if ((d.flags & kDebitsMustNotExceedCredits) &&
          d.debits_pending_msat + d.debits_posted_msat + t.amount_msat > d.credits_posted_msat) {
        return TR::kExceedsCredits;
      }
      if ((c.flags & kCreditsMustNotExceedDebits) &&
          c.credits_pending_msat + c.credits_posted_msat + t.amount_msat > c.debits_posted_msat) {
        return TR::kExceedsDebits;
      }
      if (t.flags & kPending) {
        d.debits_pending_msat += t.amount_msat;
        c.credits_pending_msat += t.amount_msat;
        pending[t.id.low] = PendingStatus::kPending;
      } else {
        d.debits_posted_msat += t.amount_msat;
        c.credits_posted_msat += t.amount_msat;
      }
      transfers[t.id.low] = t;
      return TR::kOk;
    }
    if (t.pending_id == t.id) return TR::kPendingIdMustBeDifferent;
    auto p_it = transfers.find(t.pending_id.low);
    if (p_it == transfers.end()) return TR::kPendingTransferNotFound;
    const Transfer p = p_it->second;
    if (!(p.flags & kPending)) return TR::kPendingTransferNotPending;
    const bool post = (t.flags & kPostPendingTransfer) != 0;
    if (post && t.amount_msat > p.amount_msat) return TR::kExceedsPendingTransferAmount;
    if (!post && t.amount_msat != 0 && t.amount_msat != p.amount_msat) {
      return TR::kPendingTransferHasDifferentAmount;
    }
    t.debit_account_id = p.debit_account_id;
    t.credit_account_id = p.credit_account_id;
    t.ledger = p.ledger;
    t.code = p.code;
    if (!post || t.amount_msat == 0) t.amount_msat = p.amount_msat;
    if (auto r = Existing(t)) return *r;
    if (pending[p.id.low] == PendingStatus::kPosted) return TR::kPendingTransferAlreadyPosted;
    if (pending[p.id.low] == PendingStatus::kVoided) return TR::kPendingTransferAlreadyVoided;
    Account& d = accounts[p.debit_account_id.low];
    Account& c = accounts[p.credit_account_id.low];
    d.debits_pending_msat -= p.amount_msat;
    c.credits_pending_msat -= p.amount_msat;
    if (post) {
      d.debits_posted_msat += t.amount_msat;
      c.credits_posted_msat += t.amount_msat;
    }
    pending[p.id.low] = post ? PendingStatus::kPosted : PendingStatus::kVoided;
    transfers[t.id.low] = t;
    return TR::kOk;
  }
};

Transfer RandomTransfer(std::mt19937_64& rng, const Model& model) {
  auto pick = [&](uint64_t n) { return rng() % n; };
  const uint64_t id = 1 + pick(300);
  const uint64_t kind = pick(10);
  uint16_t linked = pick(5) == 0 ? kTransferLinked : 0;
  if (kind < 3 && !model.pending.empty()) {
    auto it = model.pending.begin();
    std::advance(it, pick(model.pending.size()));
    const uint64_t amount = pick(3) == 0 ? 0 : 1 + pick(60);
    return Resolve(id, it->first, (kind < 2 ? kPostPendingTransfer : kVoidPendingTransfer) | linked,
                   amount);
  }
  const uint64_t debit = 1 + pick(8);
  uint64_t credit = 1 + pick(8);
  if (credit == debit) credit = debit % 8 + 1;
  const uint16_t pending = kind < 5 ? kPending : 0;
  return Xfer(id, debit, credit, 1 + pick(50), pending | linked);
}

void CheckAgainst(Harness& h, const Model& model) {
  Sum debits = 0;
  Sum credits = 0;
  for (const auto& [id, expected] : model.accounts) {
    const Account actual = h.Get(id);
    INFO("account " << id);
    CHECK(actual.debits_pending_msat == expected.debits_pending_msat);
    CHECK(actual.debits_posted_msat == expected.debits_posted_msat);
    CHECK(actual.credits_pending_msat == expected.credits_pending_msat);
    CHECK(actual.credits_posted_msat == expected.credits_posted_msat);
    CHECK(WithinConstraints(actual));
    debits += actual.debits_posted_msat + Sum{actual.debits_pending_msat};
    credits += actual.credits_posted_msat + Sum{actual.credits_pending_msat};
  }
  const Totals totals = h.ledger().totals();
  CHECK(totals.Balanced());
  CHECK(debits == credits);
  CHECK(totals.debits_posted_msat + totals.debits_pending_msat == debits);
  CHECK(totals.transfer_count == model.transfers.size());
}

TEST_CASE("Random batches agree with the reference model", "[ledger]") {
  const uint64_t seed = GENERATE(1, 2, 3, 20261204);
  UNSCOPED_INFO("seed " << seed);
  std::mt19937_64 rng(seed);
  Harness h;
  Model model;
  std::vector<Account> accounts;
  for (uint64_t i = 1; i <= 6; ++i) {
    const uint16_t flags =
        i <= 2 ? kDebitsMustNotExceedCredits : (i == 3 ? kCreditsMustNotExceedDebits : 0);
    accounts.push_back(Acct(i, flags));
    model.accounts[i] = Acct(i, flags);
  }
  REQUIRE(h.Accounts(accounts) == std::vector<CreateAccountResult>(6, CreateAccountResult::kOk));
  for (int batch_index = 0; batch_index < 40; ++batch_index) {
    std::vector<Transfer> batch;
    const size_t size = 1 + rng() % 40;
    Model preview = model;
    for (size_t i = 0; i < size; ++i) batch.push_back(RandomTransfer(rng, preview));
    const std::vector<TR> expected = model.Apply(batch);
    const std::vector<TR> actual = h.Transfers(batch);
    INFO("seed " << seed << " batch " << batch_index);
    REQUIRE(actual.size() == expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
      INFO("event " << i << " expected " << ResultName(expected[i]) << " got "
                    << ResultName(actual[i]));
      CHECK(actual[i] == expected[i]);
    }
    CheckAgainst(h, model);
    if (batch_index % 13 == 12) h.Reopen();
  }
}

}  // namespace
}  // namespace bitcontent::ledger
