// PaywallService: the handlers.
#include "services/pricing/paywall_service.h"

#include "absl/time/clock.h"
#include "libs/kit/reply.h"
#include "libs/split/split.h"
#include "services/pricing/backends_grpc.h"
#include "services/pricing/paywall_names.h"

namespace bitcontent::pricing {

absl::StatusOr<std::vector<std::string>> PaywallService::Own(
    const grpc::ServerContext& context, std::string_view name,
    const std::vector<std::string_view>& collections, std::string_view field) const {
  absl::StatusOr<std::vector<std::string>> ids = IdsInName(name, collections, field);
  if (!ids.ok()) return ids.status();
  absl::StatusOr<std::string> owner = parts_.callers->Owner(context, (*ids)[0]);
  if (!owner.ok()) return owner.status();
  (*ids)[0] = *std::move(owner);
  return ids;
}

grpc::Status PaywallService::Marked(grpc::ServerContext* context,
                                    absl::StatusOr<v1::PaywallResource> resource,
                                    v1::PaywallResource* response) const {
  // The app is told which members of the split cannot be paid now: every payment for
  // the resource is refused until the split changes, and its readers are not told who.
  if (resource.ok()) {
    if (absl::Status marked =
            AccountsMembers(parts_.accounts, context).MarkNotPayable(resource->mutable_split());
        !marked.ok()) {
      return kit::Reply(context, marked);
    }
  }
  return kit::Reply(context, std::move(resource), response);
}

grpc::Status PaywallService::CreatePaywallResource(grpc::ServerContext* context,
                                                   const v1::CreatePaywallResourceRequest* request,
                                                   v1::PaywallResource* response) {
  absl::StatusOr<std::vector<std::string>> ids = Own(*context, request->parent(), {}, "parent");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  AccountsMembers members(parts_.accounts, context);
  v1::CreatePaywallResourceRequest canonical = *request;
  CanonicalizeUsers(canonical.mutable_paywall_resource()->mutable_split());
  return kit::Reply(context, parts_.resources->Create((*ids)[0], canonical, &members, absl::Now()),
                    response);
}

grpc::Status PaywallService::GetPaywallResource(grpc::ServerContext* context,
                                                const v1::GetPaywallResourceRequest* request,
                                                v1::PaywallResource* response) {
  absl::StatusOr<std::vector<std::string>> ids =
      Own(*context, request->name(), {kResources}, "name");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return Marked(context, parts_.resources->Get((*ids)[0], (*ids)[1]), response);
}

grpc::Status PaywallService::LookupPaywallResource(grpc::ServerContext* context,
                                                   const v1::LookupPaywallResourceRequest* request,
                                                   v1::PaywallResource* response) {
  absl::StatusOr<std::vector<std::string>> ids = Own(*context, request->parent(), {}, "parent");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return Marked(context, parts_.resources->Lookup((*ids)[0], request->external_id()), response);
}

grpc::Status PaywallService::ListPaywallResources(grpc::ServerContext* context,
                                                  const v1::ListPaywallResourcesRequest* request,
                                                  v1::ListPaywallResourcesResponse* response) {
  absl::StatusOr<std::vector<std::string>> ids = Own(*context, request->parent(), {}, "parent");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return kit::Reply(context, parts_.resources->List((*ids)[0], *request), response);
}

grpc::Status PaywallService::UpdatePaywallResource(grpc::ServerContext* context,
                                                   const v1::UpdatePaywallResourceRequest* request,
                                                   v1::PaywallResource* response) {
  absl::StatusOr<std::vector<std::string>> ids =
      Own(*context, request->paywall_resource().name(), {kResources}, "paywall_resource.name");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  AccountsMembers members(parts_.accounts, context);
  v1::UpdatePaywallResourceRequest canonical = *request;
  CanonicalizeUsers(canonical.mutable_paywall_resource()->mutable_split());
  return kit::Reply(
      context, parts_.resources->Update((*ids)[0], (*ids)[1], canonical, &members, absl::Now()),
      response);
}

grpc::Status PaywallService::ArchivePaywallResource(
    grpc::ServerContext* context, const v1::ArchivePaywallResourceRequest* request,
    v1::PaywallResource* response) {
  absl::StatusOr<std::vector<std::string>> ids =
      Own(*context, request->name(), {kResources}, "name");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return kit::Reply(context, parts_.resources->Archive((*ids)[0], (*ids)[1], absl::Now()),
                    response);
}

grpc::Status PaywallService::CreateWebhookEndpoint(grpc::ServerContext* context,
                                                   const v1::CreateWebhookEndpointRequest* request,
                                                   v1::CreateWebhookEndpointResponse* response) {
  absl::StatusOr<std::vector<std::string>> ids = Own(*context, request->parent(), {}, "parent");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return kit::Reply(context, parts_.endpoints->Create((*ids)[0], *request, absl::Now()), response);
}

grpc::Status PaywallService::ListWebhookEndpoints(grpc::ServerContext* context,
                                                  const v1::ListWebhookEndpointsRequest* request,
                                                  v1::ListWebhookEndpointsResponse* response) {
  absl::StatusOr<std::vector<std::string>> ids = Own(*context, request->parent(), {}, "parent");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return kit::Reply(context, parts_.endpoints->List((*ids)[0], *request), response);
}

grpc::Status PaywallService::UpdateWebhookEndpoint(grpc::ServerContext* context,
                                                   const v1::UpdateWebhookEndpointRequest* request,
                                                   v1::WebhookEndpoint* response) {
  absl::StatusOr<std::vector<std::string>> ids =
      Own(*context, request->webhook_endpoint().name(), {kEndpoints}, "webhook_endpoint.name");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return kit::Reply(context, parts_.endpoints->Update((*ids)[0], (*ids)[1], *request, absl::Now()),
                    response);
}

grpc::Status PaywallService::DeleteWebhookEndpoint(grpc::ServerContext* context,
                                                   const v1::DeleteWebhookEndpointRequest* request,
                                                   v1::DeleteWebhookEndpointResponse* response) {
  absl::StatusOr<std::vector<std::string>> ids =
      Own(*context, request->name(), {kEndpoints}, "name");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return kit::Reply(context, parts_.endpoints->Delete((*ids)[0], (*ids)[1]));
}

grpc::Status PaywallService::RotateWebhookSecret(grpc::ServerContext* context,
                                                 const v1::RotateWebhookSecretRequest* request,
                                                 v1::CreateWebhookEndpointResponse* response) {
  absl::StatusOr<std::vector<std::string>> ids =
      Own(*context, request->name(), {kEndpoints}, "name");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return kit::Reply(context, parts_.endpoints->Rotate((*ids)[0], (*ids)[1], *request, absl::Now()),
                    response);
}

grpc::Status PaywallService::ListWebhookDeliveries(grpc::ServerContext* context,
                                                   const v1::ListWebhookDeliveriesRequest* request,
                                                   v1::ListWebhookDeliveriesResponse* response) {
  absl::StatusOr<std::vector<std::string>> ids =
      Own(*context, request->parent(), {kEndpoints}, "parent");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  // An endpoint that does not exist has no deliveries to list: say so, not an empty page.
  if (absl::StatusOr<storage::EndpointRecord> endpoint =
          parts_.endpoints->Get((*ids)[0], (*ids)[1]);
      !endpoint.ok()) {
    return kit::Reply(context, endpoint.status());
  }
  return kit::Reply(context, parts_.deliveries->List((*ids)[0], (*ids)[1], *request), response);
}

grpc::Status PaywallService::RedeliverWebhook(grpc::ServerContext* context,
                                              const v1::RedeliverWebhookRequest* request,
                                              v1::WebhookDelivery* response) {
  absl::StatusOr<std::vector<std::string>> ids =
      Own(*context, request->name(), {kEndpoints, kDeliveries}, "name");
  if (!ids.ok()) return kit::Reply(context, ids.status());
  return kit::Reply(
      context, parts_.deliveries->Redeliver((*ids)[0], (*ids)[1], (*ids)[2], *request), response);
}

}  // namespace bitcontent::pricing
