// OpenMP parallel regions without a team while OpenMP is limited to one thread.
//
// Debian's libtesseract is built with OpenMP: its LSTM opens a parallel
// region (`#pragma omp parallel ...`, compiled to GOMP_parallel and
// GOMP_parallel_sections) for every time step of every text line, about
// 200,000 regions for a page. Dossier limits OpenMP to one thread
// (OMP_THREAD_LIMIT=1: pages are read in parallel by worker processes, see
// PluginHost::LoadDirectory), yet libgomp still builds a team of one for each
// region and, leaving it, wakes the team's barrier with a futex system call
// that has no thread to wake. On the sample scans that cost 18 % of the OCR's
// CPU time (bench/ocr.sh; `strace -c` counts ~200,000 futex calls a page).
//
// The executables that OCR (dossier-worker, the tests, dossier_bench_ocr)
// link this file and export its functions (serial_openmp.map and .dynlist),
// so they take the place of libgomp's entry points for libraries loaded later.
// While the thread limit is 1, a region runs its body on the calling thread
// with no team around it: what libgomp's team of one would do, without the
// bookkeeping (worksharing inside sees a team of one, as for orphaned
// constructs; only omp_get_level() says 0 instead of 1). With any other
// limit every call goes on to libgomp unchanged.
#include <dlfcn.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace {

using ParallelFn = void (*)(void (*)(void*), void*, unsigned, unsigned);
using ParallelSectionsFn = void (*)(void (*)(void*), void*, unsigned, unsigned, unsigned);
using SectionsNextFn = unsigned (*)();
using VoidFn = void (*)();
using ThreadLimitFn = int (*)();

// libgomp's own function, from the copy the calling library loaded.
void* Libgomp(const char* name, const char* version) {
  void* lib = dlopen("libgomp.so.1", RTLD_LAZY | RTLD_NOLOAD);
  void* fn = lib != nullptr ? dlvsym(lib, name, version) : nullptr;
  if (lib != nullptr) dlclose(lib);  // only the reference NOLOAD took: the library stays
  return fn;
}

// -1: not decided yet; 1: regions run here; 0: regions go to libgomp.
std::atomic<int> g_serial{-1};

bool Serial() {
  int serial = g_serial.load(std::memory_order_acquire);
  if (serial < 0) {
    // libgomp read OMP_THREAD_LIMIT when it was loaded: ask it, so the
    // answer is the limit it would apply. Without libgomp (nothing to hand
    // the region to) the region runs here, as a team of one would.
    auto limit = reinterpret_cast<ThreadLimitFn>(Libgomp("omp_get_thread_limit", "OMP_3.0"));
    serial = limit == nullptr || limit() == 1 ? 1 : 0;
    g_serial.store(serial, std::memory_order_release);
  }
  return serial == 1;
}

template <typename Fn>
Fn Forward(std::atomic<void*>* cache, const char* name, const char* version) {
  void* fn = cache->load(std::memory_order_acquire);
  if (fn == nullptr) {
    fn = Libgomp(name, version);
    if (fn == nullptr) {
      std::fprintf(stderr, "dossier: libgomp has no %s@%s\n", name, version);
      std::abort();
    }
    cache->store(fn, std::memory_order_release);
  }
  return reinterpret_cast<Fn>(fn);
}

std::atomic<void*> g_parallel{nullptr}, g_parallel_sections{nullptr}, g_sections_next{nullptr},
    g_sections_end_nowait{nullptr};

// The sections of the serial `parallel sections` region the thread is in
// GOMP_sections_next hands them out in order.
struct SerialSections {
  bool active = false;
  unsigned next = 0;
  unsigned count = 0;
};
thread_local SerialSections t_sections;

}  // namespace

extern "C" {

__attribute__((visibility("default"))) void GOMP_parallel(void (*fn)(void*), void* data, unsigned num_threads,
                                                          unsigned flags) {
  if (!Serial()) {
    Forward<ParallelFn>(&g_parallel, "GOMP_parallel", "GOMP_4.0")(fn, data, num_threads, flags);
    return;
  }
  // A `sections` construct inside this region is not the enclosing region's.
  const SerialSections outer = t_sections;
  t_sections = {};
  fn(data);
  t_sections = outer;
}

__attribute__((visibility("default"))) void GOMP_parallel_sections(void (*fn)(void*), void* data,
                                                                   unsigned num_threads, unsigned count,
                                                                   unsigned flags) {
  if (!Serial()) {
    Forward<ParallelSectionsFn>(&g_parallel_sections, "GOMP_parallel_sections", "GOMP_4.0")(fn, data, num_threads,
                                                                                           count, flags);
    return;
  }
  const SerialSections outer = t_sections;
  t_sections = {true, 1, count};
  fn(data);
  t_sections = outer;
}

// Sections are numbered from 1; 0 says there are no more.
__attribute__((visibility("default"))) unsigned GOMP_sections_next() {
  if (!t_sections.active) {
    return Forward<SectionsNextFn>(&g_sections_next, "GOMP_sections_next", "GOMP_1.0")();
  }
  return t_sections.next <= t_sections.count ? t_sections.next++ : 0;
}

__attribute__((visibility("default"))) void GOMP_sections_end_nowait() {
  if (!t_sections.active) {
    Forward<VoidFn>(&g_sections_end_nowait, "GOMP_sections_end_nowait", "GOMP_1.0")();
    return;
  }
  t_sections.next = t_sections.count + 1;
}

}  // extern "C"
