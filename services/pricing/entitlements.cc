#include "services/pricing/entitlements.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/ids/ids.h"
#include "libs/kit/pagination.h"
#include "libs/store/record_io.h"

namespace bitcontent::pricing {
namespace {

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

std::string Key(std::string_view user_id, std::string_view rest) {
  return absl::StrCat(Absl(user_id), Absl(rest));
}

}  // namespace

absl::StatusOr<std::optional<v1::Entitlement>> Entitlements::Find(std::string_view user_id,
                                                                  std::string_view subject) const {
  return store::FindRecord<v1::Entitlement>(db_.store(), db_.entitlements, Key(user_id, subject));
}

v1::Entitlement Entitlements::Stage(std::string_view user_id, std::string_view subject,
                                    std::string_view purchase, absl::Time now,
                                    store::WriteBatch* batch) const {
  const std::string id = ids::NewId();
  v1::Entitlement entitlement;
  entitlement.set_name(absl::StrCat("users/", Absl(user_id), "/entitlements/", id));
  entitlement.set_subject(std::string(subject));
  entitlement.set_purchase(std::string(purchase));
  *entitlement.mutable_create_time() = auth::ProtoFromTime(now);
  store::PutRecord(batch, db_.entitlements, Key(user_id, subject), entitlement);
  batch->Put(db_.entitlement_ids, Key(user_id, id), subject);
  return entitlement;
}

absl::StatusOr<v1::ListEntitlementsResponse> Entitlements::List(
    std::string_view user_id, const v1::ListEntitlementsRequest& request) const {
  v1::ListEntitlementsResponse response;
  if (!request.subject().empty()) {
    absl::StatusOr<std::optional<v1::Entitlement>> one = Find(user_id, request.subject());
    if (!one.ok()) return one.status();
    if (one->has_value()) *response.add_entitlements() = **one;
    return response;
  }
  absl::StatusOr<size_t> page_size = kit::PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (absl::Status token = kit::ValidatePageToken(request.page_token()); !token.ok()) return token;
  const std::string prefix(user_id);
  const std::string after = Key(user_id, request.page_token());
  store::ScanOptions scan = {.prefix = prefix, .reverse = true, .limit = *page_size + 1};
  if (!request.page_token().empty()) scan.start_after = after;
  std::vector<std::string> subjects;
  std::string last_id;
  store::PrefixIterator it = db_.store().Scan(db_.entitlement_ids, scan);
  for (; it.Valid(); it.Next()) {
    if (subjects.size() == *page_size) {
      response.set_next_page_token(last_id);
      break;
    }
    subjects.emplace_back(it.value());
    last_id = std::string(it.key().substr(prefix.size()));
  }
  if (!it.status().ok()) return it.status();
  for (const std::string& subject : subjects) {
    absl::StatusOr<std::optional<v1::Entitlement>> entitlement = Find(user_id, subject);
    if (!entitlement.ok()) return entitlement.status();
    if (entitlement->has_value()) *response.add_entitlements() = **entitlement;
  }
  return response;
}

}  // namespace bitcontent::pricing
