// GarbageCollectionLoop: runs the garbage collector in the background, once per
// interval (--garbage_collection_interval), so that unreferenced blobs and abandoned
// uploads are collected without an operator calling StartGarbageCollection. Each run
// is logged with its counts; a failed run is logged and the next one tries again. The
// collector runs one pass at a time, so this never overlaps an operator's run.
#pragma once

#include "absl/time/time.h"
#include "bitcontent/blobs/v1/blobs_admin_service.pb.h"
#include "libs/kit/periodic_task.h"
#include "services/blobs/garbage_collector.h"

namespace bitcontent::blobs {

// Logs a finished run's counts: info when it succeeded, a warning with its error when
// it failed.
void LogGarbageCollectionRun(const v1::GarbageCollectionRun& run);

class GarbageCollectionLoop {
 public:
  // `collector` must outlive this; `interval` 0 means never (Start does nothing).
  // Destroying it stops the thread, after the run in progress (if any) ends.
  GarbageCollectionLoop(GarbageCollector* collector, absl::Duration interval);

  // Starts the thread; its first run is one interval from now.
  void Start() { task_.Start(); }

 private:
  kit::PeriodicTask task_;
};

}  // namespace bitcontent::blobs
