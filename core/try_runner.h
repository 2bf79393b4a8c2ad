#ifndef DOJOBBER_CORE_TRY_RUNNER_H_
#define DOJOBBER_CORE_TRY_RUNNER_H_

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/cleanup_stack.h"
#include "core/executor.h"
#include "core/graph.h"
#include "core/invoker.h"
#include "core/job_registry.h"
#include "core/run_result.h"
#include "core/try_context.h"
#include "core/try_control.h"
#include "core/working_directory.h"

namespace dojobber::core {

/// Makes one try of one job in this process: create the object, Check; if
/// that fails and this is not a no-act run, Run and recheck. Reports every
/// phase to the observer. After a stop request it starts no Run (the try
/// then fails with `interrupted: ...`); a Run already running is rechecked. Used by
/// InProcessExecutor and, inside a try's own process, by the worker. Safe to call for different
/// jobs from several threads at once.
class TryRunner {
 public:
  TryRunner(const RunEnvironment& env, const WorkingDirectory& working_directory,
            CleanupStack& cleanups)
      : env_(env),
        working_directory_(working_directory),
        cleanups_(cleanups),
        report_phases_(env.observer.wants_phases()) {}

  /// `control`, when given, can abandon the try from another thread: it then
  /// stops before its next phase and reports nothing more.
  TryOutcome Run(JobId id, const JobSpec& spec, int try_number,
                 const std::shared_ptr<TryControl>& control = nullptr) const;

  /// Abandons a try running under `control` from the waiting thread: from
  /// now on the try reports nothing, and the phase it was in is traced as
  /// failed with `cause`; the commands it runs are ended (TryCommands::Cancel). Returns false, and
  /// changes nothing, when the try has already made its last phase: its outcome is about to arrive.
  bool Abandon(JobId id, const std::string& name, int try_number, TryControl& control,
               std::string_view cause) const;

 private:
  /// A phase's outcome, and whether it is the job's own: its method was
  /// called (and a failure is its verdict, thrown or ctx.Fail()), rather than
  /// dojobber failing the phase around it (the working directory).
  struct PhaseOutcome : CallOutcome {
    bool by_job = false;
  };

  TryOutcome CheckRunRecheck(Job& job, TryContext& ctx, JobId id, TryControl* control) const;
  PhaseOutcome Call(Job& job, TryContext& ctx, JobId id, Phase phase, TryControl* control) const;
  void Report(JobId id, const std::string& name, Phase phase, int try_number,
              const CallOutcome& outcome, TryControl* control, bool ends_try) const;

  const RunEnvironment& env_;
  const WorkingDirectory& working_directory_;
  CleanupStack& cleanups_;
  const bool report_phases_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TRY_RUNNER_H_
