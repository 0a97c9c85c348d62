// Mapped index reads: dossierd serves Xapian's block reads from read-only
// shared mappings of the index's table files instead of a pread() system
// call each (docs/ARCHITECTURE.md, "Index reads in dossierd").
//
// Xapian 1.4 keeps no block cache of its own: each posting or position list
// a search opens reads its 8 KB blocks again, one pread() each, from the
// kernel's page cache. On this project's benchmark machine a system call
// costs about 1.6 µs before it copies anything, and a search on 10,000
// documents made about 100 of them: a sixth of dossierd's CPU time under
// load (docs/BENCHMARKS.md, "Stop 62"). A read from a mapping of the same
// file is a copy from the same page cache, with no system call.
//
// How: dossierd's executable defines pread(), pread64(), close(), dup2(),
// dup3() and posix_fadvise() (a WILLNEED hint for a mapped file is dropped:
// its reads come from the mapping), which the shared libraries it loads
// (libxapian among them) call in place of glibc's. Once enabled, the first
// pread() of a file descriptor asks /proc/self/fd what file it reads; a
// Xapian table file (a name ending in ".glass") under one of the enabled
// folders is mapped (PROT_READ,
// MAP_SHARED: what any process writes to the file is seen, as pread() sees
// it), one mapping per file however many descriptors read it. Every other
// descriptor goes to glibc's pread(), after that one look. A read that the
// mapping does not cover (the file has grown since: an ingest added to it)
// is a pread(); a file grown by an eighth or more is mapped again, at most
// once a second. close(), dup2() and dup3() forget what they close, before
// the number can be given to another file; a file's mappings go when its
// last descriptor is closed.
//
// What a process must not do for this to hold (dossierd does neither): close
// a descriptor that another thread is reading, or shrink a table file that is
// mapped (Xapian never does: a compaction writes new files). The mapped pages
// are the page cache's own; touched, they count in dossierd's RSS as file
// pages (RssFile), and the kernel can reclaim them as it does any cached file
// page. `dossierd --map-index-mb N` bounds the mappings (default 512 MiB;
// 0 leaves every read to pread()).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dossier::server {

// Serves from now on the reads of the Xapian table files under `folders`
// (each resolved to its real path, as far as it exists yet) from mappings, of at
// most `max_bytes` in all (a file that would pass it, or its longer mapping,
// is read with pread()). Called once, at start, before the searches; false
// (with `error` set) when a folder's path cannot be resolved (no access to
// a folder on it), and nothing is enabled then.
bool EnableMappedIndexReads(const std::vector<std::string>& folders, uint64_t max_bytes, std::string* error);

struct MappedIndexReadCounters {
  uint64_t mapped_reads = 0;    // preads answered from a mapping
  uint64_t unmapped_reads = 0;  // preads of a mapped file that went to the kernel (past the mapping)
  uint64_t read_hints_dropped = 0;  // posix_fadvise(WILLNEED) of a mapped file, answered without a system call
  uint64_t files_mapped = 0;    // table files mapped now
  uint64_t bytes_mapped = 0;    // their mappings' length, all together
};
MappedIndexReadCounters MappedIndexReads();

}  // namespace dossier::server
