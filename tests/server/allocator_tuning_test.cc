// TunedGlibcTunables: the GLIBC_TUNABLES dossierd starts again with (the
// process itself: server_test.cc, ServerLifecycleTest.*ThreadCaches*).
#include "src/allocator_tuning.h"

#include <gtest/gtest.h>

namespace dossier::server {
namespace {

const std::string kCount = "glibc.malloc.tcache_count=" + std::to_string(kMallocTcacheCount);
// What is added when the arenas are not set: four, as on a 4-core machine.
const std::string kTuned = kCount + ":glibc.malloc.arena_max=4";

std::optional<std::string> Tuned(const char* tunables, const char* preload) {
  return TunedGlibcTunables(tunables, preload, 4);
}

TEST(AllocatorTuningTest, WithoutTunablesTheCountAndTheArenasAreAdded) {
  EXPECT_EQ(Tuned(nullptr, nullptr), kTuned);
  EXPECT_EQ(Tuned("", nullptr), kTuned);
  EXPECT_EQ(Tuned(nullptr, ""), kTuned) << "an empty LD_PRELOAD preloads nothing";
  EXPECT_GE(MallocArenaMax(), 2u);
}

TEST(AllocatorTuningTest, OtherTunablesAreKeptBeforeThem) {
  EXPECT_EQ(Tuned("glibc.malloc.arena_max=2", nullptr), "glibc.malloc.arena_max=2:" + kCount)
      << "an operator's arenas are kept";
  EXPECT_EQ(Tuned("glibc.malloc.tcache_counter=1:glibc.malloc.mxfast=0", nullptr),
            "glibc.malloc.tcache_counter=1:glibc.malloc.mxfast=0:" + kTuned)
      << "a name that only begins like the count is another tunable";
  EXPECT_EQ(Tuned("glibc.malloc.arena_maximum=1", nullptr), "glibc.malloc.arena_maximum=1:" + kTuned);
}

TEST(AllocatorTuningTest, AnOperatorsOwnCountIsKept) {
  EXPECT_EQ(Tuned("glibc.malloc.tcache_count=7", nullptr), std::nullopt);
  EXPECT_EQ(Tuned("glibc.malloc.arena_max=2:glibc.malloc.tcache_count=0", nullptr), std::nullopt);
  // What a first start set: a second start changes nothing (no loop).
  EXPECT_EQ(Tuned(Tuned("glibc.malloc.arena_max=2", nullptr)->c_str(), nullptr), std::nullopt);
  EXPECT_EQ(Tuned(Tuned(nullptr, nullptr)->c_str(), nullptr), std::nullopt);
}

TEST(AllocatorTuningTest, NothingChangesUnderAPreloadedLibrary) {
  EXPECT_EQ(Tuned(nullptr, "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), std::nullopt);
  EXPECT_EQ(Tuned("glibc.malloc.arena_max=2", "vgpreload_memcheck-amd64-linux.so"), std::nullopt);
}

}  // namespace
}  // namespace dossier::server
