#ifndef DOJOBBER_CORE_RUN_PROGRESS_H_
#define DOJOBBER_CORE_RUN_PROGRESS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/graph.h"
#include "core/run_observer.h"

namespace dojobber::core {

/// Where a run stands, as a progress line shows it. Times in seconds.
struct ProgressSnapshot {
  std::size_t total = 0;    ///< Jobs in the run.
  std::size_t settled = 0;  ///< Jobs finished for this run: succeeded, failed for good, blocked.
  std::size_t failed = 0;   ///< Of those, failed with no tries left (or in a dry run).
  std::size_t blocked = 0;  ///< Of those, depending on a failed one: they will never be tried.
  std::size_t running = 0;  ///< Tries running now.
  /// The names of the running tries' jobs, the longest-running first; at
  /// most the number Snapshot() was asked for.
  std::vector<std::string> running_names;
  std::size_t retry_waiting = 0;        ///< Jobs waiting out a retry delay.
  std::optional<double> next_retry_in;  ///< When some are: time until the first is due, >= 0.
  double elapsed = 0;                   ///< Since the run started.
  /// The time left at the pace so far (time per job tried and settled),
  /// once a job has been and while some are not.
  std::optional<double> left;
  bool stopping = false;  ///< A stop was requested: no new tries, running ones finish.
  /// Stopping, with a grace period for running tries: what is left of it, >= 0.
  std::optional<double> grace_left;
};

/// The state behind the live progress line: counts, the running tries, the
/// retries waited for, the estimate. Fed by the run books' try events
/// (RunObserver::OnTryStart, OnTryEnd) from any thread; read with
/// Snapshot() from another. Core keeps the state; the command line draws it.
///
/// Each event costs a lock and a few integer updates (a job that fails for
/// good also marks its dependents blocked, each job at most once per run), so
/// a million-job run pays little; formatting happens only when someone
/// takes a snapshot.
class RunProgress final : public RunObserver {
 public:
  /// `clock` is the run's (retry times are on it) and must outlive this.
  /// The run starts now. Once `stop` is requested, the snapshot says
  /// stopping; `stop_grace_seconds` (0: none) is how long running tries then
  /// get before the executor ends them (Executor::stop_grace_seconds).
  RunProgress(const Graph& graph, Clock& clock, const std::stop_token& stop = {},
              double stop_grace_seconds = 0);

  bool wants_phases() const override { return false; }
  bool wants_tries() const override { return true; }
  void OnTryStart(const TryStartEvent& event) override;
  void OnTryEnd(const TryEndEvent& event) override;

  /// Where the run stands now, with the names of at most `max_names`
  /// running tries.
  ProgressSnapshot Snapshot(std::size_t max_names) const;

 private:
  enum class Settled : std::uint8_t { kNo, kTried, kBlocked };
  struct RunningTry {
    JobId job;
    Clock::TimePoint since;
  };

  void MarkBlocked(JobId failed);  // Under mutex_.

  const Graph& graph_;
  Clock& clock_;
  const Clock::TimePoint started_;
  const double stop_grace_seconds_;

  mutable std::mutex mutex_;
  std::vector<Settled> settled_;
  std::size_t settled_count_ = 0;
  std::size_t tried_count_ = 0;  // Settled by a try of their own.
  std::size_t failed_ = 0;
  std::size_t blocked_ = 0;
  std::vector<RunningTry> running_;                       // In the order they started.
  std::set<std::pair<Clock::TimePoint, JobId>> retries_;  // Earliest first.
  std::unordered_map<JobId, Clock::TimePoint> retry_at_;  // The same, by job.
  std::optional<Clock::TimePoint> stopped_at_;
  std::stop_callback<std::function<void()>> on_stop_;  // Last: it may run at once.
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RUN_PROGRESS_H_
