#ifndef DOJOBBER_CORE_EXECUTOR_H_
#define DOJOBBER_CORE_EXECUTOR_H_

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/cleanup_stack.h"
#include "core/expected.h"
#include "core/graph.h"
#include "core/invoker.h"
#include "core/run_result.h"
#include "core/try_context.h"
#include "core/working_directory.h"

namespace dojobber::core {

/// One try to make: which job, which of its tries, and its time limit.
struct TryRequest {
  JobId job = 0;
  int try_number = 1;          ///< From 1.
  double timeout_seconds = 0;  ///< 0: no limit. From the graph (job or run default).
};

/// How one try ended.
struct TryOutcome {
  JobStatus status = JobStatus::kFailed;  ///< kOk, kChanged or kFailed.
  std::optional<std::string> error;       ///< Set when kFailed.
  nlohmann::json result;                  ///< What the try recorded, or null.
  /// kFailed by the job's own verdict: its Check (in a dry run) or its
  /// recheck threw or called ctx.Fail(). False when the try failed around
  /// that: the object could not be created, a time limit, a crash or exit of
  /// its process, a stop before Run, or dojobber itself.
  bool failed_by_check = false;
  /// What Run threw in this try, when it was called and threw.
  std::optional<std::string> run_error = std::nullopt;
  /// Failed with dojobber::Fatal: the job gets no further try.
  bool fatal = false;
  /// kFailed because the stop cut it short: its process was killed at the
  /// end of the stop's grace period (ProcessExecutor). A dry run's try so
  /// ended gave no verdict, so its job is unsettled (RunRecord).
  bool killed_by_stop = false;
  /// How each phase ended; a phase the try ended in (a time limit, a crash
  /// of its process) failed.
  TryPhases phases = {};
  /// kFailed because the try ran past its time limit.
  bool timed_out = false;
  /// Where it ran ("thread 2", "pid 4711", "slurm job 678 step 2 on node1");
  /// empty when not known.
  std::string worker = {};
};

/// What an executor works with: the run's graph and the state every try
/// shares. Owned by the engine; valid for the engine's life.
struct RunScope {
  const Graph& graph;
  const RunEnvironment& env;  ///< Arguments, global storage, observer, dry run, stop.
  CleanupStack& cleanups;     ///< Where a try whose job has a Cleanup is kept.
  const WorkingDirectory& working_directory;  ///< Where every phase starts.
};

/// Where a try runs: the one seam between the engine's books (RunBooks, the
/// schedulers) and job code. Implementations: InProcessExecutor (this
/// process, with or without a time limit), ProcessExecutor (a process per
/// try: `--executor isolate`, and on a cluster node).
///
/// Every call is safe from several threads at once (for different jobs) and
/// never throws: whatever the job does becomes a TryOutcome or CallOutcome.
/// A try reports each phase and each log line to `scope.env.observer` as it
/// happens, and pushes itself onto `scope.cleanups` once its job object
/// exists, when the job has a Cleanup.
class Executor {
 public:
  virtual ~Executor() = default;

  /// Called once by the engine before the first try, on the thread that will
  /// call Finish(), while no worker thread of the run exists yet. A failure
  /// here fails no job: the executor then fails each try with the message.
  virtual Status Start(const RunScope& scope) {
    (void)scope;
    return {};
  }

  /// Makes one try: Check; unless a dry run, Run and recheck if the Check
  /// failed. After a stop request no Run starts (a Run already running is
  /// still rechecked: that changes nothing and tells whether it worked).
  virtual TryOutcome RunTry(const RunScope& scope, const TryRequest& request) = 0;

  /// Calls the Cleanup of one kept try (its object, or for a try that ran
  /// elsewhere a fresh object with the try's local storage, which the
  /// Cleanup may change). Does not report the phase: the cleanup stack does.
  virtual CallOutcome RunCleanup(const RunScope& scope, RetainedTry& kept) = 0;

  /// In-process tries that timed out and whose threads still run.
  virtual int abandoned() const { return 0; }

  /// How long, in seconds, a running try still gets after a stop request
  /// before the executor ends it; 0: none, it runs until it returns.
  virtual double stop_grace_seconds() const { return 0; }
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_EXECUTOR_H_
