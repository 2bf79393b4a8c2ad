#ifndef DOJOBBER_CORE_ENGINE_H_
#define DOJOBBER_CORE_ENGINE_H_

#include <memory>
#include <stop_token>

#include <nlohmann/json.hpp>

#include "core/cleanup_stack.h"
#include "core/clock.h"
#include "core/global_storage.h"
#include "core/graph.h"
#include "core/isolated_tries.h"
#include "core/plan.h"
#include "core/run_observer.h"
#include "core/run_result.h"
#include "core/timed_tries.h"
#include "core/try_runner.h"
#include "core/working_directory.h"

namespace dojobber::core {

/// How to run.
struct RunOptions {
  bool no_act = false;   ///< Only Check; never Run.
  bool cleanup = true;   ///< Run cleanups at the end of Run(); else call Cleanup().
  int jobs = 1;          ///< Workers. 1: the exact serial order of passes.
  bool isolate = false;  ///< Each try in a child process (IsolatedTries).
  /// Once requested, no new try starts; running tries finish (isolated ones
  /// get `stop_grace_seconds`, then are killed), then the cleanups run.
  std::stop_token stop = {};
  double stop_grace_seconds = 2;
};

/// Runs one graph once. The engine is the library entry point:
///
///     core::JobRegistry registry(args);
///     registry.Add<MyJob>("MyJob");
///     auto graph = core::Graph::Build(registry, "MyJob", {});
///     core::Engine engine(*graph, {});
///     core::RunResult result = engine.Run();
///
/// The working directory at construction is the one every Check and Run
/// starts in. Job objects kept for cleanup live until Cleanup() or the
/// engine's destruction, so destroy the engine before unloading plugins.
/// An in-process try that timed out may still be running on its own thread
/// (RunResult::abandoned_tries): the engine, the graph, its registry and
/// the observer must then outlive it, which in practice means the process.
class Engine {
 public:
  Engine(const Graph& graph, const RunOptions& options, Clock* clock = nullptr,
         RunObserver* observer = nullptr);
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
  void MarkInterrupted(const Plan& plan, RunResult& result) const;

  const Graph& graph_;
  RunOptions options_;
  SteadyClock steady_clock_;
  RunObserver quiet_observer_;
  Clock& clock_;
  RunObserver& observer_;
  WorkingDirectory working_directory_;
  LockedGlobalStorage global_;
  RunEnvironment env_;
  CleanupStack cleanups_;
  TryRunner tries_;
  TimedTries timed_;
  IsolatedTries isolated_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_ENGINE_H_
