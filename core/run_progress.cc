#include "core/run_progress.h"

#include <algorithm>

namespace dojobber::core {

RunProgress::RunProgress(const Graph& graph, Clock& clock, const std::stop_token& stop,
                         double stop_grace_seconds)
    : graph_(graph),
      clock_(clock),
      started_(clock.Now()),
      stop_grace_seconds_(stop_grace_seconds),
      settled_(graph.size(), Settled::kNo),
      on_stop_(stop, std::function<void()>([this] {
                 const Clock::TimePoint now = clock_.Now();
                 std::lock_guard lock(mutex_);
                 if (!stopped_at_) stopped_at_ = now;
               })) {}

void RunProgress::OnTryStart(const TryStartEvent& event) {
  std::lock_guard lock(mutex_);
  running_.push_back({event.job, event.at});
  if (retry_at_.empty()) return;  // The usual case: no lookup.
  if (auto waited = retry_at_.find(event.job); waited != retry_at_.end()) {
    retries_.erase({waited->second, event.job});
    retry_at_.erase(waited);
  }
}

void RunProgress::OnTryEnd(const TryEndEvent& event) {
  std::lock_guard lock(mutex_);
  // At most one try per job runs at a time, and few run at once: a search
  // from the oldest end is quick.
  auto found = std::find_if(running_.begin(), running_.end(),
                            [&](const RunningTry& entry) { return entry.job == event.job; });
  if (found != running_.end()) running_.erase(found);
  if (!event.done) {
    retries_.emplace(event.retry_at, event.job);
    retry_at_[event.job] = event.retry_at;
    return;
  }
  if (settled_[event.job] != Settled::kNo) return;  // Booked once; never twice.
  settled_[event.job] = Settled::kTried;
  ++settled_count_;
  ++tried_count_;
  if (event.outcome == JobStatus::kFailed) {
    ++failed_;
    MarkBlocked(event.job);
  }
}

void RunProgress::MarkBlocked(JobId failed) {
  std::vector<JobId> todo(graph_.dependents(failed).begin(), graph_.dependents(failed).end());
  while (!todo.empty()) {
    const JobId id = todo.back();
    todo.pop_back();
    if (settled_[id] != Settled::kNo) continue;  // Blocked by an earlier failure already.
    settled_[id] = Settled::kBlocked;
    ++settled_count_;
    ++blocked_;
    for (JobId dependent : graph_.dependents(id)) todo.push_back(dependent);
  }
}

ProgressSnapshot RunProgress::Snapshot(std::size_t max_names) const {
  const Clock::TimePoint now = clock_.Now();
  ProgressSnapshot shot;
  std::lock_guard lock(mutex_);
  shot.total = graph_.size();
  shot.settled = settled_count_;
  shot.failed = failed_;
  shot.blocked = blocked_;
  shot.running = running_.size();
  for (std::size_t i = 0; i < running_.size() && i < max_names; ++i) {
    shot.running_names.push_back(graph_.name(running_[i].job));
  }
  shot.elapsed = std::max(0.0, DurationToSeconds(now - started_));
  shot.stopping = stopped_at_.has_value();
  if (shot.stopping) {
    // Retries are cut short by a stop: none is waited for any more.
    if (stop_grace_seconds_ > 0) {
      shot.grace_left = std::max(0.0, stop_grace_seconds_ - DurationToSeconds(now - *stopped_at_));
    }
    return shot;
  }
  shot.retry_waiting = retries_.size();
  if (!retries_.empty()) {
    shot.next_retry_in = std::max(0.0, DurationToSeconds(retries_.begin()->first - now));
  }
  if (tried_count_ > 0 && settled_count_ < shot.total) {
    shot.left = shot.elapsed / static_cast<double>(tried_count_) *
                static_cast<double>(shot.total - settled_count_);
  }
  return shot;
}

}  // namespace dojobber::core
