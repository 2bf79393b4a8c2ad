#ifndef DOJOBBER_CORE_RUN_BOOKS_H_
#define DOJOBBER_CORE_RUN_BOOKS_H_

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::core {

/// What follows a try, as RunBooks::EndTry decides it.
struct TryVerdict {
  /// The job is finished for this run: it succeeded, has no tries left, or
  /// this is a dry run (one try each).
  bool done = true;
  /// When not done: the earliest start of the job's next try (the start of
  /// this try plus the job's retry delay).
  Clock::TimePoint retry_at{};
};

/// The books of a run: each job's status, tries used, the start of its last
/// try, and how many of its dependencies have not succeeded yet. It owns the
/// retry decision (EndTry). No I/O, no threads, no job code: schedulers ask
/// it questions, tell it outcomes, and only wait and dispatch.
class RunBooks {
 public:
  /// `no_act`: a dry run, in which no job is retried.
  explicit RunBooks(const Graph& graph, bool no_act = false);

  /// All of the job's dependencies have succeeded.
  bool DepsSucceeded(JobId id) const { return unmet_deps_[id] == 0; }
  bool Succeeded(JobId id) const { return core::Succeeded(status_[id]); }
  JobStatus status(JobId id) const { return status_[id]; }
  int tries_used(JobId id) const { return tries_used_[id]; }
  bool HasTriesLeft(JobId id) const { return tries_used_[id] < graph_.tries(id); }
  /// The job's last try failed and it gets no other in this run: it has no
  /// tries left, or this is a dry run (one try each).
  bool FailedForGood(JobId id) const {
    return status_[id] == JobStatus::kFailed && (no_act_ || !HasTriesLeft(id));
  }
  bool no_act() const { return no_act_; }
  /// When the job's last try started.
  Clock::TimePoint last_start(JobId id) const { return last_start_[id]; }
  /// When the job's retry delay since its last try has passed.
  Clock::TimePoint NextTryAt(JobId id) const;
  bool AllSucceeded() const { return succeeded_ == status_.size(); }

  /// Records that a try of `id` starts at `now`.
  void BeginTry(JobId id, Clock::TimePoint now);
  /// Records how that try ended (kOk, kChanged or kFailed) and decides what
  /// follows: done, or another try at the time the verdict names.
  TryVerdict EndTry(JobId id, JobStatus outcome);

  /// The status to report: a job never tried is blocked.
  JobStatus FinalStatus(JobId id) const;

 private:
  const Graph& graph_;
  const bool no_act_;
  std::vector<std::uint32_t> unmet_deps_;
  std::vector<int> tries_used_;
  std::vector<JobStatus> status_;
  std::vector<Clock::TimePoint> last_start_;
  std::size_t succeeded_ = 0;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RUN_BOOKS_H_
