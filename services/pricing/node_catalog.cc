#include "services/pricing/node_catalog.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/kit/resource_names.h"

namespace bitcontent::pricing {
namespace {

absl::Status NotSold(absl::string_view subject) {
  return absl::NotFoundError(absl::StrCat(subject, " is not for sale: it has no price"));
}

}  // namespace

absl::StatusOr<SubjectTerms> NodeCatalog::Terms(absl::string_view subject) const {
  absl::StatusOr<std::string> node_id = kit::IdIn(subject, "nodes", "subject");
  if (!node_id.ok()) return MalformedSubject();
  absl::StatusOr<std::optional<storage::PriceRecord>> record =
      prices_->Find(std::string_view(*node_id));
  if (!record.ok()) return record.status();
  if (!record->has_value()) return NotSold(subject);
  const v1::Price& price = (*record)->price();
  absl::StatusOr<NodeFacts> facts =
      nodes_->Lookup(std::string_view(subject.data(), subject.size()));
  if (absl::IsNotFound(facts.status())) return NotSold(subject);
  if (!facts.ok()) return facts.status();

  const bool selling =
      price.state() == v1::PRICE_STATE_ON_SALE && price.key_escrowed() && facts->active;
  SubjectTerms terms = {
      .subject = std::string(subject),
      .seller = price.seller(),
      .price_msat = price.download_price_msat(),
      .split = price.split(),
      .revision = price.revision(),
      .title = price.public_title(),
      .external_id = {},
      .on_sale = selling && price.download_price_msat() > 0,
      .stream_only = selling && price.download_price_msat() == 0 &&
                     (price.stream_per_mib_msat() > 0 || price.stream_per_minute_msat() > 0)};
  for (v1::SplitRecipient& recipient : *terms.split.mutable_recipients()) {
    if (!recipient.user().empty()) continue;
    switch (recipient.role()) {
      case v1::RECIPIENT_ROLE_PUBLISHER:
        recipient.set_user(price.seller());
        break;
      case v1::RECIPIENT_ROLE_UPLOADER:
        // A version always has a creator; a node without one pays its owner.
        recipient.set_user(facts->uploader.empty() ? facts->owner : facts->uploader);
        break;
      default:
        recipient.set_user(facts->owner);
        break;
    }
  }
  return terms;
}

absl::StatusOr<bool> NodeCatalog::SharedWith(absl::string_view subject,
                                             std::string_view buyer_id) const {
  return nodes_->SharedWith(std::string_view(subject.data(), subject.size()), buyer_id);
}

absl::StatusOr<SubjectTerms> Catalogs::Terms(absl::string_view subject) const {
  return absl::StartsWith(subject, "nodes/") ? nodes_->Terms(subject) : paywall_->Terms(subject);
}

absl::StatusOr<bool> Catalogs::SharedWith(absl::string_view subject,
                                          std::string_view buyer_id) const {
  return absl::StartsWith(subject, "nodes/") ? nodes_->SharedWith(subject, buyer_id)
                                             : paywall_->SharedWith(subject, buyer_id);
}

}  // namespace bitcontent::pricing
