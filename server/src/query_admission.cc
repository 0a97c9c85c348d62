// QueryAdmission: a bounded number of queries computed at once, a bounded
// line of waiting ones (query_admission.h).
#include "query_admission.h"

#include "futex.h"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <thread>

namespace dossier::server {

QueryAdmission::QueryAdmission(AdmissionLimits limits) : limits_(limits) {
  // One a core. With the queries that waited computed by these threads
  // (Run) and the index read from memory (mapped_index_reads.h), a query
  // seldom waits; twice the cores (the default until stop 63) shared each
  // core between two queries, and a long one took twice as long: p99 with
  // 32 clients was 7-9 % higher for 2-3 % more requests a second
  // (docs/HTTP_API.md, "Load"; docs/BENCHMARKS.md, "Stop 63").
  if (limits_.max_active == 0) limits_.max_active = std::max(1u, std::thread::hardware_concurrency());
  computing_.reserve(limits_.max_active);
  for (size_t i = 0; i < limits_.max_active; ++i) {
    std::thread& thread = computing_.emplace_back([this] { ComputeLoop(); });
    ::pthread_setname_np(thread.native_handle(), "dossierd-query");  // (top -H, perf)
  }
}

QueryAdmission::~QueryAdmission() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  compute_cv_.notify_all();
  for (std::thread& thread : computing_) thread.join();
}

void QueryAdmission::ComputeLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    // (The queries handed over are run before stopping: each one's caller waits for it.)
    compute_cv_.wait(lock, [this] { return stopping_ || !to_compute_.empty(); });
    if (to_compute_.empty()) return;
    const std::shared_ptr<Waiter> next = std::move(to_compute_.front());
    to_compute_.pop_front();
    lock.unlock();
    try {
      (*next->query)();
    } catch (...) {
      next->error = std::current_exception();
    }
    lock.lock();
    // The turn goes to the next in line. A query for Run is handed to these
    // threads, and this one takes it itself, without waking another.
    bool handed_over = false;  // (this thread takes it next)
    const std::shared_ptr<Waiter> granted = PassTurnLocked(&handed_over);
    lock.unlock();
    // Its caller sends the answer (`next` keeps the waiter alive; `error`
    // is seen with kDone).
    next->state.store(kDone, std::memory_order_release);
    FutexWakeOne(&next->state);
    if (granted) FutexWakeOne(&granted->state);
    lock.lock();
  }
}

QueryAdmission::Entry QueryAdmission::EnterLocked(std::unique_lock<std::mutex>& lock, const std::function<void()>* query,
                                                  std::shared_ptr<Waiter>* waiter, Refusal* refusal) {
  *refusal = Refusal::kNone;
  if (counters_.active < limits_.max_active && line_.empty()) {
    ++counters_.active;
    ++counters_.admitted;
    return Entry::kAtOnce;
  }
  if (line_.size() >= limits_.max_waiting) {
    ++counters_.refused_queue_full;
    *refusal = Refusal::kQueueFull;
    return Entry::kRefused;
  }
  // First come, first served: a freed turn is handed to the head of the line
  // (PassTurnLocked), which counts it active for this query.
  std::shared_ptr<Waiter>& self = *waiter = std::make_shared<Waiter>();
  self->query = query;
  line_.push_back(self);
  counters_.waiting = line_.size();
  // Waits without the lock, on the waiter's own state (see Waiter).
  lock.unlock();
  const auto deadline = std::chrono::steady_clock::now() + limits_.max_wait;
  for (;;) {
    if (self->state.load(std::memory_order_acquire) != kWaiting) return Entry::kGranted;  // out of the line
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) break;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
    const timespec timeout{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    FutexWait(&self->state, kWaiting, &timeout);
  }
  // Its wait is over, unless the turn came meanwhile (state is set under the lock).
  lock.lock();
  if (self->state.load(std::memory_order_acquire) != kWaiting) return Entry::kGranted;
  line_.erase(std::find(line_.begin(), line_.end(), self));
  counters_.waiting = line_.size();
  ++counters_.refused_waited_too_long;
  *refusal = Refusal::kWaitedTooLong;
  return Entry::kRefused;
}

bool QueryAdmission::Run(const std::function<void()>& query, Refusal* refusal) {
  std::unique_lock<std::mutex> lock(mutex_);
  std::shared_ptr<Waiter> self;
  switch (EnterLocked(lock, &query, &self, refusal)) {
    case Entry::kRefused:
      return false;
    case Entry::kAtOnce: {
      lock.unlock();
      Turn turn(this);  // given back however `query` ends
      query();
      return true;
    }
    case Entry::kGranted:
      break;
  }
  if (lock.owns_lock()) lock.unlock();
  // Handed to the computing threads: until it has run, however long that takes.
  for (uint32_t state; (state = self->state.load(std::memory_order_acquire)) != kDone;) {
    FutexWait(&self->state, state, nullptr);
  }
  if (self->error) std::rethrow_exception(self->error);
  return true;
}

QueryAdmission::Turn& QueryAdmission::Turn::operator=(Turn&& other) noexcept {
  if (this != &other) {
    if (owner_) owner_->Leave();
    owner_ = other.owner_;
    other.owner_ = nullptr;
  }
  return *this;
}

QueryAdmission::Turn::~Turn() {
  if (owner_) owner_->Leave();
}

QueryAdmission::Turn QueryAdmission::Enter(Refusal* refusal) {
  std::unique_lock<std::mutex> lock(mutex_);
  std::shared_ptr<Waiter> self;
  return EnterLocked(lock, nullptr, &self, refusal) == Entry::kRefused ? Turn() : Turn(this);
}

std::shared_ptr<QueryAdmission::Waiter> QueryAdmission::PassTurnLocked(bool* handed_over) {
  *handed_over = false;
  --counters_.active;
  if (line_.empty() || counters_.active >= limits_.max_active) return nullptr;
  std::shared_ptr<Waiter> next = std::move(line_.front());
  line_.pop_front();
  counters_.waiting = line_.size();
  ++counters_.active;
  ++counters_.admitted;
  next->state.store(kGranted, std::memory_order_release);
  if (next->query == nullptr) return next;
  // Run's: computed by the computing threads, in the turn it now holds.
  to_compute_.push_back(std::move(next));
  *handed_over = true;
  return nullptr;
}

void QueryAdmission::Leave() {
  std::shared_ptr<Waiter> granted;
  bool handed_over = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    granted = PassTurnLocked(&handed_over);
  }
  // (Notified after the lock is released; `granted` is kept alive by this
  // reference, whether or not its thread still waits.)
  if (granted) FutexWakeOne(&granted->state);
  if (handed_over) compute_cv_.notify_one();
}

QueryAdmission::Counters QueryAdmission::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

}  // namespace dossier::server
