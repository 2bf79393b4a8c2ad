#ifndef DOJOBBER_CORE_LOG_TAIL_OBSERVER_H_
#define DOJOBBER_CORE_LOG_TAIL_OBSERVER_H_

#include <cstddef>
#include <mutex>
#include <string_view>

#include "core/log_tail.h"
#include "core/run_observer.h"

namespace dojobber::core {

/// Passes every event on to `next`, and keeps each job log line in `tails`
/// on the way. Thread-safe: lines come from the tries' threads.
class LogTailObserver final : public RunObserver {
 public:
  LogTailObserver(RunObserver& next, std::size_t jobs)
      : next_(next), phases_(next.wants_phases()), tries_(next.wants_tries()), tails_(jobs) {}

  bool wants_phases() const override { return phases_; }
  bool wants_tries() const override { return tries_; }
  void OnPhase(const PhaseEvent& event) override { next_.OnPhase(event); }
  void OnTryStart(const TryStartEvent& event) override { next_.OnTryStart(event); }
  void OnTryEnd(const TryEndEvent& event) override { next_.OnTryEnd(event); }
  void OnCleanupOwed(JobId job, int try_number) override { next_.OnCleanupOwed(job, try_number); }
  void OnJobLog(JobId job, std::string_view name, int try_number, std::string_view line) override;

  /// The lines kept so far; later lines are no longer kept.
  LogTails Take();

 private:
  RunObserver& next_;
  const bool phases_;
  const bool tries_;
  std::mutex mutex_;
  LogTails tails_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_LOG_TAIL_OBSERVER_H_
