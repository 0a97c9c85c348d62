// Allocator tuning: dossierd runs with glibc's per-thread allocation caches
// (tcache) holding more freed blocks of each size than glibc's default 7.
//
// A search allocates and frees about 2,600 blocks, most of them small and
// of a few sizes (Xapian's query and posting-list objects, strings, map
// nodes), freed together when the search ends. With 7 blocks cached a size,
// most frees overflow into the arena's shared bins (a lock, and later
// consolidation); with 128, nearly all stay in the thread's cache and the
// next search takes them back. Measured on the 626 real PDFs
// (docs/BENCHMARKS.md, "Stop 59"): 3.2 % fewer instructions a search, and
// less CPU a search under load.
//
// glibc reads its tunables (GLIBC_TUNABLES) from the environment only when
// a program starts, so dossierd, started without the setting, runs itself
// again with it: the same program (/proc/self/exe), the same arguments and
// process id, before it does anything else.
#pragma once

#include <optional>
#include <string>

namespace dossier::server {

// The cached blocks per size and thread dossierd asks glibc for.
inline constexpr unsigned kMallocTcacheCount = 128;

// The value GLIBC_TUNABLES should have for dossierd, given the environment's
// GLIBC_TUNABLES (`tunables`) and LD_PRELOAD (`preload`), each null when
// unset: the tunables with glibc.malloc.tcache_count=kMallocTcacheCount
// added. Nothing (no change, no new start) when the tunables set the count
// already (the operator's choice, kept; also what stops a second start), or
// when LD_PRELOAD is set: another allocator or a tool (valgrind, a
// sanitizer's runtime) is loaded, which the glibc setting would not reach
// or a new start would leave.
std::optional<std::string> TunedGlibcTunables(const char* tunables, const char* preload);

// Starts this program again with TunedGlibcTunables' value, when there is
// one (and the process is not setuid: glibc then ignores the variable).
// Returns only when there is nothing to change or the new start failed (the
// program then goes on as it is, with glibc's default).
void RestartWithAllocatorTuning(char** argv);

}  // namespace dossier::server
