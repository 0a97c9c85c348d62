// Allocator tuning: dossierd runs with glibc's per-thread allocation caches
// (tcache) holding more freed blocks of each size than glibc's default 7,
// and with at most one malloc arena a core (MallocArenaMax) instead of
// glibc's eight a core.
//
// A search allocates and frees about 2,600 blocks, many of them freed
// together when the search ends. With 7 blocks cached a size, what
// overflows goes to the arena's shared bins (most sizes under its lock,
// and consolidated later); with 128, more stay in the thread's cache for the
// next search to take back. Measured on the 626 real PDFs
// (docs/BENCHMARKS.md, "Stop 59"): 3.2 % fewer instructions a search (128
// is where the count stops paying: 1,000 saves no more), and 4–6 % less CPU
// a search under load, for 3–6 MB more peak RSS.
//
// Each of dossierd's threads (the HTTP workers, the computing threads)
// takes an arena of its own while glibc allows more, and an arena keeps
// what it has held: after 30 s of distinct searches on the 10,000 generated
// documents, a few seconds more from one client (another thread, another
// arena) added 21 MB of RSS, against 8 MB with an arena a core, for no
// more CPU a search under load (docs/BENCHMARKS.md, "Stop 68").
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

// The most malloc arenas dossierd asks glibc for: the cores, at least 2.
unsigned MallocArenaMax();

// The value GLIBC_TUNABLES should have for dossierd, given the environment's
// GLIBC_TUNABLES (`tunables`) and LD_PRELOAD (`preload`), each null when
// unset: the tunables with glibc.malloc.tcache_count=kMallocTcacheCount
// added, and glibc.malloc.arena_max=`arena_max` unless they set it.
// Nothing (no change, no new start) when the tunables set the count
// already (the operator's choice, kept; also what stops a second start), or
// when LD_PRELOAD is set: another allocator or a tool (valgrind, a
// sanitizer's runtime) is loaded, which the glibc setting would not reach
// or a new start would leave.
std::optional<std::string> TunedGlibcTunables(const char* tunables, const char* preload, unsigned arena_max);

// Starts this program again with TunedGlibcTunables' value, when there is
// one (and the process is not setuid: glibc then ignores the variable).
// Returns only when there is nothing to change or the new start failed (the
// program then goes on as it is, with glibc's default).
void RestartWithAllocatorTuning(char** argv);

}  // namespace dossier::server
