#include "libs/ledger/record_codec.h"

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace bitcontent::ledger {
namespace {

enum RecordKind : uint8_t {
  kAccountRecord = 1,
  kTransferRecord = 2,
  kFailureRecord = 3,
  kPendingRecord = 4,
  kTotalsRecord = 5,
  kExpiryRecord = 6,
  // Accounts and transfers in the sparse layout (SparseWriter); 1 and 2 are the fixed
  // layouts written before, which still decode.
  kSparseAccountRecord = 7,
  kSparseTransferRecord = 8,
};

constexpr size_t kAccountSize = 1 + 8 * 4 + 16 + 8 + 4 + 4 + 2 + 2 + 8;
constexpr size_t kTransferSize = 1 + 16 * 2 + 8 + 16 * 2 + 8 + 4 * 3 + 2 + 2 + 8;
constexpr size_t kFailureSize = 1 + 4;
constexpr size_t kPendingSize = 1 + 1 + 8 * 3;
constexpr size_t kTotalsSize = 1 + 8 * 2 + 16 * 4 + 8;
constexpr size_t kExpirySize = 1 + 16 * 2 + 8;
constexpr size_t kEventSize = 8 + 1 + 16;
constexpr size_t kSingleHistorySize = 1 + 16;

// The width of each field of a sparse record, in the order written.
constexpr size_t kAccountFieldWidths[] = {8, 8, 8, 8, 16, 8, 4, 4, 2, 2, 8};
constexpr size_t kTransferFieldWidths[] = {16, 16, 8, 16, 16, 8, 4, 4, 4, 2, 2, 8};

// Appends big-endian fixed-width fields to a string.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  void U8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void U16(uint16_t v) { Raw(__builtin_bswap16(v)); }
  void U32(uint32_t v) { Raw(__builtin_bswap32(v)); }
  void U64(uint64_t v) { Raw(__builtin_bswap64(v)); }
  void U128(Sum v) {
    U64(static_cast<uint64_t>(v >> 64));
    U64(static_cast<uint64_t>(v));
  }
  void IdField(const Id& id) {
    U64(id.high);
    U64(id.low);
  }

 private:
  template <typename T>
  void Raw(T v) {
    out_->append(reinterpret_cast<const char*>(&v), sizeof(v));
  }
  std::string* out_;
};

// Reads what Writer wrote; the caller checks the total size first.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint8_t U8() { return static_cast<uint8_t>(in_[pos_++]); }
  uint16_t U16() { return __builtin_bswap16(Raw<uint16_t>()); }
  uint32_t U32() { return __builtin_bswap32(Raw<uint32_t>()); }
  uint64_t U64() { return __builtin_bswap64(Raw<uint64_t>()); }
  Sum U128() {
    const Sum high = U64();
    return (high << 64) | U64();
  }
  Id IdField() {
    const uint64_t high = U64();
    return Id{high, U64()};
  }

 private:
  template <typename T>
  T Raw() {
    T v;
    std::memcpy(&v, in_.data() + pos_, sizeof(v));
    pos_ += sizeof(v);
    return v;
  }
  std::string_view in_;
  size_t pos_ = 0;
};

// A record whose zero fields take no bytes: its kind, a 16-bit mask of the fields
// present, then each non-zero field at its width. Most transfers carry no pending id,
// user data or timeout, and most accounts no pending amounts or user data: the sparse
// layout halves what a commit writes (and syncs) for them.
class SparseWriter {
 public:
  SparseWriter(std::string* out, RecordKind kind) : out_(out), w_(out) {
    w_.U8(kind);
    mask_at_ = out->size();
    w_.U16(0);
  }
  // The mask is known once every field is written: it goes in when the encoder's writer
  // goes out of scope.
  ~SparseWriter() {
    const uint16_t mask = __builtin_bswap16(mask_);
    std::memcpy(out_->data() + mask_at_, &mask, sizeof(mask));
  }
  void U16(uint16_t v) {
    if (Present(v != 0)) w_.U16(v);
  }
  void U32(uint32_t v) {
    if (Present(v != 0)) w_.U32(v);
  }
  void U64(uint64_t v) {
    if (Present(v != 0)) w_.U64(v);
  }
  void IdField(const Id& id) {
    if (Present(!id.IsZero())) w_.IdField(id);
  }

 private:
  bool Present(bool present) {
    if (present) mask_ |= uint16_t{1} << field_;
    ++field_;
    return present;
  }
  std::string* out_;
  Writer w_;
  size_t mask_at_ = 0;
  uint16_t mask_ = 0;
  int field_ = 0;
};

// Reads what SparseWriter wrote, in the same field order; absent fields read as zero.
class SparseReader {
 public:
  // Whether `value` is a sparse record of `kind` whose size matches its mask.
  template <size_t N>
  static bool Valid(std::string_view value, RecordKind kind, const size_t (&widths)[N]) {
    if (value.size() < 3 || static_cast<uint8_t>(value[0]) != kind) return false;
    const uint16_t mask = Reader(value.substr(1)).U16();
    if ((mask >> N) != 0) return false;
    size_t size = 3;
    for (size_t i = 0; i < N; ++i) {
      if ((mask >> i) & 1) size += widths[i];
    }
    return size == value.size();
  }
  explicit SparseReader(std::string_view value) : r_(value.substr(1)) { mask_ = r_.U16(); }
  uint16_t U16() { return Present() ? r_.U16() : 0; }
  uint32_t U32() { return Present() ? r_.U32() : 0; }
  uint64_t U64() { return Present() ? r_.U64() : 0; }
  Id IdField() { return Present() ? r_.IdField() : Id{}; }

 private:
  bool Present() { return (mask_ >> field_++) & 1; }
  Reader r_;
  uint16_t mask_ = 0;
  int field_ = 0;
};

absl::Status Malformed(std::string_view what, size_t size_bytes) {
  return absl::DataLossError(absl::StrCat("ledger: malformed ",
                                          absl::string_view(what.data(), what.size()),
                                          " record of ", size_bytes, " bytes"));
}

bool Is(std::string_view value, RecordKind kind, size_t size) {
  return value.size() == size && static_cast<uint8_t>(value[0]) == kind;
}

// The fields of an account record after its kind, from either layout.
template <typename FieldReader>
Account ReadAccount(const Id& id, FieldReader r) {
  Account a;
  a.id = id;
  a.debits_pending_msat = r.U64();
  a.debits_posted_msat = r.U64();
  a.credits_pending_msat = r.U64();
  a.credits_posted_msat = r.U64();
  a.user_data_128 = r.IdField();
  a.user_data_64 = r.U64();
  a.user_data_32 = r.U32();
  a.ledger = r.U32();
  a.code = r.U16();
  a.flags = r.U16();
  a.timestamp_ns = r.U64();
  return a;
}

// The fields of a transfer record after its kind, from either layout.
template <typename FieldReader>
Transfer ReadTransfer(const Id& id, FieldReader r) {
  Transfer t;
  t.id = id;
  t.debit_account_id = r.IdField();
  t.credit_account_id = r.IdField();
  t.amount_msat = r.U64();
  t.pending_id = r.IdField();
  t.user_data_128 = r.IdField();
  t.user_data_64 = r.U64();
  t.user_data_32 = r.U32();
  t.timeout_seconds = r.U32();
  t.ledger = r.U32();
  t.code = r.U16();
  t.flags = r.U16();
  t.timestamp_ns = r.U64();
  return t;
}

}  // namespace

void EncodeAccount(const Account& a, std::string* out) {
  SparseWriter w(out, kSparseAccountRecord);
  w.U64(a.debits_pending_msat);
  w.U64(a.debits_posted_msat);
  w.U64(a.credits_pending_msat);
  w.U64(a.credits_posted_msat);
  w.IdField(a.user_data_128);
  w.U64(a.user_data_64);
  w.U32(a.user_data_32);
  w.U32(a.ledger);
  w.U16(a.code);
  w.U16(a.flags);
  w.U64(a.timestamp_ns);
}

absl::StatusOr<Account> DecodeAccount(const Id& id, std::string_view value) {
  if (SparseReader::Valid(value, kSparseAccountRecord, kAccountFieldWidths)) {
    return ReadAccount(id, SparseReader(value));
  }
  if (!Is(value, kAccountRecord, kAccountSize)) return Malformed("account", value.size());
  return ReadAccount(id, Reader(value.substr(1)));
}

void EncodeTransfer(const Transfer& t, std::string* out) {
  SparseWriter w(out, kSparseTransferRecord);
  w.IdField(t.debit_account_id);
  w.IdField(t.credit_account_id);
  w.U64(t.amount_msat);
  w.IdField(t.pending_id);
  w.IdField(t.user_data_128);
  w.U64(t.user_data_64);
  w.U32(t.user_data_32);
  w.U32(t.timeout_seconds);
  w.U32(t.ledger);
  w.U16(t.code);
  w.U16(t.flags);
  w.U64(t.timestamp_ns);
}

void EncodeFailure(CreateTransferResult failure, std::string* out) {
  Writer w(out);
  w.U8(kFailureRecord);
  w.U32(static_cast<uint32_t>(failure));
}

absl::StatusOr<StoredId> DecodeStoredId(const Id& id, std::string_view value) {
  if (Is(value, kFailureRecord, kFailureSize)) {
    Reader r(value.substr(1));
    return StoredId{.transfer = std::nullopt,
                    .failure = static_cast<CreateTransferResult>(r.U32())};
  }
  if (SparseReader::Valid(value, kSparseTransferRecord, kTransferFieldWidths)) {
    return StoredId{.transfer = ReadTransfer(id, SparseReader(value))};
  }
  if (!Is(value, kTransferRecord, kTransferSize)) return Malformed("transfer", value.size());
  return StoredId{.transfer = ReadTransfer(id, Reader(value.substr(1)))};
}

void EncodePendingState(const PendingState& s, std::string* out) {
  Writer w(out);
  w.U8(kPendingRecord);
  w.U8(static_cast<uint8_t>(s.status));
  w.U64(s.posted_amount_msat);
  w.U64(s.expires_at_ns);
  w.U64(s.resolved_timestamp_ns);
}

absl::StatusOr<PendingState> DecodePendingState(std::string_view value) {
  if (!Is(value, kPendingRecord, kPendingSize)) return Malformed("pending", value.size());
  Reader r(value.substr(1));
  PendingState s;
  const uint8_t status = r.U8();
  if (status < 1 || status > 4) return Malformed("pending", value.size());
  s.status = static_cast<PendingStatus>(status);
  s.posted_amount_msat = r.U64();
  s.expires_at_ns = r.U64();
  s.resolved_timestamp_ns = r.U64();
  return s;
}

void EncodeTotals(const Totals& t, std::string* out) {
  Writer w(out);
  w.U8(kTotalsRecord);
  w.U64(t.account_count);
  w.U64(t.transfer_count);
  w.U128(t.debits_pending_msat);
  w.U128(t.debits_posted_msat);
  w.U128(t.credits_pending_msat);
  w.U128(t.credits_posted_msat);
  w.U64(t.last_timestamp_ns);
}

absl::StatusOr<Totals> DecodeTotals(std::string_view value) {
  if (!Is(value, kTotalsRecord, kTotalsSize)) return Malformed("totals", value.size());
  Reader r(value.substr(1));
  Totals t;
  t.account_count = r.U64();
  t.transfer_count = r.U64();
  t.debits_pending_msat = r.U128();
  t.debits_posted_msat = r.U128();
  t.credits_pending_msat = r.U128();
  t.credits_posted_msat = r.U128();
  t.last_timestamp_ns = r.U64();
  return t;
}

void EncodeExpiryEntry(const ExpiryEntry& e, std::string* out) {
  Writer w(out);
  w.U8(kExpiryRecord);
  w.IdField(e.debit_account_id);
  w.IdField(e.credit_account_id);
  w.U64(e.amount_msat);
}

absl::StatusOr<ExpiryEntry> DecodeExpiryEntry(std::string_view value) {
  if (!Is(value, kExpiryRecord, kExpirySize)) return Malformed("expiry", value.size());
  Reader r(value.substr(1));
  ExpiryEntry e;
  e.debit_account_id = r.IdField();
  e.credit_account_id = r.IdField();
  e.amount_msat = r.U64();
  return e;
}

void AppendHistoryEntry(const HistoryEntry& e, std::string* out) {
  Writer w(out);
  w.U64(e.timestamp_ns);
  w.U8(static_cast<uint8_t>(e.side));
  w.IdField(e.transfer_id);
}

uint64_t LastHistoryTimestamp(std::string_view group) {
  return Reader(group.substr(group.size() - kHistoryEntryBytes)).U64();
}

absl::StatusOr<std::vector<HistoryEntry>> DecodeHistoryGroup(uint64_t key_timestamp_ns,
                                                             std::string_view value) {
  Reader r(value);
  if (value.size() == kSingleHistorySize) {
    const char side = static_cast<char>(r.U8());
    return std::vector<HistoryEntry>{
        {.timestamp_ns = key_timestamp_ns, .side = side, .transfer_id = r.IdField()}};
  }
  if (value.empty() || value.size() % kHistoryEntryBytes != 0) {
    return Malformed("history", value.size());
  }
  std::vector<HistoryEntry> entries(value.size() / kHistoryEntryBytes);
  for (HistoryEntry& e : entries) {
    e.timestamp_ns = r.U64();
    e.side = static_cast<char>(r.U8());
    e.transfer_id = r.IdField();
  }
  if (entries.back().timestamp_ns != key_timestamp_ns) {
    return absl::DataLossError("ledger: a history group's key is not its last entry's");
  }
  return entries;
}

void AppendEventEntry(const EventEntry& e, std::string* out) {
  Writer w(out);
  w.U64(e.timestamp_ns);
  w.U8(static_cast<uint8_t>(e.type));
  w.IdField(e.transfer_id);
}

absl::StatusOr<std::vector<EventEntry>> DecodeEventBlock(std::string_view value) {
  if (value.size() % kEventSize != 0) return Malformed("events", value.size());
  std::vector<EventEntry> entries(value.size() / kEventSize);
  Reader r(value);
  for (EventEntry& e : entries) {
    e.timestamp_ns = r.U64();
    e.type = static_cast<TransferEventType>(r.U8());
    e.transfer_id = r.IdField();
  }
  return entries;
}

}  // namespace bitcontent::ledger
