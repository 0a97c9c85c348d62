// Allocator tuning (see allocator_tuning.h).
#include "allocator_tuning.h"

#include <sys/auxv.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace dossier::server {

std::optional<std::string> TunedGlibcTunables(const char* tunables, const char* preload) {
  if (preload != nullptr && *preload != '\0') return std::nullopt;
  const std::string_view current = tunables ? tunables : "";
  // GLIBC_TUNABLES is name=value pairs joined by ':'.
  constexpr std::string_view kName = "glibc.malloc.tcache_count";
  for (size_t begin = 0; begin <= current.size();) {
    const size_t end = std::min(current.find(':', begin), current.size());
    const std::string_view pair = current.substr(begin, end - begin);
    if (pair.substr(0, kName.size()) == kName && pair.size() > kName.size() && pair[kName.size()] == '=') {
      return std::nullopt;
    }
    begin = end + 1;
  }
  std::string tuned(current);
  if (!tuned.empty()) tuned += ':';
  tuned += std::string(kName) + "=" + std::to_string(kMallocTcacheCount);
  return tuned;
}

void RestartWithAllocatorTuning(char** argv) {
  if (::getauxval(AT_SECURE) != 0) return;
  const char* before = std::getenv("GLIBC_TUNABLES");
  const std::optional<std::string> tuned = TunedGlibcTunables(before, std::getenv("LD_PRELOAD"));
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
