// NodeCatalog: the SubjectCatalog (subjects.h) of files, "nodes/{node}": the terms come
// from the file's price and from metadata's facts of the node, which fill the recipients
// left without a user (owner = the node's owner, publisher = the seller who set the
// price, uploader = the creator of the head version). Made per request, with the
// request's NodeDirectory.
//
// Catalogs: the one way the purchase path gets terms, routing a subject to the files'
// catalog or the paywall's.
#pragma once

#include "services/pricing/backends.h"
#include "services/pricing/prices.h"
#include "services/pricing/subjects.h"

namespace bitcontent::pricing {

class NodeCatalog final : public SubjectCatalog {
 public:
  // Both must outlive this.
  NodeCatalog(const Prices* prices, NodeDirectory* nodes) : prices_(prices), nodes_(nodes) {}

  // A file is on sale while its price is ON_SALE with a download price and an escrowed
  // key, and the file is active; with a stream rate and no download price it is
  // stream_only instead.
  absl::StatusOr<SubjectTerms> Terms(absl::string_view subject) const override;
  // Members a folder above the file is shared with (metadata's CheckNodeAccess).
  absl::StatusOr<bool> SharedWith(absl::string_view subject,
                                  std::string_view buyer_id) const override;

 private:
  const Prices* const prices_;
  NodeDirectory* const nodes_;
};

class Catalogs final : public SubjectCatalog {
 public:
  // Both must outlive this.
  Catalogs(const SubjectCatalog* nodes, const SubjectCatalog* paywall)
      : nodes_(nodes), paywall_(paywall) {}

  absl::StatusOr<SubjectTerms> Terms(absl::string_view subject) const override;
  absl::StatusOr<bool> SharedWith(absl::string_view subject,
                                  std::string_view buyer_id) const override;

 private:
  const SubjectCatalog* const nodes_;
  const SubjectCatalog* const paywall_;
};

}  // namespace bitcontent::pricing
