// Allocator tuning (see allocator_tuning.h).
#include "allocator_tuning.h"

#include <sys/auxv.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <thread>

namespace dossier::server {

namespace {

// Whether `tunables` (name=value pairs joined by ':') set `name`.
bool Sets(std::string_view tunables, std::string_view name) {
  for (size_t begin = 0; begin <= tunables.size();) {
    const size_t end = std::min(tunables.find(':', begin), tunables.size());
    const std::string_view pair = tunables.substr(begin, end - begin);
    if (pair.substr(0, name.size()) == name && pair.size() > name.size() && pair[name.size()] == '=') return true;
    begin = end + 1;
  }
  return false;
}

}  // namespace

unsigned MallocArenaMax() { return std::max(2u, std::thread::hardware_concurrency()); }

std::optional<std::string> TunedGlibcTunables(const char* tunables, const char* preload, unsigned arena_max) {
  if (preload != nullptr && *preload != '\0') return std::nullopt;
  const std::string_view current = tunables ? tunables : "";
  constexpr std::string_view kCount = "glibc.malloc.tcache_count", kArenas = "glibc.malloc.arena_max";
  if (Sets(current, kCount)) return std::nullopt;
  std::string tuned(current);
  if (!tuned.empty()) tuned += ':';
  tuned += std::string(kCount) + "=" + std::to_string(kMallocTcacheCount);
  if (!Sets(current, kArenas)) tuned += ":" + std::string(kArenas) + "=" + std::to_string(arena_max);
  return tuned;
}

void RestartWithAllocatorTuning(char** argv) {
  if (::getauxval(AT_SECURE) != 0) return;
  const char* before = std::getenv("GLIBC_TUNABLES");
  const std::optional<std::string> tuned = TunedGlibcTunables(before, std::getenv("LD_PRELOAD"), MallocArenaMax());
  if (!tuned) return;
  const std::optional<std::string> kept = before ? std::optional<std::string>(before) : std::nullopt;
  if (::setenv("GLIBC_TUNABLES", tuned->c_str(), 1) != 0) return;
  ::execv("/proc/self/exe", argv);
  // The new start failed (no /proc): go on untuned, with the environment as it was.
  if (kept) {
    ::setenv("GLIBC_TUNABLES", kept->c_str(), 1);
  } else {
    ::unsetenv("GLIBC_TUNABLES");
  }
}

}  // namespace dossier::server
