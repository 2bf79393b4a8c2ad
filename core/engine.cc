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
      env_{graph.registry().args(), global_, observer_, options.no_act},
      tries_(graph, env_, working_directory_, cleanups_),
      timed_(tries_),
      isolated_(graph, env_, working_directory_, cleanups_, options.stop,
                options.stop_grace_seconds) {}

Engine::~Engine() = default;

RunResult Engine::Run() {
  RunResult result;
  result.jobs.resize(graph_.size());
  Plan plan(graph_);

  const Clock::TimePoint started = clock_.Now();
  // Runs one try and books its outcome in the job's report. Under -j N this
  // runs on worker threads, but never twice at once for one job.
  auto attempt = [&](JobId id) {
    const Clock::TimePoint begin = plan.last_start(id);  // Booked by the scheduler.
    const int try_number = plan.tries_used(id);
    const double timeout = graph_.timeout(id);
    TryOutcome outcome = options_.isolate ? isolated_.Run(id, try_number, timeout)
                         : timeout > 0    ? timed_.Run(id, try_number, timeout)
                                          : tries_.Run(id, try_number);
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
    const WorkerCount workers =
        RunParallel(graph_, plan, clock_, options_.no_act, options_.jobs, attempt, options_.stop);
    result.workers = workers.started;
    result.worker_shortfall = workers.shortfall;
  } else {
    RunSerial(graph_, plan, clock_, options_.no_act, attempt, options_.stop);
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
  result.interrupted = options_.stop.stop_requested();
  if (result.interrupted) MarkInterrupted(plan, result);
  result.abandoned_tries = timed_.abandoned();
  if (options_.cleanup) result.cleanup = Cleanup();
  return result;
}

// A job's outcome was cut short by the stop unless it succeeded or it, or a
// job it depends on, failed for good (no tries left). Ids are in post-order,
// so each job's dependencies are settled before it.
void Engine::MarkInterrupted(const Plan& plan, RunResult& result) const {
  std::vector<bool> settled(graph_.size());
  for (JobId id = 0; id < graph_.size(); ++id) {
    bool dead = plan.status(id) == JobStatus::kFailed && !plan.HasTriesLeft(id);
    for (JobId dep : graph_.deps(id)) dead = dead || (settled[dep] && !plan.Succeeded(dep));
    settled[id] = plan.Succeeded(id) || dead;
    result.jobs[id].interrupted = !settled[id];
  }
}

CleanupReport Engine::Cleanup() {
  CleanupReport report = cleanups_.RunAll(graph_, env_, working_directory_, &isolated_);
  (void)working_directory_.Restore();  // A Cleanup may have moved; the run ends here.
  return report;
}

}  // namespace dojobber::core
