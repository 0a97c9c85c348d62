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

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>

namespace dossier::server {

struct AdmissionLimits {
  size_t max_active = 0;   // queries computed at once; 0: twice the number of cores
  size_t max_waiting = 64;  // queries waiting for a turn beyond them
  std::chrono::milliseconds max_wait{2000};  // how long one may wait
};

class QueryAdmission {
 public:
  explicit QueryAdmission(AdmissionLimits limits);
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
  // and the reason when refused.
  Turn Enter(Refusal* refusal);

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

  // A query waiting in line: a freed turn is handed to the head of the line
  // alone (its `granted` set, its `cv` notified). A condition variable all
  // waiters shared, notified to all at every freed turn, woke every waiting
  // thread to find one at the head: 61 context switches a query with 32
  // clients (8.6 with one notified), and 15-30 % fewer requests a second
  // (docs/BENCHMARKS.md, "stop 41"). Leave notifies after releasing the
  // lock, so the woken thread does not at once block on it again (5.1-6.2
  // to 3.9-4.4 switches a request, the worker's wake-up included, in five
  // alternating pairs: "stop 56"); the
  // waiter is shared so that it outlives a waiting thread that saw
  // `granted` (a spurious wake, its wait's end) before the notification.
  struct Waiter {
    std::condition_variable cv;
    bool granted = false;
  };

  AdmissionLimits limits_;
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<Waiter>> line_;  // the waiting queries, first come first
  Counters counters_;
};

}  // namespace dossier::server
