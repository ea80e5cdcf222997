#include "services/pricing/paywall_resources.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/record_io.h"
#include "services/pricing/paywall_limits.h"
#include "services/pricing/paywall_names.h"
#include "services/pricing/paywall_requests.h"
#include "services/pricing/split_members.h"

namespace bitcontent::pricing {
namespace {

using store::KeyView;

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

std::string Key(std::string_view user_id, std::string_view id) {
  return absl::StrCat(Absl(user_id), Absl(id));
}

absl::Status CheckPrice(uint64_t price_msat) {
  if (price_msat == 0 || price_msat > kPriceMsatMax) {
    return kit::FieldError("paywall_resource.price_msat",
                           absl::StrCat("must be 1 to ", kPriceMsatMax,
                                        " millisatoshi (a free resource needs no paywall)"));
  }
  return absl::OkStatus();
}

absl::Status CheckTitleUrlSplit(const v1::PaywallResource& resource) {
  if (absl::Status title = CheckText("paywall_resource.title", resource.title(),
                                     kTitleCharactersMax, /*required=*/true);
      !title.ok()) {
    return title;
  }
  if (absl::Status url = CheckResourceUrl("paywall_resource.url", resource.url()); !url.ok()) {
    return url;
  }
  return CheckSplit("paywall_resource.split", resource.split());
}

}  // namespace

absl::Status PaywallResources::Put(std::string_view user_id, const v1::PaywallResource& resource,
                                   store::WriteBatch* batch) {
  store::PutRecord(batch, db_.resources, Key(user_id, std::string(kit::IdOfName(resource.name()))),
                   resource);
  return db_.store().Write(batch, {.sync = true});
}

absl::StatusOr<v1::PaywallResource> PaywallResources::Create(
    std::string_view user_id, const v1::CreatePaywallResourceRequest& request, Members* members,
    absl::Time now) {
  if (absl::Status key = CheckRequestId(request.request_id()); !key.ok()) return key;
  const v1::PaywallResource& given = request.paywall_resource();
  if (absl::Status external = CheckText("paywall_resource.external_id", given.external_id(),
                                        kExternalIdCharactersMax, /*required=*/true);
      !external.ok()) {
    return external;
  }
  if (absl::Status price = CheckPrice(given.price_msat()); !price.ok()) return price;
  if (absl::Status rest = CheckTitleUrlSplit(given); !rest.ok()) return rest;
  // Before the lock: accounts answers in its own time.
  if (absl::Status named = CheckSplitMembers("paywall_resource.split", given.split(), members);
      !named.ok()) {
    return named;
  }

  absl::MutexLock lock(&locks_.For(Absl(user_id)));
  const RequestLog log(db_, user_id, RequestKind::kCreateResource, request);
  absl::StatusOr<std::optional<std::string>> earlier = log.Find();
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) return Get(user_id, std::string(kit::IdOfName(**earlier)));

  const std::string external_key = Key(user_id, given.external_id());
  absl::StatusOr<std::string> taken = db_.store().Get(db_.external_ids, external_key);
  if (taken.ok()) {
    absl::Status conflict =
        kit::WithReason(absl::AlreadyExistsError(absl::StrCat(
                            "you already have a paywall resource with "
                            "external_id \"",
                            given.external_id(), "\": ", ResourceName(user_id, *taken))),
                        common::v1::ERROR_REASON_NAME_CONFLICT);
    return conflict;
  }
  if (!absl::IsNotFound(taken.status())) return taken.status();

  v1::PaywallResource resource;
  const std::string id = ids::NewId();
  resource.set_name(ResourceName(user_id, id));
  resource.set_external_id(given.external_id());
  resource.set_title(given.title());
  resource.set_url(given.url());
  resource.set_price_msat(given.price_msat());
  *resource.mutable_split() = given.split();
  resource.mutable_split()->clear_platform_fee_basis_points();
  resource.set_state(v1::PAYWALL_RESOURCE_STATE_ACTIVE);
  resource.set_revision(1);
  *resource.mutable_create_time() = auth::ProtoFromTime(now);
  *resource.mutable_update_time() = resource.create_time();

  store::WriteBatch batch;
  batch.Put(db_.external_ids, external_key, id);
  log.Stage(&batch, resource.name());
  if (absl::Status written = Put(user_id, resource, &batch); !written.ok()) return written;
  return resource;
}

absl::StatusOr<v1::PaywallResource> PaywallResources::Get(std::string_view user_id,
                                                          std::string_view resource_id) const {
  absl::StatusOr<std::optional<v1::PaywallResource>> found =
      store::FindRecord<v1::PaywallResource>(db_.store(), db_.resources, Key(user_id, resource_id));
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError("no such paywall resource");
  return **std::move(found);
}

absl::StatusOr<v1::PaywallResource> PaywallResources::Lookup(std::string_view user_id,
                                                             std::string_view external_id) const {
  if (absl::Status external =
          CheckText("external_id", external_id, kExternalIdCharactersMax, /*required=*/true);
      !external.ok()) {
    return external;
  }
  absl::StatusOr<std::string> id = db_.store().Get(db_.external_ids, Key(user_id, external_id));
  if (absl::IsNotFound(id.status())) {
    return absl::NotFoundError(
        absl::StrCat("you have no paywall resource with external_id \"", Absl(external_id), "\""));
  }
  if (!id.ok()) return id.status();
  return Get(user_id, *id);
}

absl::StatusOr<v1::ListPaywallResourcesResponse> PaywallResources::List(
    std::string_view user_id, const v1::ListPaywallResourcesRequest& request) const {
  absl::StatusOr<size_t> size = kit::PageSizeOf(request.page_size());
  if (!size.ok()) return size.status();
  if (absl::Status token = kit::ValidatePageToken(request.page_token()); !token.ok()) return token;
  const std::string start = Key(user_id, request.page_token());
  // Archived resources are skipped, so a page reads at most this many records; a page
  // may then come back short (with a token), as AIP-158 allows.
  constexpr size_t kScannedPerPageMax = 1000;
  store::PrefixIterator it =
      db_.store().Scan(db_.resources, {.prefix = KeyView(Absl(user_id)),
                                       .start_after = request.page_token().empty()
                                                          ? std::nullopt
                                                          : std::optional<std::string_view>(start),
                                       .limit = kScannedPerPageMax});
  v1::ListPaywallResourcesResponse response;
  std::string last_id;
  size_t scanned = 0;
  for (; it.Valid(); it.Next(), ++scanned) {
    if (static_cast<size_t>(response.paywall_resources_size()) == *size) {
      response.set_next_page_token(last_id);
      return response;
    }
    last_id = std::string(it.key().substr(user_id.size()));
    absl::StatusOr<v1::PaywallResource> resource =
        store::ParseRecord<v1::PaywallResource>(db_.resources, it.value());
    if (!resource.ok()) return resource.status();
    if (resource->state() == v1::PAYWALL_RESOURCE_STATE_ARCHIVED && !request.show_archived()) {
      continue;
    }
    *response.add_paywall_resources() = *std::move(resource);
  }
  if (absl::Status status = it.status(); !status.ok()) return status;
  // The scan stopped at its limit, not at the end: more may follow.
  if (scanned == kScannedPerPageMax) response.set_next_page_token(last_id);
  return response;
}

absl::StatusOr<v1::PaywallResource> PaywallResources::Update(
    std::string_view user_id, std::string_view resource_id,
    const v1::UpdatePaywallResourceRequest& request, Members* members, absl::Time now) {
  if (request.update_mask().paths_size() == 0) {
    return kit::FieldError("update_mask",
                           "name the fields to change: title, url, price_msat, split");
  }
  const v1::PaywallResource& given = request.paywall_resource();
  for (const std::string& path : request.update_mask().paths()) {
    if (path != "split") continue;
    // Shape first, so a malformed user is named as such, not as a missing member.
    if (absl::Status shape = CheckSplit("paywall_resource.split", given.split()); !shape.ok()) {
      return shape;
    }
    if (absl::Status named = CheckSplitMembers("paywall_resource.split", given.split(), members);
        !named.ok()) {
      return named;
    }
  }
  absl::MutexLock lock(&locks_.For(Absl(user_id)));
  absl::StatusOr<v1::PaywallResource> resource = Get(user_id, resource_id);
  if (!resource.ok()) return resource.status();
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "title") {
      resource->set_title(given.title());
    } else if (path == "url") {
      resource->set_url(given.url());
    } else if (path == "price_msat") {
      if (absl::Status price = CheckPrice(given.price_msat()); !price.ok()) return price;
      resource->set_price_msat(given.price_msat());
    } else if (path == "split") {
      *resource->mutable_split() = given.split();
      resource->mutable_split()->clear_platform_fee_basis_points();
    } else {
      return kit::FieldError(
          "update_mask",
          absl::StrCat("cannot change \"", path, "\"; only title, url, price_msat and split"));
    }
  }
  if (absl::Status rest = CheckTitleUrlSplit(*resource); !rest.ok()) return rest;
  resource->set_revision(resource->revision() + 1);
  *resource->mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  if (absl::Status written = Put(user_id, *resource, &batch); !written.ok()) return written;
  return resource;
}

absl::StatusOr<v1::PaywallResource> PaywallResources::Archive(std::string_view user_id,
                                                              std::string_view resource_id,
                                                              absl::Time now) {
  absl::MutexLock lock(&locks_.For(Absl(user_id)));
  absl::StatusOr<v1::PaywallResource> resource = Get(user_id, resource_id);
  if (!resource.ok()) return resource.status();
  if (resource->state() == v1::PAYWALL_RESOURCE_STATE_ARCHIVED) return resource;
  resource->set_state(v1::PAYWALL_RESOURCE_STATE_ARCHIVED);
  resource->set_revision(resource->revision() + 1);
  *resource->mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  if (absl::Status written = Put(user_id, *resource, &batch); !written.ok()) return written;
  return resource;
}

absl::StatusOr<SubjectTerms> PaywallResources::Terms(std::string_view subject) const {
  absl::StatusOr<std::vector<std::string>> ids = IdsInName(subject, {kResources}, "subject");
  if (!ids.ok()) return MalformedSubject();
  if ((*ids)[0] == "me") {
    return absl::NotFoundError(absl::StrCat("nothing is sold as \"", Absl(subject), "\""));
  }
  absl::StatusOr<v1::PaywallResource> resource = Get((*ids)[0], (*ids)[1]);
  if (!resource.ok()) return resource.status();
  const std::string seller = absl::StrCat("users/", (*ids)[0]);
  SubjectTerms terms = {.subject = resource->name(),
                        .seller = seller,
                        .price_msat = resource->price_msat(),
                        .split = SplitOrOwner(resource->split()),
                        .revision = resource->revision(),
                        .title = resource->title(),
                        .external_id = resource->external_id(),
                        .on_sale = resource->state() == v1::PAYWALL_RESOURCE_STATE_ACTIVE,
                        .stream_only = false};
  // A resource has one member behind it: every role without a user is its owner.
  for (v1::SplitRecipient& recipient : *terms.split.mutable_recipients()) {
    if (recipient.user().empty()) recipient.set_user(seller);
  }
  return terms;
}

}  // namespace bitcontent::pricing
