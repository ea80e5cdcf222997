// bitcontent-blobs: wiring only; see blobs_service.h.
#include "libs/kit/serve.h"
#include "services/blobs/blobs_service.h"

int main(int argc, char** argv) {
  bitcontent::kit::InitService(argc, argv, "blobs");
  bitcontent::blobs::BlobsService blobs_service;
  bitcontent::blobs::BlobsInternalService blobs_internal_service;
  bitcontent::blobs::BlobsAdminService blobs_admin_service;
  return bitcontent::kit::Serve(
      {.name = "blobs",
       .services = {&blobs_service, &blobs_internal_service, &blobs_admin_service}});
}
