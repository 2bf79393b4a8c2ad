#ifndef DOJOBBER_CORE_RUN_BOOKS_H_
#define DOJOBBER_CORE_RUN_BOOKS_H_

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/graph.h"
#include "core/retry_delay.h"
#include "core/run_observer.h"
#include "core/run_result.h"

namespace dojobber::core {

/// How a try ended, as far as the run books are concerned. Converts from a bare
/// status, for tries that cannot be fatal.
struct TryEnd {
  TryEnd(JobStatus outcome, bool fatal_failure = false)  // NOLINT: implicit on purpose.
      : status(outcome), fatal(fatal_failure) {}
  JobStatus status;  ///< kOk, kChanged or kFailed.
  bool fatal;        ///< Failed with dojobber::Fatal: no further try.
};

/// What follows a try, as RunBooks::EndTry decides it.
struct TryVerdict {
  /// The job is finished for this run: it succeeded, has no tries left, or
  /// this is a dry run (one try each).
  bool done = true;
  /// When not done: the earliest start of the job's next try (the start of
  /// this try plus the job's retry delay after it, core/retry_delay.h).
  Clock::TimePoint retry_at{};
};

/// The books of a run: each job's status, tries used, the start of its last
/// try, and how many of its dependencies have not succeeded yet. It owns the
/// retry decision (EndTry): whether a job is tried again and when, the one
/// place that computes a retry delay (backoff and jitter included). No I/O,
/// no threads, no job code: schedulers ask it questions, tell it outcomes,
/// and only wait and dispatch.
class RunBooks {
 public:
  /// `no_act`: a dry run, in which no job is retried. `seed`: where the
  /// retry jitter draws come from (JitterDraws). `tries`, when given, is told
  /// of every try's start and verdict as they are booked (from whichever
  /// thread books them; the parallel scheduler holds its lock), and must
  /// outlive the books.
  explicit RunBooks(const Graph& graph, bool no_act = false, std::uint64_t seed = 0,
                    RunObserver* tries = nullptr);

  /// All of the job's dependencies have succeeded.
  bool DepsSucceeded(JobId id) const { return unmet_deps_[id] == 0; }
  bool Succeeded(JobId id) const { return core::Succeeded(status_[id]); }
  JobStatus status(JobId id) const { return status_[id]; }
  int tries_used(JobId id) const { return tries_used_[id]; }
  /// False too once a try failed fatally.
  bool HasTriesLeft(JobId id) const { return tries_used_[id] < graph_.tries(id) && !fatal_[id]; }
  /// Whether the job's last try failed with dojobber::Fatal.
  bool fatal(JobId id) const { return fatal_[id]; }
  /// The job's last try failed and it gets no other in this run: it has no
  /// tries left (or failed fatally), or this is a dry run (one try each).
  bool FailedForGood(JobId id) const {
    return status_[id] == JobStatus::kFailed && (no_act_ || !HasTriesLeft(id));
  }
  bool no_act() const { return no_act_; }
  /// When the job's try started; from BeginTry until EndTry decides a retry.
  Clock::TimePoint last_start(JobId id) const { return time_[id]; }
  /// When the job may be tried again: the retry_at of its last verdict,
  /// from an EndTry that decided a retry until the next BeginTry.
  Clock::TimePoint NextTryAt(JobId id) const { return time_[id]; }
  bool AllSucceeded() const { return succeeded_ == status_.size(); }

  /// Records that a try of `id` starts at `now`.
  void BeginTry(JobId id, Clock::TimePoint now);
  /// Records how that try ended (kOk, kChanged or kFailed, maybe fatal) and
  /// decides what follows: done, or another try at the time the verdict
  /// names.
  TryVerdict EndTry(JobId id, TryEnd outcome);

  /// The status to report: a job never tried is blocked.
  JobStatus FinalStatus(JobId id) const;

 private:
  TryVerdict Decide(JobId id, TryEnd end);

  const Graph& graph_;
  const bool no_act_;
  RunObserver* const tries_;
  std::vector<std::uint32_t> unmet_deps_;
  std::vector<int> tries_used_;
  std::vector<JobStatus> status_;
  // Per job, the start of its try while it runs, then, after a retry
  // verdict, the time of its next try: one value at a time is needed, and a
  // million-job run keeps one per job.
  std::vector<Clock::TimePoint> time_;
  std::vector<bool> fatal_;
  JitterDraws jitter_;
  std::size_t succeeded_ = 0;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RUN_BOOKS_H_
