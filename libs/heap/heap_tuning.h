// How BitContent's processes ask the C library's allocator to keep memory they free.
//
// Every chunk a process moves is a buffer of about 1 MiB, allocated and freed again on
// worker threads. By default glibc hands each freed buffer of that size back to the
// kernel (munmap, or madvise on a thread's arena), so the next one page-faults on all of
// its 256 pages; on this project's virtual machines a page fault is dear, and faults
// were most of the CPU the CLI spent on an upload (docs/benchmarks.md). Keeping freed
// memory in the process costs a few MiB per busy thread and no faults.
#pragma once

namespace bitcontent::heap {

// Call first thing in main(), before any thread starts: blocks below 32 MiB come from
// the heap and freed memory stays in the process up to 256 MiB per arena.
void KeepFreedMemory();

}  // namespace bitcontent::heap
