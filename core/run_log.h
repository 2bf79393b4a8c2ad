#ifndef DOJOBBER_CORE_RUN_LOG_H_
#define DOJOBBER_CORE_RUN_LOG_H_

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "core/expected.h"
#include "core/graph.h"
#include "core/run_observer.h"

namespace dojobber::core {

/// Writes everything a run says to a log file (`run --log FILE`), for runs
/// nobody watches: one line per event, each starting with the wall-clock
/// time in RFC 3339 UTC (core/text_format.h FormatUtcTime), then the try
/// and the job:
///
///     2026-11-30T18:53:01.123Z try 1 [TurnOnTV] start
///     2026-11-30T18:53:01.123Z try 1 [TurnOnTV] check: fail "Remote batteries are dead."
///     2026-11-30T18:53:01.124Z try 1 [TurnOnTV] log: Pressing the power button
///     2026-11-30T18:53:01.124Z try 1 [TurnOnTV] end: failed, to be retried
///     2026-11-30T18:53:03.130Z try 3 [TurnOnTV] end: failed, no further try
///     2026-11-30T18:53:03.131Z try 1 [CleanCouch] cleanup: pass
///
/// (`start`; each phase, a failure with its message and, when known, the
/// exception's type in parentheses; each job log line; `end:` with the
/// try's outcome, `ok`, `changed` or `failed`, and for a failure whether
/// another try follows; cleanups), and the run's own lines, `TIME run:
/// text` (Note). Text from jobs is escaped as the trace escapes it
/// (Printable), so every event is one line. Each line is one write() to a
/// descriptor opened with O_APPEND: lines of parallel tries, and of runs
/// sharing the file, never mix.
class RunLogWriter final : public RunObserver {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;

  /// Writes to `fd`, which the caller opened (appending) and closes after
  /// this is gone. `graph` names the jobs of try events; `now` stamps lines.
  RunLogWriter(int fd, const Graph& graph, WallClock now = &std::chrono::system_clock::now)
      : fd_(fd), graph_(graph), now_(std::move(now)) {}

  bool wants_phases() const override { return true; }
  bool wants_tries() const override { return true; }
  void OnPhase(const PhaseEvent& event) override;
  void OnTryStart(const TryStartEvent& event) override;
  void OnTryEnd(const TryEndEvent& event) override;
  void OnJobLog(JobId job, std::string_view name, int try_number, std::string_view line) override;

  /// Writes `TIME run: text` (the run's start and end).
  void Note(std::string_view text);

  /// OK, or the first write that failed: `cannot write LABEL: reason`.
  Status status(std::string_view label) const;

 private:
  void WriteJobLine(int try_number, std::string_view name, std::string_view text);
  void Write(std::string line);

  const int fd_;
  const Graph& graph_;
  const WallClock now_;
  mutable std::mutex mutex_;
  int write_error_ = 0;  // errno of the first write that failed.
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RUN_LOG_H_
