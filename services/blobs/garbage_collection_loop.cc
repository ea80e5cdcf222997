#include "services/blobs/garbage_collection_loop.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/kit/log.h"

namespace bitcontent::blobs {

void LogGarbageCollectionRun(const v1::GarbageCollectionRun& run) {
  const bool succeeded = run.state() == v1::RUN_STATE_SUCCEEDED;
  const std::string blobs = absl::StrCat(run.collected_blob_count());
  const std::string sessions = absl::StrCat(run.collected_session_count());
  const std::string chunks = absl::StrCat(run.deleted_chunk_count());
  const std::string bytes = absl::StrCat(run.freed_bytes());
  kit::Log(succeeded ? spdlog::level::info : spdlog::level::warn,
           succeeded ? "garbage collection run" : "garbage collection run failed",
           {{"run", run.name()},
            {"dry_run", run.dry_run() ? "true" : "false"},
            {"collected_blob_count", blobs},
            {"collected_session_count", sessions},
            {"deleted_chunk_count", chunks},
            {"freed_bytes", bytes},
            {"error", run.error()}});
}

GarbageCollectionLoop::GarbageCollectionLoop(GarbageCollector* collector, absl::Duration interval)
    : task_(interval, [collector] {
        LogGarbageCollectionRun(collector->Run(/*dry_run=*/false, absl::Now()));
      }) {}

}  // namespace bitcontent::blobs
