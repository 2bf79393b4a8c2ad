#ifndef DOJOBBER_TESTS_SUPPORT_TEST_SUPPORT_H_
#define DOJOBBER_TESTS_SUPPORT_TEST_SUPPORT_H_

// Shared helpers for the engine tests: a fake clock, a recording observer, a
// scriptable job and a harness that registers, builds and runs in-process.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <dojobber/dojobber.h>

#include "core/clock.h"
#include "core/engine.h"
#include "core/graph.h"
#include "core/job_registry.h"
#include "core/run_observer.h"
#include "core/trace_writer.h"

namespace dojobber::testing {

/// A clock that only moves when slept on (or advanced by hand).
class FakeClock final : public core::Clock {
 public:
  TimePoint Now() override { return now_; }
  void SleepUntil(TimePoint when) override {
    sleeps_.push_back(when - now_);
    if (when > now_) now_ = when;
  }
  void Advance(Duration by) { now_ += by; }
  /// Every SleepUntil call, as the time it asked to wait (<= 0: no wait).
  const std::vector<Duration>& sleeps() const { return sleeps_; }
  double seconds() const { return core::DurationToSeconds(now_ - TimePoint{}); }

 private:
  TimePoint now_{};
  std::vector<Duration> sleeps_;
};

/// Records the trace lines (TraceWriter's format) and job log lines.
class RecordingObserver final : public core::RunObserver {
 public:
  void OnPhase(const core::PhaseEvent& event) override {
    std::lock_guard lock(mutex_);
    lines_.push_back(core::TraceWriter::PhaseLine(event));
    events_.push_back({std::string(event.name), event.phase, event.try_number, event.passed,
                       std::string(event.error), std::string(event.error_type)});
  }
  void OnJobLog(core::JobId, std::string_view name, std::string_view line) override {
    std::lock_guard lock(mutex_);
    logs_.push_back(std::string(name) + ": " + std::string(line));
  }
  struct Event {
    std::string name;
    Phase phase;
    int try_number;
    bool passed;
    std::string error;
    std::string error_type;
  };
  std::vector<std::string> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  std::vector<Event> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<std::string> logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
  std::vector<Event> events_;
  std::vector<std::string> logs_;
};

/// A job whose methods are lambdas. Unset Check passes; unset Run passes.
using Hook = std::function<void(Context&)>;
struct Hooks {
  Hook check;
  Hook run;
  Hook cleanup;
};

class ScriptedJob : public Job {
 public:
  explicit ScriptedJob(Hooks hooks) : hooks_(std::move(hooks)) {}
  void Check(Context& ctx) override {
    if (hooks_.check) hooks_.check(ctx);
  }
  void Run(Context& ctx) override {
    if (hooks_.run) hooks_.run(ctx);
  }
  void Cleanup(Context& ctx) override {
    if (hooks_.cleanup) hooks_.cleanup(ctx);
  }

 private:
  Hooks hooks_;
};

/// A RunonlyJob whose Run is a lambda.
class ScriptedRunonlyJob : public RunonlyJob {
 public:
  explicit ScriptedRunonlyJob(Hook run) : run_(std::move(run)) {}
  void Run(Context& ctx) override {
    if (run_) run_(ctx);
  }

 private:
  Hook run_;
};

/// Throws unless `passes` says the check holds: the usual shape of a Check.
inline Hook CheckThat(std::function<bool(Context&)> passes, std::string message = "not yet") {
  return [passes = std::move(passes), message = std::move(message)](Context& ctx) {
    if (!passes(ctx)) throw Error(message);
  };
}

/// Registers jobs, builds the graph and runs it with a fake clock and a
/// recording observer. Keeps the engine so tests can call Cleanup() later.
class Harness {
 public:
  explicit Harness(Arguments args = {}) : registry(std::move(args)) {}

  JobBuilder& Add(const std::string& name, Hooks hooks = {}) {
    return registry.Add(name, [hooks] { return std::make_unique<ScriptedJob>(hooks); });
  }
  JobBuilder& AddRunonly(const std::string& name, Hook run) {
    return registry.Add(name, [run] { return std::make_unique<ScriptedRunonlyJob>(run); });
  }
  template <class T>
  JobBuilder& AddType(const std::string& name) {
    return registry.Add<T>(name);
  }

  core::Expected<core::Graph> Build(std::optional<std::string_view> root) {
    return core::Graph::Build(registry, root, defaults);
  }

  /// Builds and runs; aborts the test (via the returned failure) on a graph error.
  core::RunResult Run(std::string_view root, core::RunOptions options = {}) {
    auto built = Build(root);
    if (!built.ok()) {
      failure = built.message();
      return {};
    }
    graph.emplace(std::move(built.value()));
    engine = std::make_unique<core::Engine>(*graph, options, &clock, &observer);
    return engine->Run();
  }

  /// The report of `name` in `result`.
  const core::JobReport& Job(const core::RunResult& result, std::string_view name) const {
    return result.jobs.at(*graph->Find(name));
  }

  core::JobRegistry registry;
  core::JobDefaults defaults{3, 0.0};
  FakeClock clock;
  RecordingObserver observer;
  std::optional<core::Graph> graph;
  std::unique_ptr<core::Engine> engine;
  std::optional<std::string> failure;
};

}  // namespace dojobber::testing

#endif  // DOJOBBER_TESTS_SUPPORT_TEST_SUPPORT_H_
