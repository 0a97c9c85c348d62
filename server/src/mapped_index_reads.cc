#include "mapped_index_reads.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace dossier::server {
namespace {

// One mapping of a table file, from its first byte.
struct Span {
  const char* base = nullptr;
  size_t length = 0;
};

// A mapped table file, shared by every descriptor that reads it.
struct MappedFile {
  dev_t device = 0;
  ino_t inode = 0;
  // The longest mapping; each mapping made lives as long as the file (a
  // reader may still copy from an older one when a longer one is made).
  std::atomic<const Span*> current{nullptr};
  std::vector<std::unique_ptr<Span>> spans;  // under Registry::mutex
  size_t descriptors = 0;                    // under Registry::mutex
  // When a read past the mapping may next look whether the file has grown.
  std::atomic<int64_t> next_growth_check_ns{0};
};

// Descriptors past this are read with pread() (dossierd's stores and
// connections use far fewer).
constexpr int kSlots = 1 << 16;
// A slot: nullptr (not looked at since its last close), kNotMapped, or the
// file it reads.
MappedFile* const kNotMapped = reinterpret_cast<MappedFile*>(uintptr_t{1});
std::atomic<MappedFile*> g_slots[kSlots];  // zero-initialised before any code runs
std::atomic<bool> g_enabled{false};
std::atomic<uint64_t> g_mapped_reads{0}, g_unmapped_reads{0}, g_hints_dropped{0};
// A file grown by at least this share of its mapping is mapped again.
constexpr size_t kRemapGrowthDivisor = 8;
constexpr int64_t kGrowthCheckIntervalNs = 1000 * 1000 * 1000;

struct Registry {
  std::mutex mutex;
  std::map<std::pair<dev_t, ino_t>, MappedFile*> files;
  std::vector<std::string> folders;  // real paths, each ending in '/'; set before g_enabled
  uint64_t max_bytes = 0;            // what the mappings may add up to
  uint64_t bytes_mapped = 0;
};
Registry& TheRegistry() {
  static Registry* registry = new Registry;  // never destroyed: closes may come after exit's destructors
  return *registry;
}

template <typename Fn>
Fn Next(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}
using PreadFn = ssize_t (*)(int, void*, size_t, off_t);
using CloseFn = int (*)(int);
using Dup2Fn = int (*)(int, int);
using Dup3Fn = int (*)(int, int, int);
using FadviseFn = int (*)(int, off_t, off_t, int);

ssize_t SystemPread(int fd, void* buf, size_t count, off_t offset) {
  static const PreadFn next = Next<PreadFn>("pread");
  if (next != nullptr) return next(fd, buf, count, offset);
  return static_cast<ssize_t>(::syscall(SYS_pread64, fd, buf, count, offset));
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Whether `path` names a Xapian table file under an enabled folder (under
// Registry::mutex).
bool IsIndexFile(const char* path, size_t length) {
  static constexpr char kTableSuffix[] = ".glass";
  const size_t suffix = sizeof(kTableSuffix) - 1;
  if (length <= suffix || std::memcmp(path + length - suffix, kTableSuffix, suffix) != 0) return false;
  for (const std::string& folder : TheRegistry().folders) {
    if (length > folder.size() && std::memcmp(path, folder.data(), folder.size()) == 0) return true;
  }
  return false;
}

// Maps `length` bytes of `fd` (read-only, shared); nullptr when it cannot.
std::unique_ptr<Span> MapSpan(int fd, size_t length) {
  void* at = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
  if (at == MAP_FAILED) return nullptr;
  auto span = std::make_unique<Span>();
  span->base = static_cast<const char*>(at);
  span->length = length;
  return span;
}

// One descriptor fewer reads `file`; its mappings go with the last.
void Release(MappedFile* file) {
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  if (--file->descriptors > 0) return;
  registry.files.erase({file->device, file->inode});
  for (const std::unique_ptr<Span>& span : file->spans) {
    ::munmap(const_cast<char*>(span->base), span->length);
    registry.bytes_mapped -= span->length;
  }
  delete file;
}

// The file `fd` reads, mapped, when it is an index file; else kNotMapped.
MappedFile* MapIndexFile(int fd) {
  char link[32];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  char path[PATH_MAX];
  const ssize_t length = ::readlink(link, path, sizeof path);
  if (length <= 0 || static_cast<size_t>(length) >= sizeof path) return kNotMapped;
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  if (!IsIndexFile(path, static_cast<size_t>(length))) return kNotMapped;
  struct stat about {};
  if (::fstat(fd, &about) != 0 || !S_ISREG(about.st_mode) || about.st_size <= 0) return kNotMapped;
  if (auto known = registry.files.find({about.st_dev, about.st_ino}); known != registry.files.end()) {
    ++known->second->descriptors;
    return known->second;
  }
  if (registry.bytes_mapped + static_cast<uint64_t>(about.st_size) > registry.max_bytes) return kNotMapped;
  std::unique_ptr<Span> span = MapSpan(fd, static_cast<size_t>(about.st_size));
  if (!span) return kNotMapped;
  auto* file = new MappedFile;
  file->device = about.st_dev;
  file->inode = about.st_ino;
  file->current.store(span.get(), std::memory_order_release);
  registry.bytes_mapped += span->length;
  file->spans.push_back(std::move(span));
  file->descriptors = 1;
  registry.files.emplace(std::make_pair(about.st_dev, about.st_ino), file);
  return file;
}

// What slot `fd` holds, looked at now if it was not yet.
MappedFile* FileOf(int fd) {
  MappedFile* held = g_slots[fd].load(std::memory_order_acquire);
  if (held != nullptr) return held;
  MappedFile* found = kNotMapped;
  try {
    found = MapIndexFile(fd);
  } catch (...) {  // out of memory: the kernel reads it
  }
  // Another thread reading the same descriptor may have looked meanwhile.
  MappedFile* expected = nullptr;
  if (!g_slots[fd].compare_exchange_strong(expected, found, std::memory_order_acq_rel)) {
    if (found != kNotMapped) Release(found);
    return expected;
  }
  return found;
}

// A read up to `end` found `file` shorter: maps it again when it has grown
// enough (looking at most once a second). True when the mapping is longer.
bool MapGrownFile(int fd, MappedFile* file, uint64_t end) {
  const int64_t now = NowNs();
  int64_t next = file->next_growth_check_ns.load(std::memory_order_relaxed);
  if (now < next ||
      !file->next_growth_check_ns.compare_exchange_strong(next, now + kGrowthCheckIntervalNs, std::memory_order_relaxed)) {
    return false;
  }
  struct stat about {};
  if (::fstat(fd, &about) != 0 || about.st_size <= 0 || static_cast<uint64_t>(about.st_size) < end) return false;
  const size_t size = static_cast<size_t>(about.st_size);
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  const Span* current = file->current.load(std::memory_order_acquire);
  if (size <= current->length || size - current->length < current->length / kRemapGrowthDivisor) return false;
  if (registry.bytes_mapped + size > registry.max_bytes) return false;
  std::unique_ptr<Span> span = MapSpan(fd, size);
  if (!span) return false;
  file->current.store(span.get(), std::memory_order_release);
  registry.bytes_mapped += span->length;
  file->spans.push_back(std::move(span));
  return true;
}

// Forgets what `fd` read (it is about to be closed or replaced).
void Forget(int fd) {
  if (fd < 0 || fd >= kSlots) return;
  MappedFile* held = g_slots[fd].exchange(nullptr, std::memory_order_acq_rel);
  if (held != nullptr && held != kNotMapped) Release(held);
}

// Whether a hint that `fd`'s bytes will be read soon (POSIX_FADV_WILLNEED)
// has nothing left to do: the descriptor's file is mapped, and its reads
// copy from the mapping (a page not in memory yet is read when touched, as
// the kernel reads ahead for a mapping). True only once enabled.
bool DropsReadHint(int fd) {
  if (!g_enabled.load(std::memory_order_acquire) || fd < 0 || fd >= kSlots) return false;
  if (FileOf(fd) == kNotMapped) return false;
  g_hints_dropped.fetch_add(1, std::memory_order_relaxed);
  return true;
}

// posix_fadvise() as dossierd's executable answers it: a read hint for a
// mapped file dropped, anything else glibc's.
int Advise(int fd, off_t offset, off_t length, int advice) {
  if (advice == POSIX_FADV_WILLNEED && DropsReadHint(fd)) return 0;
  static const FadviseFn next = Next<FadviseFn>("posix_fadvise");
  if (next != nullptr) return next(fd, offset, length, advice);
  return ::syscall(SYS_fadvise64, fd, offset, length, advice) == 0 ? 0 : errno;
}

ssize_t Read(int fd, void* buf, size_t count, off_t offset) {
  if (!g_enabled.load(std::memory_order_acquire) || fd < 0 || fd >= kSlots || offset < 0) {
    return SystemPread(fd, buf, count, offset);
  }
  MappedFile* file = FileOf(fd);
  if (file == kNotMapped) return SystemPread(fd, buf, count, offset);
  const uint64_t start = static_cast<uint64_t>(offset);
  for (bool grown = false;; grown = true) {
    const Span* span = file->current.load(std::memory_order_acquire);
    if (count <= span->length && start <= span->length - count) {
      std::memcpy(buf, span->base + start, count);
      g_mapped_reads.fetch_add(1, std::memory_order_relaxed);
      return static_cast<ssize_t>(count);
    }
    bool longer = false;
    try {
      longer = !grown && MapGrownFile(fd, file, start + count);
    } catch (...) {  // out of memory: the kernel reads it
    }
    if (!longer) break;
  }
  g_unmapped_reads.fetch_add(1, std::memory_order_relaxed);
  return SystemPread(fd, buf, count, offset);
}

}  // namespace

bool EnableMappedIndexReads(const std::vector<std::string>& folders, uint64_t max_bytes, std::string* error) {
  std::vector<std::string> resolved;
  for (const std::string& folder : folders) {
    // The real path of what exists of it (dossierd may start before its
    // data folder is made): /proc/self/fd names files by their real paths.
    std::error_code failed;
    std::string path = std::filesystem::weakly_canonical(std::filesystem::absolute(folder, failed), failed).string();
    if (failed) {
      *error = folder + ": " + failed.message();
      return false;
    }
    if (path.empty() || path.back() != '/') path += '/';
    resolved.push_back(std::move(path));
  }
  Registry& registry = TheRegistry();
  {
    std::lock_guard<std::mutex> lock(registry.mutex);
    registry.folders = std::move(resolved);
    registry.max_bytes = max_bytes;
  }
  g_enabled.store(true, std::memory_order_release);
  return true;
}

MappedIndexReadCounters MappedIndexReads() {
  MappedIndexReadCounters counters;
  counters.mapped_reads = g_mapped_reads.load(std::memory_order_relaxed);
  counters.unmapped_reads = g_unmapped_reads.load(std::memory_order_relaxed);
  counters.read_hints_dropped = g_hints_dropped.load(std::memory_order_relaxed);
  Registry& registry = TheRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  counters.files_mapped = registry.files.size();
  counters.bytes_mapped = registry.bytes_mapped;
  return counters;
}

}  // namespace dossier::server

// The calls the shared libraries make, in place of glibc's (the header says
// why). Each does what glibc's does; a read may be answered from a mapping.
extern "C" {

__attribute__((visibility("default"))) ssize_t pread(int fd, void* buf, size_t count, off_t offset) {
  return dossier::server::Read(fd, buf, count, offset);
}

__attribute__((visibility("default"))) ssize_t pread64(int fd, void* buf, size_t count, off_t offset) {
  return dossier::server::Read(fd, buf, count, offset);
}

// Xapian hints that it will read a block soon (POSIX_FADV_WILLNEED, about
// 2.5 a search on 10,000 generated documents): one system call each, for a
// file whose reads come from its mapping.
__attribute__((visibility("default"))) int posix_fadvise(int fd, off_t offset, off_t length, int advice) noexcept {
  return dossier::server::Advise(fd, offset, length, advice);
}

__attribute__((visibility("default"))) int posix_fadvise64(int fd, off_t offset, off_t length, int advice) noexcept {
  return dossier::server::Advise(fd, offset, length, advice);
}

__attribute__((visibility("default"))) int close(int fd) {
  static const dossier::server::CloseFn next = dossier::server::Next<dossier::server::CloseFn>("close");
  dossier::server::Forget(fd);
  if (next != nullptr) return next(fd);
  return static_cast<int>(::syscall(SYS_close, fd));
}

__attribute__((visibility("default"))) int dup2(int fd, int to) noexcept {
  static const dossier::server::Dup2Fn next = dossier::server::Next<dossier::server::Dup2Fn>("dup2");
  if (fd != to) dossier::server::Forget(to);
  if (next != nullptr) return next(fd, to);
  if (fd == to) return ::fcntl(fd, F_GETFD) < 0 ? -1 : to;
  return static_cast<int>(::syscall(SYS_dup3, fd, to, 0));
}

__attribute__((visibility("default"))) int dup3(int fd, int to, int flags) noexcept {
  static const dossier::server::Dup3Fn next = dossier::server::Next<dossier::server::Dup3Fn>("dup3");
  if (fd != to) dossier::server::Forget(to);
  if (next != nullptr) return next(fd, to, flags);
  return static_cast<int>(::syscall(SYS_dup3, fd, to, flags));
}

}  // extern "C"
