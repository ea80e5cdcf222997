#include "services/pricing/webhook_endpoints.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/auth/proto_time.h"
#include "libs/crypto/encoding.h"
#include "libs/crypto/random.h"
#include "libs/ids/ids.h"
#include "libs/kit/error_details.h"
#include "libs/kit/pagination.h"
#include "libs/kit/resource_names.h"
#include "libs/store/record_io.h"
#include "services/pricing/paywall_limits.h"
#include "services/pricing/paywall_names.h"
#include "services/pricing/paywall_requests.h"

namespace bitcontent::pricing {
namespace {

using store::KeyView;

absl::string_view Absl(std::string_view text) { return {text.data(), text.size()}; }

constexpr char kSecretPrefix[] = "whsec_";
constexpr size_t kSecretRandomBytes = 32;
constexpr size_t kShownSecretPrefixCharacters = 12;

std::string Key(std::string_view user_id, std::string_view id) {
  return absl::StrCat(Absl(user_id), Absl(id));
}

// Event types: at least one, each known, none twice.
absl::Status CheckEventTypes(const v1::WebhookEndpoint& endpoint) {
  constexpr char kField[] = "webhook_endpoint.event_types";
  if (endpoint.event_types_size() == 0) {
    return kit::FieldError(kField,
                           "name at least one event type: WEBHOOK_EVENT_TYPE_PAYMENT_SUCCEEDED");
  }
  std::vector<int> seen;
  for (int type : endpoint.event_types()) {
    if (type == v1::WEBHOOK_EVENT_TYPE_UNSPECIFIED || !v1::WebhookEventType_IsValid(type)) {
      return kit::FieldError(kField, "holds an unknown event type");
    }
    if (std::find(seen.begin(), seen.end(), type) != seen.end()) {
      return kit::FieldError(kField, "names an event type twice");
    }
    seen.push_back(type);
  }
  return absl::OkStatus();
}

absl::Status CheckEndpoint(const v1::WebhookEndpoint& endpoint) {
  if (absl::Status url = CheckWebhookUrl("webhook_endpoint.url", endpoint.url()); !url.ok()) {
    return url;
  }
  if (absl::Status types = CheckEventTypes(endpoint); !types.ok()) return types;
  if (endpoint.state() != v1::WEBHOOK_ENDPOINT_STATE_ENABLED &&
      endpoint.state() != v1::WEBHOOK_ENDPOINT_STATE_DISABLED) {
    return kit::FieldError("webhook_endpoint.state", "must be ENABLED or DISABLED");
  }
  return CheckText("webhook_endpoint.description", endpoint.description(),
                   kDescriptionCharactersMax, /*required=*/false);
}

v1::CreateWebhookEndpointResponse Shown(const storage::EndpointRecord& record) {
  v1::CreateWebhookEndpointResponse response;
  *response.mutable_webhook_endpoint() = record.endpoint();
  response.set_secret(record.secret());
  return response;
}

}  // namespace

std::string NewWebhookSecret() {
  return absl::StrCat(kSecretPrefix,
                      crypto::Base64UrlEncode(crypto::RandomBytes(kSecretRandomBytes)));
}

absl::StatusOr<std::vector<storage::EndpointRecord>> WebhookEndpoints::All(
    std::string_view user_id) const {
  std::vector<storage::EndpointRecord> records;
  // Bounded by kEndpointsPerOwnerMax; the limit guards against a store that holds more.
  store::PrefixIterator it = db_.store().Scan(
      db_.endpoints, {.prefix = KeyView(Absl(user_id)), .limit = kEndpointsPerOwnerMax + 1});
  for (; it.Valid(); it.Next()) {
    absl::StatusOr<storage::EndpointRecord> record =
        store::ParseRecord<storage::EndpointRecord>(db_.endpoints, it.value());
    if (!record.ok()) return record.status();
    records.push_back(*std::move(record));
  }
  if (absl::Status status = it.status(); !status.ok()) return status;
  return records;
}

absl::StatusOr<v1::CreateWebhookEndpointResponse> WebhookEndpoints::Create(
    std::string_view user_id, const v1::CreateWebhookEndpointRequest& request, absl::Time now) {
  if (absl::Status key = CheckRequestId(request.request_id()); !key.ok()) return key;
  v1::WebhookEndpoint endpoint = request.webhook_endpoint();
  if (endpoint.state() == v1::WEBHOOK_ENDPOINT_STATE_UNSPECIFIED) {
    endpoint.set_state(v1::WEBHOOK_ENDPOINT_STATE_ENABLED);
  }
  if (absl::Status valid = CheckEndpoint(endpoint); !valid.ok()) return valid;

  absl::MutexLock lock(&locks_.For(Absl(user_id)));
  const RequestLog log(db_, user_id, RequestKind::kCreateEndpoint, request);
  absl::StatusOr<std::optional<std::string>> earlier = log.Find();
  if (!earlier.ok()) return earlier.status();
  if (earlier->has_value()) {
    absl::StatusOr<storage::EndpointRecord> made =
        Get(user_id, std::string(kit::IdOfName(**earlier)));
    if (!made.ok()) return made.status();
    return Shown(*made);
  }
  absl::StatusOr<std::vector<storage::EndpointRecord>> existing = All(user_id);
  if (!existing.ok()) return existing.status();
  if (existing->size() >= kEndpointsPerOwnerMax) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "you have ", kEndpointsPerOwnerMax, " webhook endpoints, the most allowed; delete one"));
  }
  const std::string id = ids::NewId();
  storage::EndpointRecord record;
  record.set_secret(NewWebhookSecret());
  endpoint.set_name(EndpointName(user_id, id));
  endpoint.set_secret_prefix(record.secret().substr(0, kShownSecretPrefixCharacters));
  *endpoint.mutable_create_time() = auth::ProtoFromTime(now);
  *endpoint.mutable_update_time() = endpoint.create_time();
  *record.mutable_endpoint() = std::move(endpoint);
  store::WriteBatch batch;
  log.Stage(&batch, record.endpoint().name());
  store::PutRecord(&batch, db_.endpoints, Key(user_id, id), record);
  if (absl::Status written = db_.store().Write(&batch, {.sync = true}); !written.ok()) {
    return written;
  }
  return Shown(record);
}

absl::StatusOr<v1::ListWebhookEndpointsResponse> WebhookEndpoints::List(
    std::string_view user_id, const v1::ListWebhookEndpointsRequest& request) const {
  absl::StatusOr<size_t> size = kit::PageSizeOf(request.page_size());
  if (!size.ok()) return size.status();
  if (absl::Status token = kit::ValidatePageToken(request.page_token()); !token.ok()) return token;
  absl::StatusOr<std::vector<storage::EndpointRecord>> all = All(user_id);
  if (!all.ok()) return all.status();
  v1::ListWebhookEndpointsResponse response;
  for (const storage::EndpointRecord& record : *all) {
    const absl::string_view id = kit::IdOfName(record.endpoint().name());
    if (!request.page_token().empty() && id <= request.page_token()) continue;
    if (static_cast<size_t>(response.webhook_endpoints_size()) == *size) {
      response.set_next_page_token(std::string(
          kit::IdOfName(response.webhook_endpoints(response.webhook_endpoints_size() - 1).name())));
      break;
    }
    *response.add_webhook_endpoints() = record.endpoint();
  }
  return response;
}

absl::StatusOr<storage::EndpointRecord> WebhookEndpoints::Get(std::string_view user_id,
                                                              std::string_view endpoint_id) const {
  absl::StatusOr<std::optional<storage::EndpointRecord>> found =
      store::FindRecord<storage::EndpointRecord>(db_.store(), db_.endpoints,
                                                 Key(user_id, endpoint_id));
  if (!found.ok()) return found.status();
  if (!found->has_value()) return absl::NotFoundError("no such webhook endpoint");
  return **std::move(found);
}

absl::StatusOr<v1::WebhookEndpoint> WebhookEndpoints::Update(
    std::string_view user_id, std::string_view endpoint_id,
    const v1::UpdateWebhookEndpointRequest& request, absl::Time now) {
  if (request.update_mask().paths_size() == 0) {
    return kit::FieldError("update_mask",
                           "name the fields to change: url, event_types, state, description");
  }
  const v1::WebhookEndpoint& given = request.webhook_endpoint();
  absl::MutexLock lock(&locks_.For(Absl(user_id)));
  absl::StatusOr<storage::EndpointRecord> record = Get(user_id, endpoint_id);
  if (!record.ok()) return record.status();
  v1::WebhookEndpoint* endpoint = record->mutable_endpoint();
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "url") {
      endpoint->set_url(given.url());
    } else if (path == "event_types") {
      *endpoint->mutable_event_types() = given.event_types();
    } else if (path == "state") {
      endpoint->set_state(given.state());
    } else if (path == "description") {
      endpoint->set_description(given.description());
    } else {
      return kit::FieldError("update_mask",
                             absl::StrCat("cannot change \"", path,
                                          "\"; only url, event_types, state and description"));
    }
  }
  if (absl::Status valid = CheckEndpoint(*endpoint); !valid.ok()) return valid;
  *endpoint->mutable_update_time() = auth::ProtoFromTime(now);
  if (absl::Status written = db_.store().Put(db_.endpoints, Key(user_id, endpoint_id),
                                             record->SerializeAsString(), {.sync = true});
      !written.ok()) {
    return written;
  }
  return record->endpoint();
}

absl::Status WebhookEndpoints::Delete(std::string_view user_id, std::string_view endpoint_id) {
  absl::MutexLock lock(&locks_.For(Absl(user_id)));
  if (absl::StatusOr<storage::EndpointRecord> record = Get(user_id, endpoint_id); !record.ok()) {
    return record.status();
  }
  store::WriteBatch batch;
  batch.Delete(db_.endpoints, Key(user_id, endpoint_id));
  if (absl::Status dropped = deliveries_->StageDropEndpoint(&batch, user_id, endpoint_id);
      !dropped.ok()) {
    return dropped;
  }
  return db_.store().Write(&batch, {.sync = true});
}

absl::StatusOr<v1::CreateWebhookEndpointResponse> WebhookEndpoints::Rotate(
    std::string_view user_id, std::string_view endpoint_id,
    const v1::RotateWebhookSecretRequest& request, absl::Time now) {
  if (absl::Status key = CheckRequestId(request.request_id()); !key.ok()) return key;
  absl::MutexLock lock(&locks_.For(Absl(user_id)));
  absl::StatusOr<storage::EndpointRecord> record = Get(user_id, endpoint_id);
  if (!record.ok()) return record.status();
  const RequestLog log(db_, user_id, RequestKind::kRotateSecret, request);
  absl::StatusOr<std::optional<std::string>> earlier = log.Find();
  if (!earlier.ok()) return earlier.status();
  // A retry answers the secret in force, which is the one the first request made unless
  // the owner rotated again since.
  if (earlier->has_value()) return Shown(*record);
  record->set_previous_secret(record->secret());
  record->set_previous_secret_expire_time_us(absl::ToUnixMicros(now + kPreviousSecretLifetime));
  record->set_secret(NewWebhookSecret());
  v1::WebhookEndpoint* endpoint = record->mutable_endpoint();
  endpoint->set_secret_prefix(record->secret().substr(0, kShownSecretPrefixCharacters));
  *endpoint->mutable_update_time() = auth::ProtoFromTime(now);
  store::WriteBatch batch;
  log.Stage(&batch, endpoint->name());
  store::PutRecord(&batch, db_.endpoints, Key(user_id, endpoint_id), *record);
  if (absl::Status written = db_.store().Write(&batch, {.sync = true}); !written.ok()) {
    return written;
  }
  return Shown(*record);
}

absl::StatusOr<std::vector<v1::WebhookEndpoint>> WebhookEndpoints::Subscribed(
    std::string_view user_id, v1::WebhookEventType type) const {
  absl::StatusOr<std::vector<storage::EndpointRecord>> all = All(user_id);
  if (!all.ok()) return all.status();
  std::vector<v1::WebhookEndpoint> endpoints;
  for (const storage::EndpointRecord& record : *all) {
    const v1::WebhookEndpoint& endpoint = record.endpoint();
    const auto& types = endpoint.event_types();
    if (endpoint.state() == v1::WEBHOOK_ENDPOINT_STATE_ENABLED &&
        std::find(types.begin(), types.end(), type) != types.end()) {
      endpoints.push_back(endpoint);
    }
  }
  return endpoints;
}

absl::StatusOr<SigningTarget> WebhookEndpoints::Target(std::string_view user_id,
                                                       std::string_view endpoint_id,
                                                       absl::Time now) const {
  absl::StatusOr<storage::EndpointRecord> record = Get(user_id, endpoint_id);
  if (!record.ok()) return record.status();
  SigningTarget target = {.url = record->endpoint().url(), .secrets = {record->secret()}};
  if (!record->previous_secret().empty() &&
      absl::ToUnixMicros(now) < record->previous_secret_expire_time_us()) {
    target.secrets.push_back(record->previous_secret());
  }
  return target;
}

}  // namespace bitcontent::pricing
