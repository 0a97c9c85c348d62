// TunedGlibcTunables: the GLIBC_TUNABLES dossierd starts again with (the
// process itself: server_test.cc, ServerLifecycleTest.*ThreadCaches*).
#include "src/allocator_tuning.h"

#include <gtest/gtest.h>

namespace dossier::server {
namespace {

const std::string kCount = "glibc.malloc.tcache_count=" + std::to_string(kMallocTcacheCount);

TEST(AllocatorTuningTest, WithoutTunablesTheCountIsAdded) {
  EXPECT_EQ(TunedGlibcTunables(nullptr, nullptr), kCount);
  EXPECT_EQ(TunedGlibcTunables("", nullptr), kCount);
  EXPECT_EQ(TunedGlibcTunables(nullptr, ""), kCount) << "an empty LD_PRELOAD preloads nothing";
}

TEST(AllocatorTuningTest, OtherTunablesAreKeptBeforeIt) {
  EXPECT_EQ(TunedGlibcTunables("glibc.malloc.arena_max=2", nullptr), "glibc.malloc.arena_max=2:" + kCount);
  EXPECT_EQ(TunedGlibcTunables("glibc.malloc.tcache_counter=1:glibc.malloc.mxfast=0", nullptr),
            "glibc.malloc.tcache_counter=1:glibc.malloc.mxfast=0:" + kCount)
      << "a name that only begins like the count is another tunable";
}

TEST(AllocatorTuningTest, AnOperatorsOwnCountIsKept) {
  EXPECT_EQ(TunedGlibcTunables("glibc.malloc.tcache_count=7", nullptr), std::nullopt);
  EXPECT_EQ(TunedGlibcTunables("glibc.malloc.arena_max=2:glibc.malloc.tcache_count=0", nullptr), std::nullopt);
  // What a first start set: a second start changes nothing (no loop).
  EXPECT_EQ(TunedGlibcTunables(TunedGlibcTunables("glibc.malloc.arena_max=2", nullptr)->c_str(), nullptr),
            std::nullopt);
}

TEST(AllocatorTuningTest, NothingChangesUnderAPreloadedLibrary) {
  EXPECT_EQ(TunedGlibcTunables(nullptr, "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"), std::nullopt);
  EXPECT_EQ(TunedGlibcTunables("glibc.malloc.arena_max=2", "vgpreload_memcheck-amd64-linux.so"), std::nullopt);
}

}  // namespace
}  // namespace dossier::server
