#include "services/pricing/prices.h"

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/sealed_box.h"
#include "libs/kit/error_details.h"
#include "libs/kit/resource_names.h"
#include "libs/split/split.h"
#include "libs/store/record_io.h"
#include "services/pricing/paywall_limits.h"
#include "services/pricing/split_members.h"

namespace bitcontent::pricing {
namespace {

// File keys are 32 bytes (XChaCha20-Poly1305 keys), so their sealed boxes are 80.
constexpr size_t kFileKeyBytes = 32;

absl::Status CheckTerms(const v1::Price& price) {
  // A price that asks nothing would put a file "on sale" for free: DeletePrice makes it
  // free, with no escrow left behind.
  if (IsFree(price)) {
    return kit::FieldError("price",
                           "set download_price_msat, stream_per_mib_msat or "
                           "stream_per_minute_msat above 0 (DeletePrice makes a file free)");
  }
  if (price.download_price_msat() > kPriceMsatMax) {
    return kit::FieldError("price.download_price_msat",
                           absl::StrCat("is at most ", kPriceMsatMax, " (21 million bitcoin)"));
  }
  if (price.stream_per_mib_msat() != 0 && price.stream_per_minute_msat() != 0) {
    return kit::FieldError("price.stream_per_minute_msat",
                           "must be 0 when stream_per_mib_msat is set: one stream rate at most");
  }
  if (price.stream_per_mib_msat() > kPriceMsatMax ||
      price.stream_per_minute_msat() > kPriceMsatMax) {
    return kit::FieldError("price.stream_per_mib_msat", "is at most 21 million bitcoin");
  }
  if (!v1::PriceState_IsValid(price.state())) {
    return kit::FieldError("price.state", "must be ON_SALE or WITHDRAWN");
  }
  if (absl::Status title =
          CheckText("price.public_title", price.public_title(), kTitleCharactersMax, false);
      !title.ok()) {
    return title;
  }
  return CheckSplit("price.split", price.split());
}

// The stored terms of `given` (output-only fields dropped) for `seller_id`.
v1::Price Terms(std::string_view node_id, std::string_view seller_id, const v1::Price& given) {
  v1::Price price;
  price.set_name(PriceName(node_id));
  price.set_seller(absl::StrCat("users/", absl::string_view(seller_id.data(), seller_id.size())));
  price.set_download_price_msat(given.download_price_msat());
  price.set_stream_per_mib_msat(given.stream_per_mib_msat());
  price.set_stream_per_minute_msat(given.stream_per_minute_msat());
  *price.mutable_split()->mutable_recipients() = SplitOrOwner(given.split()).recipients();
  price.set_state(given.state() == v1::PRICE_STATE_WITHDRAWN ? v1::PRICE_STATE_WITHDRAWN
                                                             : v1::PRICE_STATE_ON_SALE);
  price.set_public_title(given.public_title());
  return price;
}

bool SameTerms(v1::Price a, v1::Price b) {
  for (v1::Price* price : {&a, &b}) {
    price->clear_revision();
    price->clear_create_time();
    price->clear_update_time();
    price->clear_key_escrowed();
  }
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace

absl::StatusOr<std::string> NodeOfPriceName(std::string_view name, std::string_view field) {
  absl::string_view node(name.data(), name.size());
  if (!absl::ConsumeSuffix(&node, "/price")) {
    return kit::FieldError(absl::string_view(field.data(), field.size()),
                           absl::StrCat("must be \"nodes/{node}/price\", not \"", node, "\""));
  }
  return kit::IdIn(node, "nodes", absl::string_view(field.data(), field.size()));
}

std::string PriceName(std::string_view node_id) {
  return absl::StrCat("nodes/", absl::string_view(node_id.data(), node_id.size()), "/price");
}

bool IsFree(const v1::Price& price) {
  return price.download_price_msat() == 0 && price.stream_per_mib_msat() == 0 &&
         price.stream_per_minute_msat() == 0;
}

absl::Status Prices::CheckOwner(std::string_view caller_id, std::string_view node_id,
                                NodeDirectory* nodes) const {
  const std::string node =
      absl::StrCat("nodes/", absl::string_view(node_id.data(), node_id.size()));
  absl::StatusOr<NodeFacts> facts = nodes->Lookup(node);
  if (!facts.ok()) return facts.status();
  if (facts->owner !=
      absl::StrCat("users/", absl::string_view(caller_id.data(), caller_id.size()))) {
    // Only to a member who can see it (a share) is it said to be another's; to anyone
    // else it is as missing as a node that never was, so that this says nothing of what
    // others keep privately.
    absl::StatusOr<bool> sees = nodes->SharedWith(node, caller_id);
    if (!sees.ok()) return sees.status();
    if (!*sees) return absl::NotFoundError(absl::StrCat(node, " not found"));
    return absl::PermissionDeniedError(
        absl::StrCat("only the owner of ", node, " can set or delete its price"));
  }
  if (!facts->file) return kit::FieldError("price.name", "names a folder; only files are sold");
  if (!facts->active) {
    return absl::FailedPreconditionError(
        absl::StrCat(node, " is in the trash; restore it before pricing it"));
  }
  return absl::OkStatus();
}

absl::Status Prices::CheckSealedKey(std::string_view sealed_key) const {
  absl::StatusOr<std::string> key =
      crypto::OpenSealed(keys_->escrow(), absl::string_view(sealed_key.data(), sealed_key.size()));
  if (!key.ok() || key->size() != kFileKeyBytes) {
    return kit::FieldError("sealed_key",
                           absl::StrCat("must be the 32-byte file key sealed (crypto_box_seal) to "
                                        "pricing's escrow key ",
                                        keys_->escrow_key_id(), " (ListPricingKeys, KEY_ESCROW)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Price> Prices::Set(std::string_view caller_id,
                                      const v1::SetPriceRequest& request, NodeDirectory* nodes,
                                      Members* members, absl::Time now) {
  absl::StatusOr<std::string> node_id = NodeOfPriceName(request.price().name(), "price.name");
  if (!node_id.ok()) return node_id.status();
  if (absl::Status terms = CheckTerms(request.price()); !terms.ok()) return terms;
  if (!request.sealed_key().empty()) {
    if (absl::Status sealed = CheckSealedKey(request.sealed_key()); !sealed.ok()) return sealed;
  }
  if (absl::Status owner = CheckOwner(caller_id, *node_id, nodes); !owner.ok()) return owner;
  if (absl::Status recipients = CheckSplitMembers("price.split", request.price().split(), members);
      !recipients.ok()) {
    return recipients;
  }

  absl::MutexLock lock(&locks_.For(*node_id));
  absl::StatusOr<std::optional<storage::PriceRecord>> before = Find(*node_id);
  if (!before.ok()) return before.status();
  storage::PriceRecord record = before->value_or(storage::PriceRecord());
  const v1::Price price = Terms(*node_id, caller_id, request.price());
  if (!IsFree(price) && request.sealed_key().empty() && record.sealed_key().empty()) {
    return absl::FailedPreconditionError(
        "a paid price needs the file key escrowed: send sealed_key, the file key sealed "
        "(crypto_box_seal) to pricing's KEY_ESCROW public key from ListPricingKeys");
  }
  const bool changed =
      !before->has_value() || !SameTerms(record.price(), price) || !request.sealed_key().empty();
  if (!changed) return View(record.price());
  // Flag first: a crash after it leaves a flagged node without a price, which is free
  // (CheckAccess answers FREE); the other order could leave a price metadata ignores.
  if (absl::Status flagged = nodes->SetPriced(absl::StrCat("nodes/", *node_id), !IsFree(price));
      !flagged.ok()) {
    return flagged;
  }
  const uint64_t revision = record.price().revision() + 1;
  const google::protobuf::Timestamp created =
      before->has_value() ? record.price().create_time() : auth::ProtoFromTime(now);
  *record.mutable_price() = price;
  record.mutable_price()->set_revision(revision);
  *record.mutable_price()->mutable_create_time() = created;
  *record.mutable_price()->mutable_update_time() = auth::ProtoFromTime(now);
  if (!request.sealed_key().empty()) {
    record.set_sealed_key(request.sealed_key());
    record.set_escrow_key_id(keys_->escrow_key_id());
  }
  record.mutable_price()->set_key_escrowed(!record.sealed_key().empty());
  store::WriteBatch batch;
  store::PutRecord(&batch, db_.prices, *node_id, record);
  if (absl::Status written = db_.store().Write(&batch, {.sync = true}); !written.ok()) {
    return written;
  }
  return View(record.price());
}

absl::StatusOr<v1::Price> Prices::Get(std::string_view name) const {
  absl::StatusOr<std::string> node_id = NodeOfPriceName(name, "name");
  if (!node_id.ok()) return node_id.status();
  absl::StatusOr<std::optional<storage::PriceRecord>> record = Find(*node_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat("nodes/", *node_id,
                                            " has no price: it is not for sale (free to those "
                                            "who can read it)"));
  }
  return View((*record)->price());
}

absl::Status Prices::Delete(std::string_view caller_id, std::string_view name,
                            NodeDirectory* nodes) {
  absl::StatusOr<std::string> node_id = NodeOfPriceName(name, "name");
  if (!node_id.ok()) return node_id.status();
  absl::MutexLock lock(&locks_.For(*node_id));
  absl::StatusOr<std::optional<storage::PriceRecord>> record = Find(*node_id);
  if (!record.ok()) return record.status();
  if (!record->has_value()) {
    return absl::NotFoundError(absl::StrCat("nodes/", *node_id, " has no price to delete"));
  }
  if ((*record)->price().seller() !=
      absl::StrCat("users/", absl::string_view(caller_id.data(), caller_id.size()))) {
    return absl::PermissionDeniedError(
        absl::StrCat("only the seller of nodes/", *node_id, " can delete its price"));
  }
  if (absl::Status deleted = db_.store().Delete(db_.prices, *node_id, {.sync = true});
      !deleted.ok()) {
    return deleted;
  }
  // After the delete: a crash in between leaves the flag on a node without a price,
  // which CheckAccess answers FREE, as it should.
  return nodes->SetPriced(absl::StrCat("nodes/", *node_id), false);
}

absl::StatusOr<std::optional<storage::PriceRecord>> Prices::Find(std::string_view node_id) const {
  return store::FindRecord<storage::PriceRecord>(db_.store(), db_.prices,
                                                 absl::string_view(node_id.data(), node_id.size()));
}

v1::Price Prices::View(v1::Price price) const {
  const v1::PricingSettings settings = settings_->Get();
  price.mutable_split()->set_platform_fee_basis_points(settings.platform_fee_basis_points());
  if (std::optional<common::v1::FiatAmount> fiat = FiatOf(price.download_price_msat(), settings);
      fiat.has_value()) {
    *price.mutable_download_price_fiat() = *fiat;
  } else {
    price.clear_download_price_fiat();
  }
  return price;
}

}  // namespace bitcontent::pricing
