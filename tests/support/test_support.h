#ifndef DOJOBBER_TESTS_SUPPORT_TEST_SUPPORT_H_
#define DOJOBBER_TESTS_SUPPORT_TEST_SUPPORT_H_

// Shared helpers for the engine tests: a fake clock, a recording observer, a
// scriptable job and a harness that registers, builds and runs in-process.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <dojobber/dojobber.h>

#include "core/clock.h"
#include "core/engine.h"
#include "core/graph.h"
#include "core/job_registry.h"
#include "core/optional_string.h"
#include "core/run_observer.h"
#include "core/run_result.h"
#include "core/trace_writer.h"

namespace dojobber::core {

/// Makes GoogleTest print statuses by name ("changed", not "<02>").
inline void PrintTo(JobStatus status, std::ostream* out) { *out << StatusName(status); }
/// Makes GoogleTest print a report's error as it prints a std::optional
/// ("(nullopt)", "(\"disk full\")"), not as bytes.
inline void PrintTo(const OptionalString& text, std::ostream* out) {
  if (text) {
    *out << "(\"" << *text << "\")";
  } else {
    *out << "(nullopt)";
  }
}

}  // namespace dojobber::core

namespace dojobber::testing {

/// The engine's fake clock (core/clock.h), by its short name.
using FakeClock = core::FakeClock;

/// Records the trace lines (TraceWriter's format) and job log lines.
class RecordingObserver final : public core::RunObserver {
 public:
  void OnPhase(const core::PhaseEvent& event) override {
    std::lock_guard lock(mutex_);
    lines_.push_back(core::TraceWriter::PhaseLine(event));
    events_.push_back({std::string(event.name), event.phase, event.try_number, event.passed,
                       std::string(event.error), std::string(event.error_type)});
  }
  void OnJobLog(core::JobId, std::string_view name, int try_number,
                std::string_view line) override {
    std::lock_guard lock(mutex_);
    logs_.push_back(std::string(name) + ": " + std::string(line));
    log_tries_.push_back(try_number);
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
  /// The try number of each of logs(), in the same order.
  std::vector<int> log_tries() const {
    std::lock_guard lock(mutex_);
    return log_tries_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
  std::vector<Event> events_;
  std::vector<std::string> logs_;
  std::vector<int> log_tries_;
};

/// A job whose methods are lambdas. Unset Check passes; unset Run passes.
using Hook = std::function<void(Context&)>;
struct Hooks {
  Hook check;
  Hook run;
  Hook cleanup;
};

/// Calls its hooks for Check and Run.
class ScriptedJobBase : public Job {
 public:
  explicit ScriptedJobBase(Hooks hooks) : hooks_(std::move(hooks)) {}
  void Check(Context& ctx) override {
    if (hooks_.check) hooks_.check(ctx);
  }
  void Run(Context& ctx) override {
    if (hooks_.run) hooks_.run(ctx);
  }

 protected:
  Hooks hooks_;
};

/// A job with only Check and Run. It is `final` and keeps Job's empty
/// Cleanup, so the engine frees it right after its try and the trace has no
/// cleanup line for it.
class PlainScriptedJob final : public ScriptedJobBase {
 public:
  using ScriptedJobBase::ScriptedJobBase;
};

/// A job with a Cleanup: kept until the cleanups run.
class ScriptedJob : public ScriptedJobBase {
 public:
  using ScriptedJobBase::ScriptedJobBase;
  void Cleanup(Context& ctx) override {
    if (hooks_.cleanup) hooks_.cleanup(ctx);
  }
};

/// A RunonlyJob whose Run is a lambda (final: it has no Cleanup).
class ScriptedRunonlyJob final : public RunonlyJob {
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

/// Always throws Error(message): a Check that never holds.
inline Hook Fails(std::string message) {
  return [message = std::move(message)](Context&) { throw Error(message); };
}

/// Registers jobs, builds the graph and runs it with a fake clock and a
/// recording observer. Keeps the engine so tests can call Cleanup() later.
class Harness {
 public:
  explicit Harness(Arguments args = {}) : registry(std::move(args)) {}

  /// A ScriptedJob when `hooks.cleanup` is set, else a PlainScriptedJob.
  JobBuilder& Add(const std::string& name, Hooks hooks = {}) {
    if (hooks.cleanup) {
      return registry.Add(name, [hooks] { return std::make_unique<ScriptedJob>(hooks); });
    }
    return registry.Add(name, [hooks] { return std::make_unique<PlainScriptedJob>(hooks); });
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

  /// Builds and runs with `executor`; on a graph error sets `failure` and
  /// returns an empty result. `trace` replaces the recording observer when
  /// given.
  core::RunResult Run(std::string_view root, core::RunOptions options = {},
                      core::RunObserver* trace = nullptr) {
    auto built = Build(root);
    if (!built.ok()) {
      failure = built.message();
      return {};
    }
    engine.reset();  // An engine refers to the graph it ran.
    graph.emplace(std::move(built.value()));
    engine = std::make_unique<core::Engine>(*graph, options, &clock, trace ? trace : &observer,
                                            executor.get());
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
  /// Where tries run; null: in process. Set before Run().
  std::unique_ptr<core::Executor> executor;
  std::unique_ptr<core::Engine> engine;
  std::optional<std::string> failure;
};

/// A fresh, empty directory under the system's temporary directory, removed
/// with everything in it at the end of its scope.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "dojobber-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();  // The test cannot go on.
    path_ = pattern;
  }
  ~ScopedTempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Restores the process's working directory at the end of its scope, so a
/// test that changes it cannot affect the tests that follow.
class ScopedCwd {
 public:
  ScopedCwd() : saved_(std::filesystem::current_path()) {}
  ~ScopedCwd() {
    std::error_code ignored;
    std::filesystem::current_path(saved_, ignored);
  }
  ScopedCwd(const ScopedCwd&) = delete;
  ScopedCwd& operator=(const ScopedCwd&) = delete;
  const std::filesystem::path& saved() const { return saved_; }

 private:
  std::filesystem::path saved_;
};

}  // namespace dojobber::testing

#endif  // DOJOBBER_TESTS_SUPPORT_TEST_SUPPORT_H_
