#include "libs/heap/heap_tuning.h"

#include <malloc.h>

namespace bitcontent::heap {
namespace {

// glibc's largest mmap threshold on 64-bit systems; above every chunk and gRPC message
// this project sends.
constexpr int kMmapThresholdBytes = 32 << 20;
constexpr int kTrimThresholdBytes = 256 << 20;

}  // namespace

void KeepFreedMemory() {
  // Fixed values also turn off glibc's own threshold adjustment.
  mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
}

}  // namespace bitcontent::heap
