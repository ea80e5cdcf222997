// The gRPC surface of the paywall: PaywallService for third-party apps (an API key with
// paywall:manage, or the owner's session). Handlers check the caller against the name's
// {user} and hand the work to the domain classes (resources, endpoints, deliveries).
#pragma once

#include <grpcpp/channel.h>

#include <memory>

#include "bitcontent/pricing/v1/paywall_service.grpc.pb.h"
#include "services/pricing/paywall_caller.h"
#include "services/pricing/paywall_resources.h"
#include "services/pricing/webhook_deliveries.h"
#include "services/pricing/webhook_endpoints.h"

namespace bitcontent::pricing {

// What the handlers work with; each must outlive the service.
struct PaywallParts {
  PaywallResources* resources = nullptr;
  WebhookEndpoints* endpoints = nullptr;
  WebhookDeliveries* deliveries = nullptr;
  const PaywallCallerCheck* callers = nullptr;
  // Accounts, asked whether the members a split names exist; null: not configured.
  std::shared_ptr<grpc::Channel> accounts;
};

class PaywallService final : public v1::PaywallService::Service {
 public:
  explicit PaywallService(PaywallParts parts) : parts_(std::move(parts)) {}

  grpc::Status CreatePaywallResource(grpc::ServerContext* context,
                                     const v1::CreatePaywallResourceRequest* request,
                                     v1::PaywallResource* response) override;
  grpc::Status GetPaywallResource(grpc::ServerContext* context,
                                  const v1::GetPaywallResourceRequest* request,
                                  v1::PaywallResource* response) override;
  grpc::Status LookupPaywallResource(grpc::ServerContext* context,
                                     const v1::LookupPaywallResourceRequest* request,
                                     v1::PaywallResource* response) override;
  grpc::Status ListPaywallResources(grpc::ServerContext* context,
                                    const v1::ListPaywallResourcesRequest* request,
                                    v1::ListPaywallResourcesResponse* response) override;
  grpc::Status UpdatePaywallResource(grpc::ServerContext* context,
                                     const v1::UpdatePaywallResourceRequest* request,
                                     v1::PaywallResource* response) override;
  grpc::Status ArchivePaywallResource(grpc::ServerContext* context,
                                      const v1::ArchivePaywallResourceRequest* request,
                                      v1::PaywallResource* response) override;
  grpc::Status CreateWebhookEndpoint(grpc::ServerContext* context,
                                     const v1::CreateWebhookEndpointRequest* request,
                                     v1::CreateWebhookEndpointResponse* response) override;
  grpc::Status ListWebhookEndpoints(grpc::ServerContext* context,
                                    const v1::ListWebhookEndpointsRequest* request,
                                    v1::ListWebhookEndpointsResponse* response) override;
  grpc::Status UpdateWebhookEndpoint(grpc::ServerContext* context,
                                     const v1::UpdateWebhookEndpointRequest* request,
                                     v1::WebhookEndpoint* response) override;
  grpc::Status DeleteWebhookEndpoint(grpc::ServerContext* context,
                                     const v1::DeleteWebhookEndpointRequest* request,
                                     v1::DeleteWebhookEndpointResponse* response) override;
  grpc::Status RotateWebhookSecret(grpc::ServerContext* context,
                                   const v1::RotateWebhookSecretRequest* request,
                                   v1::CreateWebhookEndpointResponse* response) override;
  grpc::Status ListWebhookDeliveries(grpc::ServerContext* context,
                                     const v1::ListWebhookDeliveriesRequest* request,
                                     v1::ListWebhookDeliveriesResponse* response) override;
  grpc::Status RedeliverWebhook(grpc::ServerContext* context,
                                const v1::RedeliverWebhookRequest* request,
                                v1::WebhookDelivery* response) override;

 private:
  // The ids of `name` (see IdsInName) with the user replaced by the caller's id, once
  // the caller is that user.
  absl::StatusOr<std::vector<std::string>> Own(const grpc::ServerContext& context,
                                               std::string_view name,
                                               const std::vector<std::string_view>& collections,
                                               std::string_view field) const;
  // Replies with `resource`, each member of its split who cannot be paid now marked
  // (SplitRecipient.not_payable): the caller owns it.
  grpc::Status Marked(grpc::ServerContext* context, absl::StatusOr<v1::PaywallResource> resource,
                      v1::PaywallResource* response) const;

  const PaywallParts parts_;
};

}  // namespace bitcontent::pricing
