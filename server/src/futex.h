// Futex waits and wake-ups on a 32-bit atomic word, for the server's
// threads that sleep on a word of their own (the gate's idle workers,
// the admission's waiting queries). Private to the process.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <ctime>

namespace dossier::server {

// Sleeps while `*word` holds `expected`, at most `timeout` (nullptr: no
// limit). It may return early (a wake-up meant for an earlier value, a
// signal, the timeout): the caller looks at the word again.
inline void FutexWait(std::atomic<uint32_t>* word, uint32_t expected, const timespec* timeout = nullptr) {
  static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t) && std::atomic<uint32_t>::is_always_lock_free);
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_PRIVATE, expected, timeout, nullptr, 0);
}

// Wakes one thread asleep on `*word`, if any.
inline void FutexWakeOne(std::atomic<uint32_t>* word) {
  ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

}  // namespace dossier::server
