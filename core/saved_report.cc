#include "core/saved_report.h"

#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/text_format.h"

namespace dojobber::core {
namespace {

using nlohmann::json;

Failure NotAReport(std::string_view why) {
  return Failure{"not a dojobber report (" + std::string(why) + ")"};
}

// A string-or-null member, absent reading as null.
Expected<std::optional<std::string>> OptionalString(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::optional<std::string>();
  if (!found->is_string()) return Failure{std::string(key) + " is not a string"};
  return std::optional<std::string>(found->get<std::string>());
}

// A number member, absent or null reading as 0.
Expected<double> Seconds(const json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return 0.0;
  if (!found->is_number()) return Failure{std::string(key) + " is not a number"};
  return found->get<double>();
}

bool Flag(const json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_boolean() && found->get<bool>();
}

Expected<JobStatus> StatusOf(const json& job) {
  const auto status = job.find("status");
  if (status == job.end() || !status->is_string()) return Failure{"no status"};
  for (JobStatus known :
       {JobStatus::kOk, JobStatus::kChanged, JobStatus::kFailed, JobStatus::kBlocked}) {
    if (*status == StatusName(known)) return known;
  }
  return Failure{"unknown status '" + Printable(status->get<std::string>()) + "'"};
}

// Fills `report` from one entry of `jobs`; the message says what is wrong.
Status ReadJob(const json& job, JobReport& report) {
  auto status = StatusOf(job);
  if (!status) return status.failure();
  report.status = *status;
  const auto tries = job.find("tries");
  if (tries == job.end() || !tries->is_number_unsigned() || tries->get<std::uint64_t>() > 1000000) {
    return Failure{"no tries"};
  }
  report.tries = tries->get<int>();
  auto error = OptionalString(job, "error");
  if (!error) return error.failure();
  report.error = std::move(*error);
  auto run_error = OptionalString(job, "run_error");
  if (!run_error) return run_error.failure();
  report.run_error = std::move(*run_error);
  report.fatal = Flag(job, "fatal");
  report.interrupted = Flag(job, "interrupted");
  report.result = job.value("result", json());
  for (auto [field, key] :
       {std::pair{&report.seconds, "duration_s"}, std::pair{&report.start_s, "start_s"},
        std::pair{&report.end_s, "end_s"}}) {
    auto seconds = Seconds(job, key);
    if (!seconds) return seconds.failure();
    *field = *seconds;
  }
  report.last_start_s = report.start_s;
  const auto history = job.find("history");
  if (history != job.end()) {
    if (!history->is_array()) return Failure{"history is not an array"};
    for (std::size_t i = 0; i < history->size(); ++i) {
      const json& entry = (*history)[i];
      if (!entry.is_object()) return Failure{"history entry is not an object"};
      TryRecord record;
      auto start = Seconds(entry, "start");
      auto end = Seconds(entry, "end");
      auto try_error = OptionalString(entry, "error");
      auto try_run_error = OptionalString(entry, "run_error");
      if (!start || !end || !try_error || !try_run_error) {
        return Failure{"history entry is malformed"};
      }
      if (i + 1 == history->size()) {
        report.last_start_s = *start;
        break;
      }
      record.start_s = *start;
      record.end_s = *end;
      record.error = std::move(*try_error);
      record.run_error = std::move(*try_run_error);
      report.earlier_tries.push_back(std::move(record));
    }
  }
  const auto plan = job.find("plan");
  if (plan != job.end()) {
    if (!plan->is_string()) return Failure{"plan is not a plan step"};
    report.failed_by_check = *plan == PlanStepKey(PlanStep::kWouldRun);
  }
  return {};
}

Expected<std::vector<std::string>> Names(const json& value, std::string_view what) {
  if (!value.is_array()) return Failure{std::string(what) + " is not an array of names"};
  std::vector<std::string> names;
  names.reserve(value.size());
  for (const json& name : value) {
    if (!name.is_string()) return Failure{std::string(what) + " is not an array of names"};
    names.push_back(name.get<std::string>());
  }
  return names;
}

Status ReadCleanup(const json& document, const Graph& graph, RunResult& result) {
  const auto cleanup = document.find("cleanup");
  if (cleanup == document.end() || cleanup->is_null()) return {};
  if (!cleanup->is_object()) return NotAReport("cleanup is not an object");
  CleanupReport report;
  for (auto [field, key] : {std::pair{&report.ran, "ran"}, std::pair{&report.pending, "pending"},
                            std::pair{&report.skipped, "skipped"}}) {
    const auto count = cleanup->find(key);
    if (count != cleanup->end() && count->is_number_unsigned()) *field = count->get<std::size_t>();
  }
  auto failed_job = OptionalString(*cleanup, "failed_job");
  auto error = OptionalString(*cleanup, "error");
  if (!failed_job || !error) return NotAReport("cleanup is malformed");
  if (*failed_job) {
    const std::optional<JobId> id = graph.Find(**failed_job);
    if (!id) return NotAReport("cleanup names a job without an entry");
    // The report does not say which try's Cleanup failed: the last one's
    // runs first (cleanups run in reverse order of their tries).
    report.failure = CleanupReport::FailedCleanup{*id, result.jobs[*id].tries, error->value_or("")};
  }
  result.cleanup = std::move(report);
  return {};
}

}  // namespace

Expected<SavedReport> ReadSavedReport(std::istream& in) {
  SavedReport saved;
  // Read whole first: parsing a string is much faster than a stream.
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  saved.document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const json& document = saved.document;
  if (document.is_discarded()) return Failure{"not valid JSON"};
  if (!document.is_object()) return NotAReport("not a JSON object");
  const auto version = document.find("version");
  if (version == document.end() || !version->is_number_integer()) {
    return NotAReport("no \"version\"");
  }
  if (*version != 1 && *version != 2) {
    return Failure{"unsupported report version " + version->dump() +
                   " (this dojobber reads versions 1 and 2)"};
  }
  saved.version = version->get<int>();
  const auto jobs = document.find("jobs");
  if (jobs == document.end() || !jobs->is_object()) return NotAReport("no \"jobs\" object");
  const auto roots_entry = document.find("roots");
  if (roots_entry == document.end()) return NotAReport("no \"roots\"");
  auto roots = Names(*roots_entry, "roots");
  if (!roots) return NotAReport(roots.message());

  // The jobs as specs without factories, in the report's order, each with
  // its deps: Graph::BuildFromRoots then gives them the run's ids.
  saved.registry = std::make_unique<JobRegistry>();
  saved.registry->BeginSource("the report");
  for (const auto& [name, job] : jobs->items()) {
    if (!job.is_object()) return NotAReport("job '" + Printable(name) + "' is not an object");
    const auto deps_entry = job.find("deps");
    if (deps_entry == job.end()) return NotAReport("job '" + Printable(name) + "' has no deps");
    auto deps = Names(*deps_entry, "deps");
    if (!deps) return NotAReport("job '" + Printable(name) + "': " + deps.message());
    // A factory that makes nothing: these jobs are only ever read.
    static_cast<Registry&>(*saved.registry)
        .Add(name, [] { return std::unique_ptr<Job>(); })
        .Deps(std::move(*deps));
  }
  if (Status registered = saved.registry->status(); !registered) {
    return NotAReport(registered.message());
  }
  auto graph = Graph::BuildFromRoots(*saved.registry, *roots, JobDefaults{});
  if (!graph) return NotAReport(graph.message());
  saved.graph = std::make_unique<Graph>(std::move(*graph));
  if (saved.graph->size() != jobs->size()) {
    return NotAReport("jobs that no root depends on");
  }

  RunResult& result = saved.result;
  result.jobs.resize(saved.graph->size());
  for (JobId id = 0; id < saved.graph->size(); ++id) {
    const std::string& name = saved.graph->name(id);
    if (Status read = ReadJob((*jobs)[name], result.jobs[id]); !read) {
      return NotAReport("job '" + Printable(name) + "': " + read.message());
    }
  }
  result.success = Flag(document, "success");
  result.partial_success = Flag(document, "partial_success");
  result.interrupted = Flag(document, "interrupted");
  auto seconds = Seconds(document, "duration_s");
  if (!seconds) return NotAReport(seconds.message());
  result.seconds = *seconds;
  result.seed = document.value("seed", json(0)).is_number_unsigned()
                    ? document["seed"].get<std::uint64_t>()
                    : 0;
  if (Status cleanup = ReadCleanup(document, *saved.graph, result); !cleanup) {
    return cleanup.failure();
  }
  result.root_causes = RootCauses::Compute(*saved.graph, result);
  saved.no_act = Flag(document, "no_act");
  const auto exit_code = document.find("exit_code");
  if (exit_code != document.end() && exit_code->is_number_integer()) {
    saved.exit_code = exit_code->get<int>();
  }
  if (saved.no_act) {
    saved.plan = DryRunPlan::Of(*saved.graph, result);
    for (JobId id = 0; id < saved.graph->size(); ++id) {
      const json& job = (*jobs)[saved.graph->name(id)];
      const auto step = job.find("plan");
      if (step != job.end() && *step != PlanStepKey(saved.plan->step(id))) {
        return NotAReport("job '" + Printable(saved.graph->name(id)) +
                          "': plan does not match its status");
      }
    }
  }
  return saved;
}

}  // namespace dojobber::core
