// The test kit: a thin front end over the engine, as the CLI's `run` is. It
// loads the jobs, builds the graph and runs the engine with a fake clock and
// a trace writer, then copies the engine's result into the kit's own plain
// structs, so the public header shows no engine type.

#include <dojobber/plugin.h>
#include <dojobber/testing.h>

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "core/clock.h"
#include "core/engine.h"
#include "core/graph.h"
#include "core/in_process_executor.h"
#include "core/job_registry.h"
#include "core/plugin_loader.h"
#include "core/trace_writer.h"

// The entry point that DOJOBBER_PLUGIN defines (BOOST_DLL_ALIAS: a pointer
// to the function that returns the PluginInfo) when a plugin's source is
// compiled into the test program. Weak, so that a program without one still
// links: then its address is null. The name is kPluginEntryPoint's.
extern "C" [[gnu::weak]] const void* dojobber_plugin_v1;

namespace dojobber::testing {

struct JobSource::Spec {
  struct Linked {};
  std::variant<std::filesystem::path, Linked, std::function<void(Registry&)>> what;
};

JobSource JobSource::Plugin(std::filesystem::path path) {
  return JobSource(std::make_shared<const Spec>(Spec{std::move(path)}));
}
JobSource JobSource::Linked() {
  return JobSource(std::make_shared<const Spec>(Spec{Spec::Linked{}}));
}
JobSource JobSource::Function(std::function<void(Registry&)> register_jobs) {
  return JobSource(std::make_shared<const Spec>(Spec{std::move(register_jobs)}));
}

namespace {

// The fake clock makes job code take no time, so no try can reach a time
// limit: tries run as if they had none (on the worker's own thread). A
// thread abandoned at a real-time limit would outlive the run and the
// plugin this kit unloads at its end.
class UntimedExecutor final : public core::Executor {
 public:
  core::TryOutcome RunTry(const core::RunScope& scope, const core::TryRequest& request) override {
    core::TryRequest untimed = request;
    untimed.timeout_seconds = 0;
    return tries_.RunTry(scope, untimed);
  }
  core::CallOutcome RunCleanup(const core::RunScope& scope, core::RetainedTry& kept) override {
    return tries_.RunCleanup(scope, kept);
  }

 private:
  core::InProcessExecutor tries_;
};

core::Status RegisterLinked(core::JobRegistry& registry) {
  std::error_code ec;
  const std::string program = boost::dll::program_location(ec).string();
  if (&dojobber_plugin_v1 == nullptr) {
    return core::Failure{"no plugin is linked into this program (" + program +
                         "): compile the source with DOJOBBER_PLUGIN(...) into the test, or use "
                         "JobSource::Plugin(path)"};
  }
  using Entry = const PluginInfo*();
  // BOOST_DLL_ALIAS stores the entry function's address as an integer.
  const auto entry = reinterpret_cast<Entry*>(reinterpret_cast<std::intptr_t>(dojobber_plugin_v1));
  const PluginInfo* info = entry();
  if (core::Status valid = core::CheckPluginInfo(info, program); !valid) return valid;
  return core::RegisterJobs(info->register_jobs, program, "plugin " + program, registry);
}

core::Status Register(const JobSource::Spec& spec, core::JobRegistry& registry,
                      core::PluginSet& plugins) {
  if (const auto* path = std::get_if<std::filesystem::path>(&spec.what)) {
    return plugins.Load(*path, registry);
  }
  if (std::holds_alternative<JobSource::Spec::Linked>(spec.what)) return RegisterLinked(registry);
  return core::RegisterJobs(std::get<std::function<void(Registry&)>>(spec.what),
                            "the test's registration function", "the test's registration function",
                            registry);
}

Status ToStatus(core::JobStatus status) {
  switch (status) {
    case core::JobStatus::kOk:
      return Status::kOk;
    case core::JobStatus::kChanged:
      return Status::kChanged;
    case core::JobStatus::kFailed:
      return Status::kFailed;
    case core::JobStatus::kPending:
    case core::JobStatus::kBlocked:
      break;
  }
  return Status::kBlocked;  // Nothing is pending once a run has ended.
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(std::move(line));
  return lines;
}

RunResult Copy(const core::Graph& graph, const core::RunResult& ran) {
  RunResult result;
  result.success = ran.success;
  result.seconds = ran.seconds;
  result.jobs.reserve(graph.size());
  for (core::JobId id = 0; id < graph.size(); ++id) {
    const core::JobReport& report = ran.jobs[id];
    JobResult job;
    job.name = graph.name(id);
    job.status = ToStatus(report.status);
    job.tries = report.tries;
    job.error = report.error;
    job.result = report.result;
    job.start_s = report.start_s;
    job.end_s = report.end_s;
    job.run_error = report.run_error;
    job.fatal = report.fatal;
    int try_number = 0;
    for (const core::TryRecord& earlier : report.earlier_tries) {
      job.history.push_back(
          {++try_number, earlier.start_s, earlier.end_s, earlier.error, earlier.run_error});
    }
    if (report.tries > 0) {
      job.history.push_back(
          {report.tries, report.last_start_s, report.end_s, report.error, report.run_error});
    }
    for (core::JobId cause : ran.root_causes.of(id)) job.blocked_by.push_back(graph.name(cause));
    result.jobs.push_back(std::move(job));
  }
  if (ran.cleanup && ran.cleanup->failure) {
    const auto& failure = *ran.cleanup->failure;
    result.cleanup_failure =
        CleanupFailure{graph.name(failure.job), failure.try_number, failure.error};
  }
  return result;
}

}  // namespace

const char* StatusName(Status status) {
  // The engine's names, the ones the status table and the report use.
  for (core::JobStatus engine_status : {core::JobStatus::kOk, core::JobStatus::kChanged,
                                        core::JobStatus::kFailed, core::JobStatus::kBlocked}) {
    if (ToStatus(engine_status) == status) return core::StatusName(engine_status);
  }
  return "?";
}

std::ostream& operator<<(std::ostream& out, Status status) { return out << StatusName(status); }

const JobResult& RunResult::job(std::string_view name) const {
  for (const JobResult& job : jobs) {
    if (job.name == name) return job;
  }
  throw std::out_of_range("job '" + std::string(name) + "' is not in the run's graph" +
                          (error ? " (the run was refused: " + *error + ")" : ""));
}

RunResult RunGraph(const std::vector<JobSource>& sources, const Options& options) {
  RunResult refused;
  // Tries and the retry delay are checked with the graph, job by job.
  if (options.jobs < 1) {
    refused.error = "-j " + std::to_string(options.jobs) + ": must be at least 1";
    return refused;
  }
  // Declared in the order that destroys the engine (and its job objects)
  // before the graph and registry, and those before the plugins' code.
  core::PluginSet plugins;
  core::JobRegistry registry(Arguments(options.positional, options.args));
  for (const JobSource& source : sources) {
    if (core::Status registered = Register(source.spec(), registry, plugins); !registered) {
      refused.error = registered.message();
      return refused;
    }
  }
  // The declared parameters refuse what `dojobber run` refuses.
  if (core::Status checked = registry.CheckArguments(/*require=*/true); !checked) {
    refused.error = checked.message();
    return refused;
  }
  auto graph = core::Graph::BuildFromRoots(registry, options.roots,
                                           {.tries = options.default_tries,
                                            .retry_delay = options.default_retry_delay,
                                            .retry_backoff = options.default_retry_backoff,
                                            .retry_max_delay = options.default_retry_max_delay,
                                            .retry_jitter = options.default_retry_jitter});
  if (!graph) {
    refused.error = graph.message();
    return refused;
  }

  std::ostringstream trace_text;
  core::TraceWriter trace(trace_text, {.verbose = true, .debug = options.debug, .job_logs = true});
  core::FakeClock clock;
  UntimedExecutor executor;
  core::Engine engine(*graph,
                      {.no_act = options.dry_run,
                       .cleanup = options.cleanup,
                       .jobs = options.jobs,
                       .seed = options.seed},
                      &clock, &trace, &executor);
  RunResult result = Copy(*graph, engine.Run());
  result.trace = SplitLines(trace_text.str());
  engine.global().Read([&result](const nlohmann::json& global) { result.global = global; });
  return result;
}

}  // namespace dojobber::testing
