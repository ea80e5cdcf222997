// bitcontent-streaming: wiring only; see streaming_service.h.
#include "libs/kit/serve.h"
#include "services/streaming/streaming_service.h"

int main(int argc, char** argv) {
  bitcontent::kit::InitService(argc, argv, "streaming");
  bitcontent::streaming::StreamingService streaming_service;
  return bitcontent::kit::Serve({.name = "streaming", .services = {&streaming_service}});
}
