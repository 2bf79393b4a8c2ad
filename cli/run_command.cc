#include "cli/run_command.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "cli/exit_code.h"
#include "cli/validators.h"
#include "core/atomic_file.h"
#include "core/dot_writer.h"
#include "core/engine.h"
#include "core/graph.h"
#include "core/json_report.h"
#include "core/status_report.h"
#include "core/trace_writer.h"

namespace dojobber::cli {
namespace {

int Fail(const std::string& message, int code) {
  std::cerr << "dojobber: " << message << '\n';
  return code;
}

bool UseColor() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr &&
         !(term != nullptr && std::string_view(term) == "dumb");
}

// Freeing a million jobs' registry, graph and results takes longer than
// building them, and the process is about to end: leave them to the OS, as
// compilers do with their ASTs. The pointers stay reachable, so leak
// checkers see no leak. Job objects are not involved: the engine is gone.
template <class T>
void KeepUntilExit(T value) {
  static std::vector<std::shared_ptr<void>>* kept = new std::vector<std::shared_ptr<void>>();
  kept->push_back(std::make_shared<T>(std::move(value)));
}

int ExitCodeOf(const core::RunResult& result) {
  if (result.cleanup && !result.cleanup->ok()) return kCleanupFailed;
  return result.success ? kSuccess : kJobsFailed;
}

// Output files are opened before anything runs, so an unwritable path is a
// usage error and never costs a run.
core::Expected<std::optional<core::AtomicFile>> OpenOutput(const std::string& path) {
  if (path.empty()) return std::optional<core::AtomicFile>();
  auto file = core::AtomicFile::Open(path);
  if (!file) return file.failure();
  return std::optional<core::AtomicFile>(std::move(*file));
}

}  // namespace

CLI::App* SetupRunCommand(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand("run", "Run the graph below a root job");
  AddJobSourceOptions(*run, options.source);
  run->add_option("-r,--root", options.root, "The job to reach; its dependencies run first")
      ->required()
      ->type_name("JOB");
  run->add_flag("-n,--no-act", options.no_act, "Dry run: only Check, never Run");
  run->add_flag("-v,--verbose", options.verbose,
                "Trace every check/run/recheck on stderr (Name.check: pass ...)");
  run->add_flag("-d,--debug", options.debug,
                "Like --verbose, plus each failure's exception type and message");
  run->add_option("-j,--jobs", options.jobs,
                  "Run up to N jobs at once. 1 keeps the exact order of passes; with more, a "
                  "job starts as soon as its dependencies have succeeded")
      ->check(WholeNumberAtLeast(1))
      ->capture_default_str()
      ->type_name("N");
  run->add_flag("-q,--quiet", options.quiet, "Do not print the jobs' own log lines");
  run->add_flag("--no-cleanup", options.no_cleanup, "Do not call the jobs' Cleanup methods");
  run->add_option("--default-tries", options.default_tries,
                  "Tries for jobs that do not set their own")
      ->check(WholeNumberAtLeast(1))
      ->capture_default_str()
      ->type_name("N");
  run->add_option("--default-retry-delay", options.default_retry_delay,
                  "Seconds between two tries of a job that does not set its own (fractions "
                  "allowed)")
      ->check(Seconds())
      ->capture_default_str()
      ->type_name("SECONDS");
  run->add_option("--report", options.report_path,
                  "Write the JSON report here (atomically, also when jobs fail)")
      ->type_name("FILE");
  run->add_option("--dot", options.dot_path, "Write the graph coloured by final status here")
      ->type_name("FILE");
  run->footer(
      "Words after `--` are the jobs' positional arguments.\n"
      "Example: dojobber run --plugin movie --root WatchMovie --arg battery_state=charged");
  return run;
}

int RunRunCommand(const RunOptions& options) {
  auto report = OpenOutput(options.report_path);
  if (!report) return Fail(report.message(), kUsage);
  auto dot = OpenOutput(options.dot_path);
  if (!dot) return Fail(dot.message(), kUsage);

  auto jobs = LoadJobs(options.source);
  if (!jobs) return Fail(jobs.message(), kUsage);
  const core::JobDefaults defaults{options.default_tries, options.default_retry_delay};
  auto graph = core::Graph::Build((*jobs)->registry, options.root, defaults);
  if (!graph) return Fail(graph.message(), kUsage);

  core::TraceWriter trace(std::cerr, {options.verbose, options.debug, !options.quiet});
  core::RunResult result;
  {
    core::Engine engine(*graph, {options.no_act, !options.no_cleanup, options.jobs}, nullptr,
                        &trace);
    result = engine.Run();
  }
  int exit_code = ExitCodeOf(result);

  core::WriteStatusReport(std::cout, *graph, result, {UseColor(), options.no_act});
  if (!std::cout.flush()) exit_code = Fail("cannot write to standard output", kOutputFailed);
  if (report->has_value()) {
    core::AtomicFile& file = **report;
    core::WriteJsonReport(file.stream(), *graph, result, {options.root, options.no_act, exit_code});
    if (core::Status committed = file.Commit(); !committed) {
      exit_code = Fail(committed.message(), kOutputFailed);
    }
  }
  if (dot->has_value()) {
    core::AtomicFile& file = **dot;
    core::WriteDot(file.stream(), *graph, &result);
    if (core::Status committed = file.Commit(); !committed) {
      exit_code = Fail(committed.message(), kOutputFailed);
    }
  }
  KeepUntilExit(std::move(result));
  KeepUntilExit(std::move(*graph));
  KeepUntilExit(std::move(*jobs));
  return exit_code;
}

}  // namespace dojobber::cli
