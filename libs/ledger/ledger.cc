// The writer: the submission queue, group commit, expiry, and the rebuild on Open.
#include "libs/ledger/ledger.h"

#include <algorithm>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "libs/ledger/apply.h"
#include "libs/ledger/invariant.h"
#include "libs/ledger/record_codec.h"
#include "libs/store/key_encoding.h"

namespace bitcontent::ledger {

struct Ledger::Submission {
  absl::Span<const Account> accounts = {};
  absl::Span<const Transfer> transfers = {};
  bool expire_only = false;
  std::vector<CreateAccountResult> account_results = {};
  std::vector<CreateTransferResult> transfer_results = {};
  absl::Status status = {};
  bool done = false;

  size_t events() const { return accounts.size() + transfers.size(); }
};

namespace {

absl::StatusOr<Families> ResolveFamilies(const store::Store& store) {
  for (const std::string& name : ColumnFamilies()) {
    if (absl::StatusOr<store::ColumnFamily> family = store.Family(name); !family.ok()) {
      return family.status();
    }
  }
  return Families{.accounts = store.MustFamily(kAccountsFamily),
                  .transfers = store.MustFamily(kTransfersFamily),
                  .pending = store.MustFamily(kPendingFamily),
                  .expiry = store.MustFamily(kExpiryFamily),
                  .events = store.MustFamily(kEventsFamily),
                  .meta = store.MustFamily(kMetaFamily)};
}

struct Sums {
  Sum debits_pending = 0, debits_posted = 0, credits_pending = 0, credits_posted = 0;
  void Add(const Account& a) {
    debits_pending += a.debits_pending_msat;
    debits_posted += a.debits_posted_msat;
    credits_pending += a.credits_pending_msat;
    credits_posted += a.credits_posted_msat;
  }
  bool Matches(const Totals& t) const {
    return debits_pending == t.debits_pending_msat && debits_posted == t.debits_posted_msat &&
           credits_pending == t.credits_pending_msat && credits_posted == t.credits_posted_msat;
  }
};

}  // namespace

absl::StatusOr<std::unique_ptr<Ledger>> Ledger::Open(store::Store* store, store::Store* index_store,
                                                     LedgerOptions options) {
  absl::StatusOr<Families> families = ResolveFamilies(*store);
  if (!families.ok()) return families.status();
  for (const std::string& name : IndexColumnFamilies()) {
    if (absl::StatusOr<store::ColumnFamily> family = index_store->Family(name); !family.ok()) {
      return family.status();
    }
  }
  std::unique_ptr<Ledger> ledger(new Ledger(store, *families, index_store, options));
  if (absl::Status status = ledger->Load(); !status.ok()) return status;
  ledger->writer_ = std::thread([raw = ledger.get()] { raw->WriterLoop(); });
  return ledger;
}

Ledger::Ledger(store::Store* store, Families families, store::Store* index_store,
               LedgerOptions options)
    : store_(store),
      families_(families),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : &system_clock_),
      index_(index_store) {}

absl::Status Ledger::Load() {
  Totals totals;
  absl::StatusOr<std::string> value = store_->Get(families_.meta, kTotalsKey);
  if (value.ok()) {
    absl::StatusOr<Totals> decoded = DecodeTotals(*value);
    if (!decoded.ok()) return decoded.status();
    totals = *decoded;
  } else if (!absl::IsNotFound(value.status())) {
    return value.status();
  }
  AccountMap accounts;
  Sums sums;
  for (auto it = store_->Scan(families_.accounts, {}); it.Valid(); it.Next()) {
    if (it.key().size() != 16) return absl::DataLossError("ledger: malformed account key");
    absl::StatusOr<Account> account = DecodeAccount(IdFromBytes(it.key()), it.value());
    if (!account.ok()) return account.status();
    if (!WithinConstraints(*account)) {
      return absl::DataLossError("ledger: stored account past its constraint");
    }
    sums.Add(*account);
    accounts.emplace(account->id, *account);
  }
  if (!sums.Matches(totals) || !totals.Balanced() || accounts.size() != totals.account_count) {
    return absl::DataLossError("ledger: stored totals disagree with the accounts");
  }
  for (auto it = store_->Scan(families_.expiry, {}); it.Valid(); it.Next()) {
    if (it.key().size() != 24) return absl::DataLossError("ledger: malformed expiry key");
    expiry_index_.emplace(*store::DecodeUint64(it.key()), IdFromBytes(it.key().substr(8)));
  }
  if (absl::Status status = CatchUpIndexes(totals.last_timestamp_ns); !status.ok()) {
    return status;
  }
  index_.Start(totals.last_timestamp_ns);
  writer_totals_ = totals;
  absl::MutexLock lock(&mu_);
  totals_ = totals;
  absl::MutexLock accounts_lock(&accounts_mu_);
  accounts_ = std::move(accounts);
  return absl::OkStatus();
}

Ledger::~Ledger() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
}

absl::StatusOr<std::vector<CreateAccountResult>> Ledger::CreateAccounts(
    absl::Span<const Account> accounts) {
  if (accounts.size() > kBatchEventsMax) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ledger: ", accounts.size(), " accounts in one batch, at most ", kBatchEventsMax));
  }
  Submission submission{.accounts = accounts};
  if (absl::Status status = Submit(&submission); !status.ok()) return status;
  return std::move(submission.account_results);
}

absl::StatusOr<std::vector<CreateTransferResult>> Ledger::CreateTransfers(
    absl::Span<const Transfer> transfers) {
  if (transfers.size() > kBatchEventsMax) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ledger: ", transfers.size(), " transfers in one batch, at most ", kBatchEventsMax));
  }
  Submission submission{.transfers = transfers};
  if (absl::Status status = Submit(&submission); !status.ok()) return status;
  return std::move(submission.transfer_results);
}

absl::Status Ledger::ExpireDueHolds() {
  Submission submission{.expire_only = true};
  return Submit(&submission);
}

absl::Status Ledger::Submit(Submission* submission) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("ledger: shutting down");
  queue_.push_back(submission);
  queued_events_ += submission->events();
  mu_.Await(absl::Condition(&submission->done));
  return submission->status;
}

void Ledger::WriterLoop() {
  std::vector<Submission*> group;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]()
                       ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.empty() || stopping_; };
      mu_.AwaitWithTimeout(absl::Condition(&ready), options_.expiry_poll_interval);
      if (stopping_) {
        for (Submission* s : queue_) {
          s->status = absl::UnavailableError("ledger: shutting down");
          s->done = true;
        }
        queue_.clear();
        return;
      }
      // Take whole submissions, in order, up to kCommitEventsMax events (always one).
      size_t events = 0;
      size_t taken = 0;
      while (taken < queue_.size() &&
             (taken == 0 || events + queue_[taken]->events() <= kCommitEventsMax)) {
        events += queue_[taken]->events();
        ++taken;
      }
      group.assign(queue_.begin(), queue_.begin() + taken);
      queue_.erase(queue_.begin(), queue_.begin() + taken);
      queued_events_ -= events;
    }
    const bool due = !expiry_index_.empty() && expiry_index_.begin()->first <= clock_->NowNs();
    if (group.empty() && !due) continue;
    size_t expired = 0;
    const absl::Status status = Commit(group, &expired);
    if (status.ok() && options_.on_commit) {
      CommitStats stats = {
          .submissions = group.size(), .expired_holds = expired, .totals = writer_totals_};
      for (const Submission* s : group) stats.events += s->events();
      options_.on_commit(stats);
    }
    absl::MutexLock lock(&mu_);
    for (Submission* s : group) {
      if (!status.ok()) s->status = status;
      s->done = true;
    }
    if (status.ok()) totals_ = writer_totals_;
  }
}

absl::Status Ledger::Commit(absl::Span<Submission* const> group, size_t* expired) {
  const uint64_t now_ns = clock_->NowNs();
  WorkingSet working(accounts_, writer_totals_, now_ns);
  // Every transfer id, pending id and due hold the group names, read in one go.
  std::vector<Id> due;
  for (auto it = expiry_index_.begin();
       it != expiry_index_.end() && it->first <= now_ns && due.size() < kBatchEventsMax; ++it) {
    due.push_back(it->second);
  }
  std::vector<Id> transfer_ids = due;
  std::vector<Id> pending_ids = due;
  for (const Submission* s : group) {
    for (const Transfer& t : s->transfers) {
      transfer_ids.push_back(t.id);
      if (!t.post_or_void()) continue;
      transfer_ids.push_back(t.pending_id);
      pending_ids.push_back(t.pending_id);
    }
  }
  working.Reserve(transfer_ids.size());
  if (absl::Status status = working.Prefetch(*store_, families_, transfer_ids, pending_ids);
      !status.ok()) {
    return status;
  }
  for (const Id& id : due) ExpireHold(&working, id);
  *expired = due.size();
  for (Submission* s : group) {
    if (!s->accounts.empty()) s->account_results = ApplyAccounts(&working, s->accounts);
    if (!s->transfers.empty()) s->transfer_results = ApplyTransfers(&working, s->transfers);
  }
  batch_.Clear();
  working.Stage(families_, &batch_);
  if (absl::Status status = store_->Write(&batch_, {.sync = true}); !status.ok()) return status;
  commit_count_.fetch_add(1);
  index_.Add(working.NewTransfers(), working.totals().last_timestamp_ns);
  MergeCommitted(working, writer_totals_);
  writer_totals_ = working.totals();
  UpdateExpiryIndex(working);
  return absl::OkStatus();
}

// Folds the durable commit's accounts into the committed map, asserting the invariants
// as it goes (one lookup an account for both): the changed accounts moved the sums
// exactly as the totals say, debits equal credits, and no account is past its
// constraint. A failed assertion ends the process, so merging first hides nothing.
void Ledger::MergeCommitted(const WorkingSet& working, const Totals& before) {
  const Totals& after = working.totals();
  LEDGER_ASSERT(after.Balanced());
  LEDGER_ASSERT(after.last_timestamp_ns >= before.last_timestamp_ns);
  Sums old_sums;
  Sums new_sums;
  absl::MutexLock lock(&accounts_mu_);
  for (const auto& [id, account] : working.changed_accounts()) {
    LEDGER_ASSERT(WithinConstraints(account));
    new_sums.Add(account);
    auto [it, inserted] = accounts_.try_emplace(id, account);
    if (inserted) continue;
    old_sums.Add(it->second);
    it->second = account;
  }
  LEDGER_ASSERT(after.debits_posted_msat - before.debits_posted_msat ==
                new_sums.debits_posted - old_sums.debits_posted);
  LEDGER_ASSERT(after.credits_posted_msat - before.credits_posted_msat ==
                new_sums.credits_posted - old_sums.credits_posted);
  LEDGER_ASSERT(after.debits_pending_msat - before.debits_pending_msat ==
                new_sums.debits_pending - old_sums.debits_pending);
  LEDGER_ASSERT(after.credits_pending_msat - before.credits_pending_msat ==
                new_sums.credits_pending - old_sums.credits_pending);
}

void Ledger::UpdateExpiryIndex(const WorkingSet& working) {
  for (const auto& [id, state] : working.changed_pending()) {
    if (state.expires_at_ns == 0) continue;
    if (state.status == PendingStatus::kPending) {
      expiry_index_.emplace(state.expires_at_ns, id);
    } else {
      expiry_index_.erase({state.expires_at_ns, id});
    }
  }
}

Totals Ledger::totals() const {
  absl::MutexLock lock(&mu_);
  return totals_;
}

}  // namespace bitcontent::ledger
