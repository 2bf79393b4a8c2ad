#include "core/engine.h"

#include <chrono>
#include <string>
#include <utility>

#include "core/in_process_executor.h"
#include "core/lost_thread.h"
#include "core/parallel_scheduler.h"
#include "core/run_books.h"
#include "core/run_record.h"
#include "core/serial_scheduler.h"
#include "core/wire.h"

namespace dojobber::core {
namespace {

// A value nested deeper than the protocol carries would crash whatever
// writes it recursively (the report): the try fails instead, in every
// executor alike.
void RefuseTooDeep(TryOutcome& outcome) {
  if (wire::Depth(outcome.result) < wire::kMaxDepth) return;
  TryOutcome refused{
      JobStatus::kFailed,
      "the job's result nests deeper than " + std::to_string(wire::kMaxDepth - 1) + " levels",
      nullptr};
  refused.phases = outcome.phases;  // How its phases went, and where, still hold.
  refused.worker = std::move(outcome.worker);
  outcome = std::move(refused);
}

std::unique_ptr<Executor> DefaultExecutor(Executor* given) {
  if (given != nullptr) return nullptr;
  return std::make_unique<InProcessExecutor>();
}

}  // namespace

Engine::Engine(const Graph& graph, const RunOptions& options, Clock* clock, RunObserver* observer,
               Executor* executor)
    : graph_(graph),
      options_(options),
      clock_(clock ? *clock : steady_clock_),
      observer_(observer ? *observer : quiet_observer_),
      log_tails_(observer_, graph.size()),
      default_executor_(DefaultExecutor(executor)),
      executor_(executor ? *executor : *default_executor_),
      env_{graph.registry().args(), global_, log_tails_, options.no_act, options.stop, {}},
      scope_{graph_, env_, cleanups_, working_directory_} {}

Engine::~Engine() = default;

RunResult Engine::Run() {
  RunBooks books(graph_, options_.no_act, options_.seed,
                 observer_.wants_tries() ? &observer_ : nullptr);
  const Clock::TimePoint started = clock_.Now();
  const auto started_at = std::chrono::system_clock::now();
  RunRecord record(graph_, started);
  // Before any worker thread exists (see Executor::Start).
  const Status start = started_ ? Status() : executor_.Start(scope_);
  started_ = true;

  // Makes one try and books it. Under -j N this runs on worker threads,
  // but never twice at once for one job.
  auto attempt = [&](JobId id) {
    const Clock::TimePoint begin = books.last_start(id);  // Booked by the scheduler.
    const TryRequest request{id, books.tries_used(id), graph_.timeout(id)};
    // Job code that ends this thread ends the try: book it as failed.
    UnwindGuard lost([&] {
      record.EndTry(id, request.try_number,
                    {JobStatus::kFailed, std::string(kThreadEndedCause), nullptr}, begin,
                    clock_.Now());
    });
    TryOutcome outcome = start ? executor_.RunTry(scope_, request)
                               : TryOutcome{JobStatus::kFailed, start.message(), nullptr};
    lost.Dismiss();
    RefuseTooDeep(outcome);
    const TryEnd end{outcome.status, outcome.fatal};
    record.EndTry(id, request.try_number, std::move(outcome), begin, clock_.Now());
    return end;
  };
  RunResult result;
  int workers = 1;
  std::string shortfall;
  if (options_.jobs > 1) {
    const WorkerCount count =
        RunParallel(graph_, books, clock_, options_.jobs, attempt, options_.stop);
    workers = count.started;
    shortfall = count.shortfall;
  } else {
    RunSerial(graph_, books, clock_, attempt, options_.stop);
  }
  (void)working_directory_.Restore();  // Best effort: nothing is left to fail.
  result = record.Finish(books, options_.stop.stop_requested(), clock_.Now());
  result.started_at = started_at;
  result.ended_at = std::chrono::system_clock::now();
  result.workers = workers;
  result.seed = options_.seed;
  result.worker_shortfall = std::move(shortfall);
  result.abandoned_tries = executor_.abandoned();
  result.root_causes = RootCauses::Compute(graph_, result);
  if (options_.cleanup) result.cleanup = Cleanup();
  result.logs = log_tails_.Take();  // The cleanups' lines too.
  return result;
}

CleanupReport Engine::Cleanup() {
  // Only tries push cleanups, so before Run() this finds none.
  CleanupReport report = cleanups_.RunAll(scope_, executor_);
  (void)working_directory_.Restore();  // A Cleanup may have moved; the run ends here.
  return report;
}

}  // namespace dojobber::core
