#ifndef DOJOBBER_CORE_RUN_RECORD_H_
#define DOJOBBER_CORE_RUN_RECORD_H_

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/executor.h"
#include "core/graph.h"
#include "core/run_books.h"
#include "core/run_result.h"

namespace dojobber::core {

/// Assembles a run's RunResult: the one place that writes a job's report
/// entry. Tries are booked as they end (from several workers at once, but
/// never twice at once for one job); the rest is filled in from the run's
/// books when the run ends.
class RunRecord {
 public:
  RunRecord(const Graph& graph, Clock::TimePoint started);

  /// Books the end of one try that started at `begin` and ended at `end`;
  /// the job's previous try, if any, moves to its earlier tries.
  void EndTry(JobId id, int try_number, TryOutcome outcome, Clock::TimePoint begin,
              Clock::TimePoint end);

  /// The final result: statuses and tries from `books`, the verdicts, and,
  /// when `interrupted`, which jobs the stop cut short.
  RunResult Finish(const RunBooks& books, bool interrupted, Clock::TimePoint now);

 private:
  void MarkInterrupted(const RunBooks& books);
  /// The index of `worker` in result_.worker_names, added if new; 0 for "".
  std::uint32_t WorkerIndex(const std::string& worker);

  const Graph& graph_;
  const Clock::TimePoint started_;
  RunResult result_;
  /// Per job: its last try was killed by the stop (TryOutcome::killed_by_stop).
  /// Bytes, not bits: workers book different jobs at once.
  std::vector<std::uint8_t> killed_by_stop_;
  /// Workers book at once: the names are shared.
  std::mutex workers_mutex_;
  std::unordered_map<std::string, std::uint32_t> worker_index_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RUN_RECORD_H_
