#ifndef DOJOBBER_CORE_PLAN_H_
#define DOJOBBER_CORE_PLAN_H_

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::core {

/// The books of a run: each job's status, tries used, the start of its last
/// try, and how many of its dependencies have not succeeded yet. No I/O, no
/// threads, no job code: schedulers ask it questions and tell it outcomes.
class Plan {
 public:
  explicit Plan(const Graph& graph);

  /// All of the job's dependencies have succeeded.
  bool DepsSucceeded(JobId id) const { return unmet_deps_[id] == 0; }
  bool Succeeded(JobId id) const { return core::Succeeded(status_[id]); }
  JobStatus status(JobId id) const { return status_[id]; }
  int tries_used(JobId id) const { return tries_used_[id]; }
  bool HasTriesLeft(JobId id) const { return tries_used_[id] < graph_.tries(id); }
  /// When the job's last try started.
  Clock::TimePoint last_start(JobId id) const { return last_start_[id]; }
  /// When the job's retry delay since its last try has passed.
  Clock::TimePoint NextTryAt(JobId id) const;
  bool AllSucceeded() const { return succeeded_ == status_.size(); }

  /// Records that a try of `id` starts at `now`.
  void BeginTry(JobId id, Clock::TimePoint now);
  /// Records how that try ended: kOk, kChanged or kFailed.
  void EndTry(JobId id, JobStatus outcome);

  /// The status to report: a job never tried is blocked.
  JobStatus FinalStatus(JobId id) const;

 private:
  const Graph& graph_;
  std::vector<std::uint32_t> unmet_deps_;
  std::vector<int> tries_used_;
  std::vector<JobStatus> status_;
  std::vector<Clock::TimePoint> last_start_;
  std::size_t succeeded_ = 0;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_PLAN_H_
