// QueryAdmission: a bounded number of queries computed at once, a bounded
// line of waiting ones (query_admission.h).
#include "query_admission.h"

#include <algorithm>
#include <thread>

namespace dossier::server {

QueryAdmission::QueryAdmission(AdmissionLimits limits) : limits_(limits) {
  // Twice the cores: a query also waits (on reads, on a free index handle),
  // and a core should not idle meanwhile (docs/HTTP_API.md, "Load").
  if (limits_.max_active == 0) limits_.max_active = 2 * std::max(1u, std::thread::hardware_concurrency());
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
  *refusal = Refusal::kNone;
  std::unique_lock<std::mutex> lock(mutex_);
  if (counters_.active < limits_.max_active && line_.empty()) {
    ++counters_.active;
    ++counters_.admitted;
    return Turn(this);
  }
  if (line_.size() >= limits_.max_waiting) {
    ++counters_.refused_queue_full;
    *refusal = Refusal::kQueueFull;
    return Turn();
  }
  // First come, first served: a freed turn is handed to the head of the line
  // (Leave), which counts it active for this query.
  const std::shared_ptr<Waiter> self = std::make_shared<Waiter>();
  line_.push_back(self);
  counters_.waiting = line_.size();
  if (!self->cv.wait_for(lock, limits_.max_wait, [&self] { return self->granted; })) {
    line_.erase(std::find(line_.begin(), line_.end(), self));
    counters_.waiting = line_.size();
    ++counters_.refused_waited_too_long;
    *refusal = Refusal::kWaitedTooLong;
    return Turn();
  }
  return Turn(this);  // Leave took it out of the line
}

void QueryAdmission::Leave() {
  std::shared_ptr<Waiter> next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --counters_.active;
    if (line_.empty() || counters_.active >= limits_.max_active) return;
    next = std::move(line_.front());
    line_.pop_front();
    counters_.waiting = line_.size();
    ++counters_.active;
    ++counters_.admitted;
    next->granted = true;
  }
  next->cv.notify_one();  // `next` is kept alive by this reference, whether or not its thread still waits
}

QueryAdmission::Counters QueryAdmission::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

}  // namespace dossier::server
