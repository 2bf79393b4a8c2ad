#include "cli/run_command.h"

#include <unistd.h>

#include <boost/dll/runtime_symbol_info.hpp>

#include <dojobber/version.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <tuple>
#include <vector>

#include "cli/error_output.h"
#include "cli/exit_code.h"
#include "cli/graph_output.h"
#include "cli/interrupts.h"
#include "cli/progress_display.h"
#include "cli/same_file.h"
#include "cli/terminal.h"
#include "cli/validators.h"
#include "core/atomic_file.h"
#include "core/command_groups.h"
#include "core/dot_render.h"
#include "core/dot_writer.h"
#include "core/dry_run_plan.h"
#include "core/engine.h"
#include "core/fork_server.h"
#include "core/graph.h"
#include "core/html_report.h"
#include "core/in_process_executor.h"
#include "core/json_report.h"
#include "core/run_lock.h"
#include "core/run_log.h"
#include "core/run_progress.h"
#include "core/slurm_launcher.h"
#include "core/status_report.h"
#include "core/tee_observer.h"
#include "core/trace_writer.h"

namespace dojobber::cli {
namespace {

// On a terminal, unless plain output is asked for (NO_COLOR, TERM=dumb).
bool UseColor() { return IsTerminal(STDOUT_FILENO) && !PlainOutputRequested(); }

// Freeing a million jobs' registry, graph and results takes longer than
// building them, and the process is about to end: leave them to the OS, as
// compilers do with their ASTs. The pointers stay reachable, so leak
// checkers see no leak. Job objects are not involved: the engine is gone.
template <class T>
void KeepUntilExit(T value) {
  static std::vector<std::shared_ptr<void>>* kept = new std::vector<std::shared_ptr<void>>();
  kept->push_back(std::make_shared<T>(std::move(value)));
}

// With `detailed`, 6 tells "changes" from "nothing to do" where the plain
// status says 0 for both or 1 for pending changes: in a dry run, 0 when
// every job is ok, 6 when some would run and none failed (cannot be judged),
// else 1; in a real run, 0 when every job was ok, 6 when every job succeeded
// and some changed, else 1. Interruptions and failed cleanups keep theirs.
int ExitCodeOf(const core::RunResult& result, const core::DryRunPlan* plan, bool detailed) {
  if (result.interrupted) return kInterrupted;
  if (result.cleanup && !result.cleanup->ok()) return kCleanupFailed;
  if (detailed && plan) {
    const core::PlanCounts& counts = plan->counts();
    return counts.failed > 0 ? kJobsFailed : counts.NothingToDo() ? kSuccess : kChanges;
  }
  if (detailed && result.success) {
    const bool changed = std::any_of(result.jobs.begin(), result.jobs.end(), [](const auto& job) {
      return job.status == core::JobStatus::kChanged;
    });
    return changed ? kChanges : kSuccess;
  }
  return result.success ? kSuccess : kJobsFailed;
}

// Writes the status report, the JSON report and the graph files; returns
// the exit status, kOutputFailed if one of them could not be written.
//
// The files are written whole before any is committed, so that a stop
// signal that comes meanwhile (a million jobs' report takes a second) is
// seen before they are in place: the run then counts as interrupted, its
// exit status is 130, and the report, still a temporary file, is written
// again to say so. (The status report on stdout is already out, and a
// report written in place, to a pipe, says what it said.) A signal after
// the check changes only the exit status (FinalExitStatus).
int WriteOutputs(const RunOptions& options, const core::Graph& graph, core::RunResult& result,
                 core::ReportInfo about, std::optional<core::AtomicFile>& report,
                 std::optional<core::AtomicFile>& html, std::vector<GraphOutput>& graphs,
                 int exit_code) {
  const core::DryRunPlan* plan = about.plan;
  core::WriteStatusReport(std::cout, graph, result,
                          {.color = UseColor(), .no_act = options.no_act, .plan = plan});
  if (!std::cout.flush()) exit_code = Fail("cannot write to standard output", kOutputFailed);
  const auto write_report = [&] {
    about.exit_code = exit_code;
    core::WriteJsonReport(report->stream(), graph, result, about);
  };
  if (report) write_report();
  // The HTML report says what the JSON report says: it is made from it.
  bool html_written = false;
  const auto write_html = [&] {
    about.exit_code = exit_code;
    core::Status written = core::WriteHtmlReport(html->stream(), graph, result, about);
    if (!written)
      exit_code = Fail("--html " + options.html_path + ": " + written.message(), kOutputFailed);
    html_written = written.ok();
  };
  if (html) write_html();
  // A graph that could not be drawn is not committed.
  std::vector<GraphOutput*> written;
  for (GraphOutput& file : graphs) {
    if (core::Status drawn = file.Write(graph, &result); !drawn) {
      exit_code = Fail(drawn.message(), kOutputFailed);
    } else {
      written.push_back(&file);
    }
  }
  if (StopSignalled() && !result.interrupted) {
    result.interrupted = true;
    exit_code = kInterrupted;
    if (report && report->Rewind()) write_report();
    if (html && html->Rewind()) write_html();
  }
  if (report) {
    if (core::Status committed = report->Commit(); !committed) {
      exit_code = Fail(committed.message(), kOutputFailed);
    }
  }
  if (html && html_written) {
    if (core::Status committed = html->Commit(); !committed) {
      exit_code = Fail(committed.message(), kOutputFailed);
    }
  }
  for (GraphOutput* file : written) {
    if (core::Status committed = file->Commit(); !committed) {
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

// The report's name for --executor's value.
std::string_view ExecutorName(const std::string& executor) {
  if (executor == "isolate") return "isolate";
  if (executor == "slurm") return "slurm";
  return "in-process";
}

std::string HostName() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) return "";
  return name.data();
}

// The loaded plugins, by absolute path, each built for this SDK's ABI or it
// would not have loaded.
std::vector<core::ReportPlugin> ReportPlugins(const LoadedJobs& jobs) {
  std::vector<core::ReportPlugin> plugins;
  for (const std::filesystem::path& path : jobs.plugin_paths) {
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    plugins.push_back(
        {(ec ? path : absolute).lexically_normal().string(), DOJOBBER_SDK_ABI_VERSION});
  }
  return plugins;
}

// The log file's descriptor, closed at the end of the run.
struct LogFile {
  int fd = -1;
  LogFile() = default;
  LogFile(const LogFile&) = delete;
  LogFile& operator=(const LogFile&) = delete;
  ~LogFile() {
    if (fd >= 0) ::close(fd);
  }
};

// --seed, or one drawn at random from the same range, so that any run's
// jitter can be repeated with the seed its report gives.
std::uint64_t RunSeed(const RunOptions& options) {
  if (options.seed >= 0) return static_cast<std::uint64_t>(options.seed);
  std::random_device entropy;
  return std::uniform_int_distribution<std::uint64_t>(0, std::numeric_limits<int>::max())(entropy);
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
  run->add_flag("-n,--no-act", options.no_act,
                "Dry run: only Check, never Run; the report reads as a plan (ok, would run, "
                "unknown, failed)");
  run->add_flag("--detailed-exitcode", options.detailed_exitcode,
                "Exit 0 when there is nothing to do, 6 when there are changes (a dry run: "
                "some job would run; a real run: some job changed), 1 on any failure");
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
  run->add_option("--progress", options.progress,
                  "The live progress line on stderr: auto (redrawn in place on a terminal, "
                  "unless NO_COLOR is set or TERM=dumb), always (also a plain line every 10 s "
                  "where stderr is not a terminal), never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str()
      ->type_name("WHEN");
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
  run->add_option("--default-retry-backoff", options.default_retry_backoff,
                  "Multiply the retry delay by this after each further try, for jobs that do "
                  "not set their own backoff (1: a fixed delay)")
      ->check(BackoffFactor())
      ->capture_default_str()
      ->type_name("FACTOR");
  run->add_option("--default-retry-max-delay", options.default_retry_max_delay,
                  "Cap on a retry delay grown by backoff, for jobs that do not set their own "
                  "(default: no cap)")
      ->check(Seconds())
      ->type_name("SECONDS");
  run->add_option("--default-retry-jitter", options.default_retry_jitter,
                  "Spread each retry delay d at random over [d*(1-F), d*(1+F)], for jobs that "
                  "do not set their own jitter")
      ->check(Fraction())
      ->capture_default_str()
      ->type_name("F");
  run->add_option("--seed", options.seed,
                  "Seed of the retry jitter: the same seed, the same delays (default: a random "
                  "seed, written to the report)")
      ->check(WholeNumberAtLeast(0))
      ->type_name("N");
  run->add_option("--report", options.report_path,
                  "Write the JSON report here (atomically, also when jobs fail)")
      ->check(FileName())
      ->type_name("FILE");
  run->add_option("--graph", options.graph_path,
                  "Write the graph coloured by final status here (atomically), in the format "
                  "of the name's extension: .dot or .gv (DOT; also a name without one), .svg "
                  "(failed jobs' errors as tooltips), .png, .pdf (drawn by Graphviz's library, "
                  "for at most " +
                      std::to_string(core::kMaxRenderedNodes) + " nodes and " +
                      std::to_string(core::kMaxRenderedEdges) + " edges)")
      ->check(FileName())
      ->type_name("FILE");
  run->add_option("--html", options.html_path,
                  "Write the HTML report here (atomically, also when jobs fail): one "
                  "self-contained page with the summary, the graph, a timeline of the tries "
                  "and every job's tries, errors and log (dojobber report FILE.json --html "
                  "writes the same from a saved JSON report)")
      ->check(FileName())
      ->type_name("FILE");
  run->add_option("--dot", options.dot_path,
                  "Write the graph coloured by final status here in DOT, whatever the name")
      ->check(FileName())
      ->type_name("FILE");
  run->add_option("--log", options.log_path,
                  "Append everything the run says to this file, one line per event with an "
                  "RFC 3339 UTC time, the try and the job: tries started and ended, each "
                  "phase, the jobs' log lines, cleanups (created if missing)")
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
  // Two outputs naming one file would have one write undo the other; an
  // output renamed over the lock file would leave the lock on a file that no
  // longer has the name, free for a second run to take.
  if (const std::optional<std::string> clash = SameFileClash({{"--lock", options.lock_path},
                                                              {"--report", options.report_path},
                                                              {"--html", options.html_path},
                                                              {"--dot", options.dot_path},
                                                              {"--graph", options.graph_path},
                                                              {"--log", options.log_path}})) {
    return Fail(*clash, kUsage);
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
  LogFile log_file;
  if (!options.log_path.empty()) {
    auto opened = core::OpenForAppending(options.log_path, options.log_path);
    if (!opened) return Fail(opened.message(), kUsage);
    log_file.fd = *opened;
  }
  auto html = OpenOutput(options.html_path);
  if (!html) return Fail(html.message(), kUsage);
  std::vector<GraphOutput> graphs;
  for (const auto& [option, path, choice] :
       {std::tuple{"--dot", &options.dot_path, GraphOutput::Choice::kDot},
        std::tuple{"--graph", &options.graph_path, GraphOutput::Choice::kByExtension}}) {
    if (path->empty()) continue;
    auto file = GraphOutput::Open(option, *path, choice);
    if (!file) return Fail(file.message(), kUsage);
    graphs.push_back(std::move(*file));
  }

  auto jobs = LoadJobs(options.source, ArgumentCheck::kFull);
  if (!jobs) return Fail(jobs.message(), kUsage);
  // Before any job runs: a job may change the working directory.
  const std::vector<core::ReportPlugin> plugins = ReportPlugins(**jobs);
  const std::string host = HostName();
  const core::JobDefaults defaults{.tries = options.default_tries,
                                   .retry_delay = options.default_retry_delay,
                                   .retry_backoff = options.default_retry_backoff,
                                   .retry_max_delay = options.default_retry_max_delay,
                                   .retry_jitter = options.default_retry_jitter,
                                   .timeout = options.default_timeout};
  auto graph = core::Graph::BuildFromRoots((*jobs)->registry, options.roots, defaults);
  if (!graph) return Fail(graph.message(), kUsage);
  for (const GraphOutput& file : graphs) {
    if (core::Status fits = file.CheckSize(*graph, true); !fits)
      return Fail(fits.message(), kUsage);
  }

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
  // The progress line, when shown, has the trace and the jobs' log lines
  // written above it. All of these outlive the engine, and are never freed
  // when an abandoned try may still use them (see below).
  core::SteadyClock clock;
  std::optional<core::RunProgress> progress;
  std::optional<ProgressDisplay> display;
  if (const ProgressStyle style = ChooseProgressStyle(options.progress);
      style != ProgressStyle::kNone) {
    progress.emplace(*graph, clock, stop, executor->stop_grace_seconds());
    display.emplace(*progress, style, stop);
  }
  auto trace = std::make_unique<core::TraceWriter>(
      display ? display->stream() : std::cerr,
      core::TraceOptions{options.verbose, options.debug, !options.quiet});
  std::optional<core::TeeObserver> tee;
  if (progress) tee.emplace(*trace, *progress);
  core::RunObserver* observer = tee ? static_cast<core::RunObserver*>(&*tee) : trace.get();
  std::unique_ptr<core::RunLogWriter> run_log;
  std::optional<core::TeeObserver> log_tee;
  if (log_file.fd >= 0) {
    run_log = std::make_unique<core::RunLogWriter>(log_file.fd, *graph);
    std::string started = "started, pid " + std::to_string(::getpid()) + ":";
    for (const std::string& word : options.command_line) started += " " + word;
    run_log->Note(started);
    log_tee.emplace(*observer, *run_log);
    observer = &*log_tee;
  }
  auto engine = std::make_unique<core::Engine>(*graph,
                                               core::RunOptions{.no_act = options.no_act,
                                                                .cleanup = !options.no_cleanup,
                                                                .jobs = options.jobs,
                                                                .seed = RunSeed(options),
                                                                .stop = stop},
                                               &clock, observer, executor.get());
  core::RunResult result = engine->Run();
  if (display) display->Finish();  // Gone before anything else is printed.
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

  std::optional<core::DryRunPlan> plan;
  if (options.no_act) plan = core::DryRunPlan::Of(*graph, result);
  const core::DryRunPlan* plan_ptr = plan ? &*plan : nullptr;
  int exit_code = ExitCodeOf(result, plan_ptr, options.detailed_exitcode);
  if (run_log) {
    if (core::Status logged = run_log->status(options.log_path); !logged) {
      exit_code = Fail(logged.message(), kOutputFailed);
    }
  }
  const core::ReportInfo about{.root = options.roots.front(),
                               .no_act = options.no_act,
                               .plan = plan_ptr,
                               .dojobber_version = DOJOBBER_VERSION,
                               .host = host,
                               .command_line = options.command_line,
                               .positional = options.source.positional,
                               .plugins = plugins,
                               .executor = ExecutorName(options.executor),
                               .parallelism = options.jobs};
  exit_code = WriteOutputs(options, *graph, result, about, *report, *html, graphs, exit_code);
  if (run_log) run_log->Note("ended, exit status " + std::to_string(FinalExitStatus(exit_code)));
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
