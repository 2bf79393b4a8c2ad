#ifndef DOJOBBER_CORE_PHASE_PROGRESS_H_
#define DOJOBBER_CORE_PHASE_PROGRESS_H_

#include <dojobber/context.h>

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
  bool any_ = false;
  Phase last_ = Phase::kCheck;
  bool last_passed_ = false;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_PHASE_PROGRESS_H_
