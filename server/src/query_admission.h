// QueryAdmission: how many queries dossierd computes at once, and how many
// may wait for a turn (docs/HTTP_API.md, "Load").
//
// The worker pool answers up to --threads requests at once, but a computed
// query (one the response cache did not answer) is CPU work: more of them
// at once than there are cores only share the cores, so each takes longer
// and every client's latency grows without bound as load grows. Here at most
// `max_active` are computed at once; up to `max_waiting` more wait in order
// of arrival, each at most `max_wait`. A query that finds the queue full, or
// waits longer, is refused: dossierd answers 503 with Retry-After, which a
// client can act on, instead of an answer that arrives too late to matter.
// Answers from the cache, /health, /ready and /openapi.json are not queries.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace dossier::server {

struct AdmissionLimits {
  size_t max_active = 0;   // queries computed at once; 0: the number of cores
  size_t max_waiting = 64;  // queries waiting for a turn beyond them
  std::chrono::milliseconds max_wait{2000};  // how long one may wait
};

class QueryAdmission {
 public:
  // Starts the admission's computing threads (`max_active` of them, see Run).
  explicit QueryAdmission(AdmissionLimits limits);
  // Stops them, once the queries they were given have run.
  ~QueryAdmission();
  QueryAdmission(const QueryAdmission&) = delete;
  QueryAdmission& operator=(const QueryAdmission&) = delete;

  // A turn: held while a query is computed, given back when it goes.
  class Turn {
   public:
    Turn() = default;
    explicit Turn(QueryAdmission* owner) : owner_(owner) {}
    Turn(Turn&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Turn& operator=(Turn&& other) noexcept;
    ~Turn();
    bool admitted() const { return owner_ != nullptr; }

   private:
    QueryAdmission* owner_ = nullptr;
  };

  enum class Refusal { kNone, kQueueFull, kWaitedTooLong };
  // Takes a turn, waiting in line for one when all are taken; an empty Turn
  // and the reason when refused. The caller computes in the turn.
  Turn Enter(Refusal* refusal);

  // Computes `query` in a turn and returns true once it has run, or false
  // (and the reason) when refused; what `query` throws is thrown here. With
  // a turn free and nobody waiting, `query` runs at once on the calling
  // thread. Otherwise it waits in the same line as Enter, and when its turn
  // comes it runs on one of the admission's own computing threads (as many
  // as turns) while the caller waits for it to end. Under load the line is
  // never empty, so the queries are computed by those few threads, one
  // after another, rather than each on the worker that took its request:
  // a worker that waited for a turn came to it with cold caches (its
  // allocator's, the CPU's, the stem memos of snippet.cc), and 32 clients
  // kept some 30 workers in line. With the threads, a search took 7-11 %
  // less CPU on 626 real PDFs and p99 with 32 clients was 13-18 % lower
  // (docs/BENCHMARKS.md, "Stop 63"): most of what --threads 4 gave, without
  // queries waiting in the connection queue.
  // Each turn still wakes one thread: the worker whose query has run, to
  // send its answer (before, the worker at the head of the line, to compute).
  // That worker sleeps on a futex of its own and returns without the
  // admission's lock (Waiter).
  bool Run(const std::function<void()>& query, Refusal* refusal);

  struct Counters {
    size_t active = 0;
    size_t waiting = 0;
    uint64_t admitted = 0;
    uint64_t refused_queue_full = 0;
    uint64_t refused_waited_too_long = 0;
  };
  Counters counters() const;
  const AdmissionLimits& limits() const { return limits_; }

 private:
  void Leave();
  // Under mutex_: gives back a turn, and hands it to the head of the line if
  // any (counted active for it): the waiter to notify for Enter's; none for
  // Run's, added to to_compute_ (`*handed_over` true), or when nobody waits.
  struct Waiter;
  std::shared_ptr<Waiter> PassTurnLocked(bool* handed_over);
  // Under `lock`: a turn at once, or in the line until one is handed over
  // (`*waiter`, with Run's `query` or none for Enter), or refused. The line
  // is waited in without the lock: kGranted may come back with `lock`
  // released (kAtOnce and kRefused hold it).
  enum class Entry { kAtOnce, kGranted, kRefused };
  Entry EnterLocked(std::unique_lock<std::mutex>& lock, const std::function<void()>* query,
                    std::shared_ptr<Waiter>* waiter, Refusal* refusal);
  // A computing thread: runs the queries handed to it (`to_compute`), each
  // in the turn Leave handed it, until the admission stops.
  void ComputeLoop();

  // A query waiting in line: a freed turn is handed to the head of the line
  // alone (its `state` set to kGranted; an Enter's waiter is woken, a Run's
  // query goes to the computing threads instead, which set kDone and wake
  // the waiter once it has run). A condition variable all waiters shared,
  // notified to all at every freed turn, woke every waiting thread to find
  // one at the head: 61 context switches a query with 32 clients (8.6 with
  // one notified), and 15-30 % fewer requests a second (docs/BENCHMARKS.md,
  // "stop 41"). A waiter sleeps on its own `state` (a futex), not on a
  // condition variable of `mutex_`: woken, it returns without taking the
  // lock, which the thread that woke it, or another, often held then (the
  // unlock had a waiter to wake about once a request under load: "Stop
  // 64"). The waiter is shared so that it outlives a waiting
  // thread that saw its state change before the wake-up.
  enum State : uint32_t { kWaiting = 0, kGranted = 1, kDone = 2 };
  struct Waiter {
    std::atomic<uint32_t> state{kWaiting};  // kGranted under mutex_; kDone by the computing thread
    // Run's: the query, and what it threw (set before kDone).
    const std::function<void()>* query = nullptr;
    std::exception_ptr error;
  };
  AdmissionLimits limits_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<Waiter>> line_;  // the waiting queries, first come first
  Counters counters_;
  // Run's queries whose turn has come, for the computing threads.
  std::deque<std::shared_ptr<Waiter>> to_compute_;
  std::condition_variable compute_cv_;  // to_compute_ has a query, or stopping_
  bool stopping_ = false;
  std::vector<std::thread> computing_;
};

}  // namespace dossier::server
