#ifndef DOJOBBER_CORE_RUN_OBSERVER_H_
#define DOJOBBER_CORE_RUN_OBSERVER_H_

#include <string_view>

#include <dojobber/context.h>

#include "core/clock.h"
#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::core {

/// One phase of one try, as it ended.
struct PhaseEvent {
  JobId job;
  std::string_view name;
  Phase phase;
  int try_number;
  bool passed;
  std::string_view error;       ///< Failures only: the message.
  std::string_view error_type;  ///< Failures only: the exception's type.
};

/// A try is about to start: the run books have booked it.
struct TryStartEvent {
  JobId job;
  int try_number;       ///< From 1.
  Clock::TimePoint at;  ///< The try's start on the run's clock.
};

/// A try has ended and the run books have decided what follows it.
struct TryEndEvent {
  JobId job;
  int try_number;             ///< From 1.
  JobStatus outcome;          ///< kOk, kChanged or kFailed.
  bool done;                  ///< The job is finished for this run.
  Clock::TimePoint retry_at;  ///< When not done: the earliest start of its next try.
};

/// Told what happens during a run. Core never prints; a front end implements
/// this (the CLI's trace goes through TraceWriter). Under parallel runs the
/// calls come from several threads at once.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  /// Whether OnPhase wants calls at all; asked once per run, so that a quiet
  /// run of a million jobs does not build a million events for nobody.
  virtual bool wants_phases() const { return true; }
  virtual void OnPhase(const PhaseEvent& event) { (void)event; }
  /// Whether OnTryStart and OnTryEnd want calls; asked once per run. They
  /// come from the scheduler while it holds its lock (under -j N), so they
  /// must be quick and must not call back into the run.
  virtual bool wants_tries() const { return false; }
  virtual void OnTryStart(const TryStartEvent& event) { (void)event; }
  virtual void OnTryEnd(const TryEndEvent& event) { (void)event; }
  /// A try of a job with a Cleanup has created its job object, so the try
  /// is owed a Cleanup after the run, whatever becomes of it.
  virtual void OnCleanupOwed(JobId job, int try_number) { (void)job, (void)try_number; }
  /// One whole line that a job wrote to ctx.log() (or its process to its
  /// stdout or stderr), without its newline, in try `try_number` or in the
  /// Cleanup of that try.
  virtual void OnJobLog(JobId job, std::string_view name, int try_number, std::string_view line) {
    (void)job, (void)name, (void)try_number, (void)line;
  }
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RUN_OBSERVER_H_
