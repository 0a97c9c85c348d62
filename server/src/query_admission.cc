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
  const uint64_t ticket = next_ticket_++;
  line_.push_back(ticket);
  counters_.waiting = line_.size();
  // First come, first served: a turn goes to the head of the line.
  const bool turn = turn_free_.wait_for(lock, limits_.max_wait, [&] {
    return counters_.active < limits_.max_active && line_.front() == ticket;
  });
  line_.erase(std::find(line_.begin(), line_.end(), ticket));
  counters_.waiting = line_.size();
  if (!turn) {
    ++counters_.refused_waited_too_long;
    *refusal = Refusal::kWaitedTooLong;
    turn_free_.notify_all();  // the next in line may now be at the head
    return Turn();
  }
  ++counters_.active;
  ++counters_.admitted;
  turn_free_.notify_all();  // a second free turn goes to the next in line
  return Turn(this);
}

void QueryAdmission::Leave() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --counters_.active;
  }
  turn_free_.notify_all();
}

QueryAdmission::Counters QueryAdmission::counters() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counters_;
}

}  // namespace dossier::server
