#ifndef DOJOBBER_CORE_TEE_OBSERVER_H_
#define DOJOBBER_CORE_TEE_OBSERVER_H_

#include <string_view>

#include "core/run_observer.h"

namespace dojobber::core {

/// Passes a run's events to two observers (the trace and the progress
/// line), each only the kinds it wants: what neither wants is never built.
/// Both must outlive it.
class TeeObserver final : public RunObserver {
 public:
  TeeObserver(RunObserver& first, RunObserver& second)
      : first_(first),
        second_(second),
        first_phases_(first.wants_phases()),
        second_phases_(second.wants_phases()),
        first_tries_(first.wants_tries()),
        second_tries_(second.wants_tries()) {}

  bool wants_phases() const override { return first_phases_ || second_phases_; }
  bool wants_tries() const override { return first_tries_ || second_tries_; }

  void OnPhase(const PhaseEvent& event) override {
    if (first_phases_) first_.OnPhase(event);
    if (second_phases_) second_.OnPhase(event);
  }
  void OnTryStart(const TryStartEvent& event) override {
    if (first_tries_) first_.OnTryStart(event);
    if (second_tries_) second_.OnTryStart(event);
  }
  void OnTryEnd(const TryEndEvent& event) override {
    if (first_tries_) first_.OnTryEnd(event);
    if (second_tries_) second_.OnTryEnd(event);
  }
  void OnCleanupOwed(JobId job, int try_number) override {
    first_.OnCleanupOwed(job, try_number);
    second_.OnCleanupOwed(job, try_number);
  }
  void OnJobLog(JobId job, std::string_view name, int try_number, std::string_view line) override {
    first_.OnJobLog(job, name, try_number, line);
    second_.OnJobLog(job, name, try_number, line);
  }

 private:
  RunObserver& first_;
  RunObserver& second_;
  const bool first_phases_;
  const bool second_phases_;
  const bool first_tries_;
  const bool second_tries_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TEE_OBSERVER_H_
