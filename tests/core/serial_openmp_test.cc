// libgomp's entry points for parallel regions as the executables that OCR
// define them (core/src/plugin_host/serial_openmp.cc): with OpenMP limited to
// one thread (ctest sets OMP_THREAD_LIMIT=1, as the plugin host does) a region
// runs on the calling thread with no team; with more threads, libgomp's team.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/test_support.h"

extern "C" {
void GOMP_parallel(void (*fn)(void*), void* data, unsigned num_threads, unsigned flags);
void GOMP_parallel_sections(void (*fn)(void*), void* data, unsigned num_threads, unsigned count, unsigned flags);
unsigned GOMP_sections_next();
void GOMP_sections_end_nowait();
}

namespace {

// libgomp's own answers (it is loaded: libtesseract needs it).
int OmpCall(const char* name) {
  auto fn = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, name));
  return fn == nullptr ? -100 : fn();
}

struct Region {
  int calls = 0;
  std::thread::id thread;
  int level = -1, num_threads = -1;
  std::vector<unsigned> sections;
};

void Body(void* data) {
  auto* region = static_cast<Region*>(data);
  ++region->calls;  // one thread only, or a data race the test would show
  region->thread = std::this_thread::get_id();
  region->level = OmpCall("omp_get_level");
  region->num_threads = OmpCall("omp_get_num_threads");
}

void SectionsBody(void* data) {
  auto* region = static_cast<Region*>(data);
  Body(data);
  for (unsigned s = GOMP_sections_next(); s != 0; s = GOMP_sections_next()) region->sections.push_back(s);
  GOMP_sections_end_nowait();
}

std::string Getenv(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

TEST(SerialOpenMpTest, ARegionRunsOnTheCallingThreadWithoutATeam) {
  if (Getenv("OMP_THREAD_LIMIT") != "1") GTEST_SKIP() << "needs OMP_THREAD_LIMIT=1 (set by ctest)";
  Region region;
  GOMP_parallel(&Body, &region, 4, 0);
  EXPECT_EQ(region.calls, 1);
  EXPECT_EQ(region.thread, std::this_thread::get_id());
  EXPECT_EQ(region.num_threads, 1);
  // libgomp's team of one would say level 1: no team was made.
  EXPECT_EQ(region.level, 0);
}

TEST(SerialOpenMpTest, SectionsRunInOrderAndNestedRegionsKeepTheirOwn) {
  if (Getenv("OMP_THREAD_LIMIT") != "1") GTEST_SKIP() << "needs OMP_THREAD_LIMIT=1 (set by ctest)";
  Region region;
  GOMP_parallel_sections(&SectionsBody, &region, 2, 3, 0);
  EXPECT_EQ(region.sections, (std::vector<unsigned>{1, 2, 3}));
  EXPECT_EQ(region.level, 0);

  // A `parallel sections` inside a section: its sections, then the outer ones go on.
  struct Outer {
    std::vector<std::string> order;
  } outer;
  GOMP_parallel_sections(
      [](void* data) {
        auto* o = static_cast<Outer*>(data);
        for (unsigned s = GOMP_sections_next(); s != 0; s = GOMP_sections_next()) {
          o->order.push_back("outer " + std::to_string(s));
          if (s == 1) {
            GOMP_parallel_sections(
                [](void* d) {
                  auto* oo = static_cast<Outer*>(d);
                  for (unsigned t = GOMP_sections_next(); t != 0; t = GOMP_sections_next()) {
                    oo->order.push_back("inner " + std::to_string(t));
                  }
                  GOMP_sections_end_nowait();
                },
                data, 2, 2, 0);
          }
        }
        GOMP_sections_end_nowait();
      },
      &outer, 2, 2, 0);
  EXPECT_EQ(outer.order, (std::vector<std::string>{"outer 1", "inner 1", "inner 2", "outer 2"}));
}

// What the next test checks in a child process with OMP_THREAD_LIMIT=4.
void RegionsWithFourThreads() {
  Region region;
  GOMP_parallel(
      [](void* data) {
        auto* r = static_cast<Region*>(data);
        if (OmpCall("omp_get_thread_num") == 0) Body(data);
        (void)r;
      },
      &region, 4, 0);
  EXPECT_EQ(region.level, 1);
  EXPECT_EQ(region.num_threads, 4);
  Region sections;
  GOMP_parallel_sections(
      [](void* data) {
        auto* r = static_cast<Region*>(data);
        // Sections go to whichever thread asks first: collect them under a lock.
        static std::mutex mutex;
        for (unsigned s = GOMP_sections_next(); s != 0; s = GOMP_sections_next()) {
          std::lock_guard<std::mutex> lock(mutex);
          r->sections.push_back(s);
        }
        GOMP_sections_end_nowait();
      },
      &sections, 2, 3, 0);
  std::sort(sections.sections.begin(), sections.sections.end());
  EXPECT_EQ(sections.sections, (std::vector<unsigned>{1, 2, 3}));
}

TEST(SerialOpenMpTest, WithMoreThreadsLibgompMakesTheTeam) {
  // libgomp reads OMP_THREAD_LIMIT once, when it loads: the check runs in a
  // child process of this test binary, started with the limit at 4.
  if (Getenv("DOSSIER_SERIAL_OPENMP_CHILD") == "1") {
    RegionsWithFourThreads();
    return;
  }
  const std::string command =
      "DOSSIER_SERIAL_OPENMP_CHILD=1 OMP_THREAD_LIMIT=4 /proc/" + std::to_string(getpid()) +
      "/exe --gtest_filter=SerialOpenMpTest.WithMoreThreadsLibgompMakesTheTeam 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe.get())) > 0;) output.append(buf, n);
  const int status = pclose(pipe.release());
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("[  PASSED  ] 1 test"), std::string::npos) << output;
}

TEST(SerialOpenMpTest, TheWorkerExportsTheEntryPointsWithLibgompsVersions) {
  // Libraries the worker loads later (libtesseract through the ocr plugin)
  // bind to these only if the worker exports them under libgomp's versions.
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen("objdump -T " DOSSIER_WORKER " 2>&1", "r"), &pclose);
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe.get())) > 0;) output.append(buf, n);
  // "0000000000012345 g    DF .text  0000000000000026  GOMP_4.0    GOMP_parallel"
  auto exported = [&output](const std::string& version, const std::string& name) {
    std::istringstream lines(output);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::vector<std::string> f;
      for (std::string w; fields >> w;) f.push_back(w);
      if (f.size() >= 3 && f[f.size() - 1] == name && f[f.size() - 2] == version && line.find(".text") != std::string::npos) {
        return true;
      }
    }
    return false;
  };
  EXPECT_TRUE(exported("GOMP_4.0", "GOMP_parallel")) << output;
  EXPECT_TRUE(exported("GOMP_4.0", "GOMP_parallel_sections")) << output;
  EXPECT_TRUE(exported("GOMP_1.0", "GOMP_sections_next")) << output;
  EXPECT_TRUE(exported("GOMP_1.0", "GOMP_sections_end_nowait")) << output;
}

}  // namespace
