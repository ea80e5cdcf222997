// KeepFreedMemory: a chunk-sized buffer comes from the heap, not a fresh mapping the
// kernel must fault in page by page, and freeing it gives nothing back to the kernel.
#include "libs/heap/heap_tuning.h"

#include <malloc.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>

namespace bitcontent::heap {
namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;

TEST_CASE("after KeepFreedMemory a freed 1 MiB buffer stays in the process", "[heap]") {
  KeepFreedMemory();
  const size_t mapped_before = mallinfo2().hblks;
  char* volatile buffer = static_cast<char*>(std::malloc(kChunkBytes));
  REQUIRE(buffer != nullptr);
  std::memset(buffer, 1, kChunkBytes);
  // glibc's default would have mapped it (above 128 KiB): one more mmapped block.
  CHECK(mallinfo2().hblks == mapped_before);
  const size_t heap_before_free = mallinfo2().arena;
  std::free(buffer);
  // Nothing trimmed: the heap is as big as before the free.
  CHECK(mallinfo2().arena == heap_before_free);
}

}  // namespace
}  // namespace bitcontent::heap
