#include "cli/run_command.h"

#include <unistd.h>

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "cli/interrupts.h"
#include "cli/validators.h"
#include "core/atomic_file.h"
#include "core/command_groups.h"
#include "core/dot_writer.h"
#include "core/engine.h"
#include "core/fork_server.h"
#include "core/graph.h"
#include "core/in_process_executor.h"
#include "core/json_report.h"
#include "core/run_lock.h"
#include "core/slurm_launcher.h"
#include "core/status_report.h"
#include "core/trace_writer.h"

namespace dojobber::cli {
namespace {

bool NonEmpty(const char* value) { return value != nullptr && *value != '\0'; }

// On a terminal, unless NO_COLOR is set to anything (no-color.org: an empty
// value counts as unset) or TERM is dumb.
bool UseColor() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && !NonEmpty(std::getenv("NO_COLOR")) &&
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
  if (result.interrupted) return kInterrupted;
  if (result.cleanup && !result.cleanup->ok()) return kCleanupFailed;
  return result.success ? kSuccess : kJobsFailed;
}

// Writes the status report, the JSON report and the DOT file; returns the
// exit status, kOutputFailed if one of them could not be written.
//
// Both files are written whole before either is committed, so that a stop
// signal that comes meanwhile (a million jobs' report takes a second) is
// seen before they are in place: the run then counts as interrupted, its
// exit status is 130, and the report, still a temporary file, is written
// again to say so. (The status report on stdout is already out, and a
// report written in place, to a pipe, says what it said.) A signal after
// the check changes only the exit status (FinalExitStatus).
int WriteOutputs(const RunOptions& options, const core::Graph& graph, core::RunResult& result,
                 std::optional<core::AtomicFile>& report, std::optional<core::AtomicFile>& dot,
                 int exit_code) {
  core::WriteStatusReport(std::cout, graph, result, {UseColor(), options.no_act});
  if (!std::cout.flush()) exit_code = Fail("cannot write to standard output", kOutputFailed);
  const auto write_report = [&] {
    core::WriteJsonReport(report->stream(), graph, result,
                          {options.roots.front(), options.no_act, exit_code});
  };
  if (report) write_report();
  if (dot) core::WriteDot(dot->stream(), graph, &result);
  if (StopSignalled() && !result.interrupted) {
    result.interrupted = true;
    exit_code = kInterrupted;
    if (report && report->Rewind()) write_report();
  }
  for (std::optional<core::AtomicFile>* file : {&report, &dot}) {
    if (!*file) continue;
    if (core::Status committed = (*file)->Commit(); !committed) {
      exit_code = Fail(committed.message(), kOutputFailed);
    }
  }
  return exit_code;
}

// Output files are opened before anything runs, so an unwritable path is a
// usage error and never costs a run. Opening also resolves a relative path
// once, against the directory dojobber started in, and holds the file's
// folder: whatever a job does to that folder's path or to the working
// directory, the file is written into that folder at the end.
core::Expected<std::optional<core::AtomicFile>> OpenOutput(const std::string& path) {
  if (path.empty()) return std::optional<core::AtomicFile>();
  auto file = core::AtomicFile::Open(path);
  if (!file) return file.failure();
  return std::optional<core::AtomicFile>(std::move(*file));
}

// Whether --report and --dot would replace one file, one write undoing the
// other. Devices and pipes (/dev/null, /dev/stdout) may be shared.
bool SameRegularFile(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code ec;
  // Absolute and normal first: weakly_canonical leaves the part of a path
  // that does not exist yet as it was written ("./out" is not "out").
  auto resolve = [&ec](const std::string& path) {
    return std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec).lexically_normal(),
                                             ec);
  };
  const std::filesystem::path first = resolve(a);
  if (ec) return false;
  const std::filesystem::path second = resolve(b);
  if (ec || first != second) return false;
  const auto status = std::filesystem::status(first, ec);
  return !std::filesystem::exists(status) || std::filesystem::is_regular_file(status);
}

}  // namespace

CLI::App* SetupRunCommand(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand("run", "Run the graph below a root job");
  AddJobSourceOptions(*run, options.source);
  run->add_option("-r,--root", options.roots,
                  "The job to reach; its dependencies run first. Repeatable: the run covers "
                  "the union of the roots' graphs, in the order given, each job once")
      ->required()
      ->check(Word())
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
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
  run->add_option("--executor", options.executor,
                  "Where tries run: local (in this process), isolate (each try and cleanup in "
                  "a process of its own, so a job that crashes, exits or hangs fails alone), "
                  "slurm (each try and cleanup as a Slurm job step)")
      ->check(CLI::IsMember({"local", "isolate", "slurm"}))
      ->capture_default_str()
      ->type_name("WHERE");
  run->add_flag_callback(
      "--isolate", [&options] { options.executor = "isolate"; }, "Same as --executor isolate");
  run->add_option("--slurm-partition", options.slurm_partition,
                  "--executor slurm: the partition the steps run in (default: the cluster's)")
      ->check(Word())
      ->type_name("NAME");
  run->add_option("--slurm-account", options.slurm_account,
                  "--executor slurm: the account the steps are charged to")
      ->check(Word())
      ->type_name("NAME");
  run->add_option("--srun-arg", options.srun_args,
                  "--executor slurm: one more srun argument, passed as it is (repeatable; "
                  "write --srun-arg=--exclusive for one that starts with '-')")
      ->check(Word())
      ->type_name("ARG");
  run->add_option("--default-timeout", options.default_timeout,
                  "Fail a try of a job that sets no timeout of its own after this long")
      ->check(PositiveSeconds())
      ->type_name("SECONDS");
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
      ->check(FileName())
      ->type_name("FILE");
  run->add_option("--dot", options.dot_path, "Write the graph coloured by final status here")
      ->check(FileName())
      ->type_name("FILE");
  run->add_option("--lock", options.lock_path,
                  "Hold an exclusive lock (flock) on this file for the whole run; a run that "
                  "finds it held exits with status 2, naming the holder's pid and start time")
      ->check(FileName())
      ->type_name("FILE");
  run->add_option("--lock-wait", options.lock_wait,
                  "--lock: wait up to this long for a held lock before giving up")
      ->check(Seconds())
      ->type_name("SECONDS");
  run->footer(
      "Words after `--` are the jobs' positional arguments.\n"
      "Ctrl-C, SIGTERM or SIGHUP: no new tries; running ones finish (isolated ones get 2 s),\n"
      "cleanups run, the reports are written, exit status 130 (also for a signal that comes\n"
      "while they are written). A second one more than 250 ms later exits at once.\n"
      "Example: dojobber run --plugin movie --root WatchMovie --arg battery_state=charged");
  return run;
}

// The Slurm executor's settings: the worker's command line carries the
// plugins and the arguments, so each step loads the same jobs.
core::Expected<core::SlurmOptions> SlurmSettings(const RunOptions& options,
                                                 const LoadedJobs& jobs) {
  core::SlurmOptions slurm;
  std::error_code ec;
  const std::filesystem::path self = boost::dll::program_location(ec);
  if (ec)
    return core::Failure{"--executor slurm: cannot find the dojobber binary: " + ec.message()};
  slurm.worker = {self.string(), "worker"};
  for (std::size_t i = 0; i < jobs.plugin_paths.size(); ++i) {
    const std::filesystem::path& path = jobs.plugin_paths[i];
    if (!path.is_absolute()) {
      return core::Failure{"--executor slurm: plugin '" + options.source.plugins[i] +
                           "' is not an absolute path (the nodes load the same file by the "
                           "same path)"};
    }
    slurm.worker.insert(slurm.worker.end(), {"--plugin", path.string()});
  }
  for (const std::string& pair : options.source.args) {
    slurm.worker.insert(slurm.worker.end(), {"--arg", pair});
  }
  if (!options.source.positional.empty()) {
    slurm.worker.push_back("--");
    slurm.worker.insert(slurm.worker.end(), options.source.positional.begin(),
                        options.source.positional.end());
  }
  slurm.partition = options.slurm_partition;
  slurm.account = options.slurm_account;
  slurm.srun_args = options.srun_args;
  slurm.job_name = "dojobber-" + std::to_string(::getpid());
  if (core::Status ready = core::CheckSlurm(slurm); !ready) return ready.failure();
  return slurm;
}

int RunRunCommand(const RunOptions& options, const std::stop_token& stop) {
  if (options.executor != "slurm" &&
      (!options.slurm_partition.empty() || !options.slurm_account.empty() ||
       !options.srun_args.empty())) {
    return Fail("--slurm-partition, --slurm-account and --srun-arg need --executor slurm", kUsage);
  }
  if (options.lock_wait > 0 && options.lock_path.empty()) {
    return Fail("--lock-wait needs --lock", kUsage);
  }
  if (SameRegularFile(options.report_path, options.dot_path)) {
    return Fail("--report and --dot name the same file: " + options.dot_path, kUsage);
  }
  // An output renamed over the lock file would leave the lock on a file that
  // no longer has the name, free for a second run to take.
  for (const auto& [name, path] :
       {std::pair{"--report", &options.report_path}, std::pair{"--dot", &options.dot_path}}) {
    if (SameRegularFile(options.lock_path, *path)) {
      return Fail(std::string("--lock and ") + name + " name the same file: " + *path, kUsage);
    }
  }
  // Before anything else is opened or loaded: a run that waits or gives up
  // has done nothing. Held until this returns or the process ends.
  std::optional<core::RunLock> lock;
  if (!options.lock_path.empty()) {
    auto acquired = core::RunLock::Acquire(options.lock_path, options.lock_wait, stop);
    if (!acquired) return Fail(acquired.message(), stop.stop_requested() ? kInterrupted : kUsage);
    lock.emplace(std::move(*acquired));
  }
  auto report = OpenOutput(options.report_path);
  if (!report) return Fail(report.message(), kUsage);
  auto dot = OpenOutput(options.dot_path);
  if (!dot) return Fail(dot.message(), kUsage);

  auto jobs = LoadJobs(options.source);
  if (!jobs) return Fail(jobs.message(), kUsage);
  const core::JobDefaults defaults{options.default_tries, options.default_retry_delay,
                                   options.default_timeout};
  auto graph = core::Graph::BuildFromRoots((*jobs)->registry, options.roots, defaults);
  if (!graph) return Fail(graph.message(), kUsage);

  auto trace = std::make_unique<core::TraceWriter>(
      std::cerr, core::TraceOptions{options.verbose, options.debug, !options.quiet});
  std::unique_ptr<core::Executor> executor;
  if (options.executor == "slurm") {
    auto slurm = SlurmSettings(options, **jobs);
    if (!slurm) return Fail(slurm.message(), kUsage);
    executor = core::MakeSlurmExecutor(std::move(*slurm));
  } else if (options.executor == "isolate") {
    executor = core::MakeIsolatedExecutor();
  } else {
    executor = std::make_unique<core::InProcessExecutor>();
  }
  auto engine = std::make_unique<core::Engine>(*graph,
                                               core::RunOptions{.no_act = options.no_act,
                                                                .cleanup = !options.no_cleanup,
                                                                .jobs = options.jobs,
                                                                .stop = stop},
                                               nullptr, trace.get(), executor.get());
  core::RunResult result = engine->Run();
  if (!result.worker_shortfall.empty()) {
    PrintError("warning: -j " + std::to_string(options.jobs) + ": only " +
               std::to_string(result.workers) + " workers could start (" + result.worker_shortfall +
               "); the run used them");
  }
  // A signal during the cleanups still ends the process with 130: the
  // reports say so too.
  result.interrupted = result.interrupted || stop.stop_requested();
  const bool abandoned = result.abandoned_tries > 0;
  if (!abandoned) {
    engine.reset();
    executor.reset();
  }

  const int exit_code = WriteOutputs(options, *graph, result, *report, *dot, ExitCodeOf(result));
  if (abandoned) {
    // A timed-out try still runs on its own thread and may use the graph,
    // the engine, the trace or the plugins at any moment: end the process
    // here, with all of them where that thread expects them (not even
    // moved), and without the destructors that would pull them from under it.
    // Its commands got SIGTERM when it was abandoned; what is left dies now.
    core::KillAllCommandGroups();
    std::cout.flush();
    std::cerr.flush();
    std::_Exit(FinalExitStatus(exit_code));
  }
  KeepUntilExit(std::move(result));
  KeepUntilExit(std::move(*graph));
  KeepUntilExit(std::move(*jobs));
  return exit_code;
}

}  // namespace dojobber::cli
