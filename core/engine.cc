#include "core/engine.h"

#include <utility>

#include "core/parallel_scheduler.h"
#include "core/plan.h"
#include "core/serial_scheduler.h"
#include "core/try_runner.h"

namespace dojobber::core {

Engine::Engine(const Graph& graph, const RunOptions& options, Clock* clock, RunObserver* observer)
    : graph_(graph),
      options_(options),
      clock_(clock ? *clock : steady_clock_),
      observer_(observer ? *observer : quiet_observer_),
      env_{graph.registry().args(), global_, observer_, options.no_act} {}

Engine::~Engine() = default;

RunResult Engine::Run() {
  RunResult result;
  result.jobs.resize(graph_.size());
  Plan plan(graph_);
  TryRunner tries(graph_, env_, working_directory_, cleanups_);

  const Clock::TimePoint started = clock_.Now();
  // Runs one try and books its outcome in the job's report. Under -j N this
  // runs on worker threads, but never twice at once for one job.
  auto attempt = [&](JobId id) {
    const Clock::TimePoint begin = plan.last_start(id);  // Booked by the scheduler.
    const int try_number = plan.tries_used(id);
    TryOutcome outcome = tries.Run(id, try_number);
    const Clock::TimePoint end = clock_.Now();
    JobReport& job = result.jobs[id];
    job.error = std::move(outcome.error);
    job.result = std::move(outcome.result);
    job.seconds += DurationToSeconds(end - begin);
    if (try_number == 1) job.start_s = DurationToSeconds(begin - started);
    job.end_s = DurationToSeconds(end - started);
    return outcome.status;
  };
  if (options_.jobs > 1) {
    RunParallel(graph_, plan, clock_, options_.no_act, options_.jobs, attempt);
  } else {
    RunSerial(graph_, plan, clock_, options_.no_act, attempt);
  }
  (void)working_directory_.Restore();  // Best effort: nothing is left to fail.
  result.seconds = DurationToSeconds(clock_.Now() - started);

  std::size_t succeeded = 0;
  for (JobId id = 0; id < graph_.size(); ++id) {
    JobReport& job = result.jobs[id];
    job.status = plan.FinalStatus(id);
    job.tries = plan.tries_used(id);
    if (core::Succeeded(job.status)) ++succeeded;
  }
  result.success = succeeded == graph_.size();
  result.partial_success = succeeded > 0;
  if (options_.cleanup) result.cleanup = Cleanup();
  return result;
}

CleanupReport Engine::Cleanup() {
  CleanupReport report = cleanups_.RunAll(graph_, env_, working_directory_);
  (void)working_directory_.Restore();  // A Cleanup may have moved; the run ends here.
  return report;
}

}  // namespace dojobber::core
