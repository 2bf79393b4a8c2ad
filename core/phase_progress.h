#ifndef DOJOBBER_CORE_PHASE_PROGRESS_H_
#define DOJOBBER_CORE_PHASE_PROGRESS_H_

#include <dojobber/context.h>

#include "core/run_result.h"

namespace dojobber::core {

/// Where a try stands, from the phases it has reported so far: names the
/// phase a try was in when its child died or its timeout abandoned it, so
/// the trace shows that phase failing (`Hang.check: fail`).
class PhaseProgress {
 public:
  void Reported(Phase phase, bool passed) {
    any_ = true;
    last_ = phase;
    last_passed_ = passed;
    if (PhaseResult* result = Slot(phase)) {
      *result = passed ? PhaseResult::kPassed : PhaseResult::kFailed;
    }
  }

  /// How each phase reported so far ended; with `ended_in_progress`, the
  /// phase in progress (InProgress) counts as failed: the try ended in it.
  TryPhases Phases(bool ended_in_progress, bool no_act) const {
    TryPhases phases = phases_;
    if (!ended_in_progress) return phases;
    PhaseProgress copy = *this;
    copy.Reported(InProgress(no_act), false);
    return copy.phases_;
  }

  /// The phase after the last one reported: a failed Check is followed by
  /// Run (except in a dry run), Run by the recheck.
  Phase InProgress(bool no_act) const {
    if (!any_) return Phase::kCheck;
    if (last_ == Phase::kCheck && !last_passed_ && !no_act) return Phase::kRun;
    if (last_ == Phase::kRun) return Phase::kRecheck;
    return last_;
  }

 private:
  PhaseResult* Slot(Phase phase) {
    switch (phase) {
      case Phase::kCheck:
        return &phases_.check;
      case Phase::kRun:
        return &phases_.run;
      case Phase::kRecheck:
        return &phases_.recheck;
      case Phase::kCleanup:
        break;
    }
    return nullptr;
  }

  TryPhases phases_;
  bool any_ = false;
  Phase last_ = Phase::kCheck;
  bool last_passed_ = false;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_PHASE_PROGRESS_H_
