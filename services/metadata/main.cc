// bitcontent-metadata: wiring only; see metadata_service.h.
#include "libs/kit/serve.h"
#include "services/metadata/metadata_service.h"

int main(int argc, char** argv) {
  bitcontent::kit::InitService(argc, argv, "metadata");
  bitcontent::metadata::MetadataService metadata_service;
  bitcontent::metadata::MetadataInternalService metadata_internal_service;
  return bitcontent::kit::Serve(
      {.name = "metadata", .services = {&metadata_service, &metadata_internal_service}});
}
