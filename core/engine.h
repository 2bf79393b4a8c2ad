#ifndef DOJOBBER_CORE_ENGINE_H_
#define DOJOBBER_CORE_ENGINE_H_

#include <cstdint>
#include <memory>
#include <stop_token>

#include "core/cleanup_stack.h"
#include "core/clock.h"
#include "core/executor.h"
#include "core/global_storage.h"
#include "core/graph.h"
#include "core/log_tail_observer.h"
#include "core/run_observer.h"
#include "core/run_result.h"
#include "core/working_directory.h"

namespace dojobber::core {

/// How to run.
struct RunOptions {
  bool no_act = false;  ///< Only Check; never Run.
  bool cleanup = true;  ///< Run cleanups at the end of Run(); else call Cleanup().
  int jobs = 1;         ///< Workers. 1: the exact serial order of passes.
  /// Where the retry jitter is drawn from: the same seed, the same delays
  /// (core/retry_delay.h). Reported in RunResult::seed.
  std::uint64_t seed = 0;
  /// Once requested, no new try starts and no running try starts another
  /// phase; running tries finish (the executor may give them a grace
  /// period), then the cleanups run.
  std::stop_token stop = {};
};

/// Runs one graph once. The engine is the library entry point:
///
///     core::JobRegistry registry(args);
///     registry.Add<MyJob>("MyJob");
///     auto graph = core::Graph::Build(registry, "MyJob", {});
///     core::Engine engine(*graph, {});
///     core::RunResult result = engine.Run();
///
/// Tries run where `executor` puts them (default: an InProcessExecutor,
/// in this process). The working directory at construction is the one
/// every Check and Run starts in. Job objects kept for cleanup live until
/// Cleanup() or the engine's destruction, so destroy the engine before
/// unloading plugins. An in-process try that timed out may still be running
/// on its own thread (RunResult::abandoned_tries): the engine, the graph,
/// its registry and the observer must then outlive it, which in practice
/// means the process.
class Engine {
 public:
  /// `clock`, `observer` and `executor` are optional and, when given, must
  /// outlive the engine.
  Engine(const Graph& graph, const RunOptions& options, Clock* clock = nullptr,
         RunObserver* observer = nullptr, Executor* executor = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Runs the graph once (docs/semantics.md); call it once per engine. With
  /// options.cleanup, also runs the cleanups and reports them in the result.
  RunResult Run();

  /// Runs the cleanups still pending, newest first; see CleanupStack::RunAll.
  CleanupReport Cleanup();

  /// The run's global storage.
  GlobalStorage& global() { return global_; }

 private:
  const Graph& graph_;
  RunOptions options_;
  SteadyClock steady_clock_;
  RunObserver quiet_observer_;
  Clock& clock_;
  RunObserver& observer_;
  LogTailObserver log_tails_;  ///< What the tries see: observer_, keeping log lines.
  std::unique_ptr<Executor> default_executor_;
  Executor& executor_;
  WorkingDirectory working_directory_;
  LockedGlobalStorage global_;
  RunEnvironment env_;
  CleanupStack cleanups_;
  RunScope scope_;
  bool started_ = false;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_ENGINE_H_
