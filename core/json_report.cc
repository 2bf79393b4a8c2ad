#include "core/json_report.h"

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "core/job_list.h"
#include "core/json_buffer.h"
#include "core/optional_string.h"
#include "core/text_format.h"

namespace dojobber::core {
namespace {

// A number written once and copied where it repeats: a job's start_s and
// end_s are its last try's start and end in `history`.
class NumberText {
 public:
  explicit NumberText(double value) : end_(WriteShortest(text_, value)) {}
  std::string_view view() const {
    return {text_, static_cast<std::size_t>(end_ - static_cast<const char*>(text_))};
  }

 private:
  char text_[kShortestNumberSize];
  char* end_;
};

void WriteCounts(JsonBuffer& out, const RunResult& result) {
  std::array<std::size_t, 5> counts{};
  for (const JobReport& job : result.jobs) ++counts[static_cast<std::size_t>(job.status)];
  out.Raw("\"counts\":{");
  for (JobStatus status :
       {JobStatus::kOk, JobStatus::kChanged, JobStatus::kFailed, JobStatus::kBlocked}) {
    if (status != JobStatus::kOk) out.Raw(',');
    out.Raw('"');
    out.Raw(StatusName(status));
    out.Raw("\":");
    out.Integer(counts[static_cast<std::size_t>(status)]);
  }
  out.Raw("},");
}

// The plan's counts, `"plan":{"ok":n,"would_run":n,"unknown":n,"failed":n},`.
void WritePlanCounts(JsonBuffer& out, const DryRunPlan& plan) {
  out.Raw("\"plan\":{");
  for (PlanStep step :
       {PlanStep::kOk, PlanStep::kWouldRun, PlanStep::kUnknown, PlanStep::kFailed}) {
    if (step != PlanStep::kOk) out.Raw(',');
    out.Raw('"');
    out.Raw(PlanStepKey(step));
    out.Raw("\":");
    out.Integer(plan.counts().of(step));
  }
  out.Raw("},");
}

void WriteCleanup(JsonBuffer& out, const Graph& graph, const RunResult& result) {
  out.Raw("\"cleanup\":");
  if (!result.cleanup) {
    out.Raw("null,");
    return;
  }
  const CleanupReport& cleanup = *result.cleanup;
  out.Raw("{\"ran\":");
  out.Integer(cleanup.ran);
  out.Raw(",\"pending\":");
  out.Integer(cleanup.pending);
  out.Raw(",\"skipped\":");
  out.Integer(cleanup.skipped);
  out.Raw(",\"failed_job\":");
  if (cleanup.failure) {
    out.String(graph.name(cleanup.failure->job));
    out.Raw(",\"error\":");
    out.String(cleanup.failure->error);
  } else {
    out.Raw("null,\"error\":null");
  }
  out.Raw("},");
}

// The keyword arguments the run used: each given one, and the default of
// each declared parameter that was not given.
void WriteArguments(JsonBuffer& out, const JobRegistry& registry) {
  out.Raw("\"arguments\":{");
  bool first = true;
  for (const auto& [key, value] : registry.args().keywords()) {
    if (!first) out.Raw(',');
    first = false;
    out.String(key);
    out.Raw(":{\"value\":");
    out.String(value);
    out.Raw(",\"given\":");
    out.Bool(!registry.Defaulted(key));
    out.Raw('}');
  }
  out.Raw("},");
}

void WriteNames(JsonBuffer& out, const Graph& graph, std::span<const JobId> ids) {
  out.Raw('[');
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out.Raw(',');
    out.String(graph.name(ids[i]));
  }
  out.Raw(']');
}

// What kept a blocked job from being tried: its dependencies that did not
// succeed, and the failed jobs at the root of that (core/root_causes.h).
void WriteBlockage(JsonBuffer& out, const Graph& graph, const RunResult& result, JobId id) {
  out.Raw(",\"blocked_by\":[");
  bool first = true;
  if (result.jobs[id].status == JobStatus::kBlocked) {
    for (JobId dep : graph.deps(id)) {
      if (Succeeded(result.jobs[dep].status)) continue;
      if (!first) out.Raw(',');
      first = false;
      out.String(graph.name(dep));
    }
  }
  out.Raw("],\"root_causes\":");
  WriteNames(out, graph, result.root_causes.of(id));
  out.Raw(",\"more_root_causes\":");
  out.Bool(result.root_causes.more(id));
}

void WriteOptionalString(JsonBuffer& out, const OptionalString& text) {
  if (text) {
    out.String(*text);
  } else {
    out.Raw("null");
  }
}

void WriteStrings(JsonBuffer& out, std::span<const std::string> texts) {
  out.Raw('[');
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out.Raw(',');
    out.String(texts[i]);
  }
  out.Raw(']');
}

// `,"key":` and the phase's result.
template <std::size_t N>
void WritePhase(JsonBuffer& out, const char (&key)[N], PhaseResult result) {
  out.Raw(key);
  out.Raw(result == PhaseResult::kPassed   ? std::string_view("\"passed\"")
          : result == PhaseResult::kFailed ? std::string_view("\"failed\"")
                                           : std::string_view("null"));
}

void WriteTry(JsonBuffer& out, int number, std::string_view start_s, std::string_view end_s,
              const OptionalString& error, const OptionalString& run_error, const TryDetail& detail,
              const RunResult& result) {
  out.Raw("{\"try\":");
  out.Integer(number);
  out.Raw(",\"start\":");
  out.Raw(start_s);
  out.Raw(",\"end\":");
  out.Raw(end_s);
  out.Raw(",\"error\":");
  WriteOptionalString(out, error);
  out.Raw(",\"run_error\":");
  WriteOptionalString(out, run_error);
  WritePhase(out, ",\"check\":", detail.phases.check);
  WritePhase(out, ",\"run\":", detail.phases.run);
  WritePhase(out, ",\"recheck\":", detail.phases.recheck);
  out.Raw(",\"worker\":");
  if (detail.worker == 0 || detail.worker >= result.worker_names.size()) {
    out.Raw("null");
  } else {
    out.String(result.worker_names[detail.worker]);
  }
  out.Raw(",\"fatal\":");
  out.Bool(detail.fatal);
  out.Raw(",\"timed_out\":");
  out.Bool(detail.timed_out);
  out.Raw('}');
}

// Every try in order: the earlier ones, then the last, which the job's own
// fields hold (a job with earlier tries has a last one). `start_s` and
// `end_s` are the job's, already written.
void WriteHistory(JsonBuffer& out, const JobReport& job, const RunResult& result,
                  const NumberText& start_s, const NumberText& end_s) {
  out.Raw(",\"history\":[");
  int number = 0;
  for (const TryRecord& earlier : job.earlier_tries) {
    WriteTry(out, ++number, NumberText(earlier.start_s).view(), NumberText(earlier.end_s).view(),
             earlier.error, earlier.run_error, earlier.detail, result);
    out.Raw(',');
  }
  if (job.tries > 0) {
    const bool first_is_last = job.earlier_tries.empty() && job.last_start_s == job.start_s;
    WriteTry(out, ++number, first_is_last ? start_s.view() : NumberText(job.last_start_s).view(),
             end_s.view(), job.error, job.run_error, job.last_try, result);
  }
  out.Raw(']');
}

// The job's last log lines, oldest first, and how many came before them.
void WriteLog(JsonBuffer& out, const RunResult& result, JobId id) {
  out.Raw(",\"log\":[");
  bool first = true;
  for (const LogTails::Line* line : result.logs.Lines(id)) {
    if (!first) out.Raw(',');
    first = false;
    out.Raw("{\"try\":");
    out.Integer(line->try_number);
    out.Raw(",\"line\":");
    out.String(line->text);
    out.Raw('}');
  }
  out.Raw("],\"log_dropped\":");
  out.Integer(result.logs.dropped(id));
}

// How the job's cleanups went; null when it was owed none.
void WriteJobCleanup(JsonBuffer& out, const RunResult& result, JobId id) {
  out.Raw(",\"cleanup\":");
  const CleanupOutcome outcome = result.cleanup && id < result.cleanup->jobs.size()
                                     ? result.cleanup->jobs[id]
                                     : CleanupOutcome::kNone;
  if (outcome == CleanupOutcome::kNone) {
    out.Raw("null");
    return;
  }
  out.Raw("{\"outcome\":\"");
  out.Raw(CleanupOutcomeName(outcome));
  out.Raw("\",\"error\":");
  const auto& failure = result.cleanup->failure;
  if (outcome == CleanupOutcome::kFailed && failure && failure->job == id) {
    out.String(failure->error);
  } else {
    out.Raw("null");
  }
  out.Raw('}');
}

void WriteJob(JsonBuffer& out, const Graph& graph, JobId id, const RunResult& result,
              const DryRunPlan* plan) {
  const JobReport& job = result.jobs[id];
  out.String(graph.name(id));
  out.Raw(":{\"kind\":\"");
  out.Raw(KindName(graph.spec(id).traits.kind));
  out.Raw("\",\"status\":\"");
  out.Raw(StatusName(job.status));
  if (plan) {
    out.Raw("\",\"plan\":\"");
    out.Raw(PlanStepKey(plan->step(id)));
  }
  out.Raw("\",\"tries\":");
  out.Integer(job.tries);
  out.Raw(",\"error\":");
  WriteOptionalString(out, job.error);
  out.Raw(",\"run_error\":");
  WriteOptionalString(out, job.run_error);
  out.Raw(",\"fatal\":");
  out.Bool(job.fatal);
  out.Raw(",\"result\":");
  if (job.result.is_null()) {
    out.Raw("null");
  } else {
    out.Raw(std::string_view(
        job.result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
  }
  out.Raw(",\"deps\":");
  WriteNames(out, graph, graph.deps(id));
  WriteBlockage(out, graph, result, id);
  out.Raw(",\"interrupted\":");
  out.Bool(job.interrupted);
  out.Raw(",\"duration_s\":");
  out.Number(job.seconds);
  if (job.tries > 0) {
    const NumberText start_s(job.start_s);
    const NumberText end_s(job.end_s);
    out.Raw(",\"start_s\":");
    out.Raw(start_s.view());
    out.Raw(",\"end_s\":");
    out.Raw(end_s.view());
    WriteHistory(out, job, result, start_s, end_s);
  } else {
    out.Raw(",\"start_s\":null,\"end_s\":null,\"history\":[]");
  }
  WriteLog(out, result, id);
  WriteJobCleanup(out, result, id);
  out.Raw('}');
}

}  // namespace

void WriteJsonReport(std::ostream& stream, const Graph& graph, const RunResult& result,
                     const ReportInfo& info) {
  JsonBuffer out(stream);
  out.Raw("{\"version\":");
  out.Integer(kReportSchema);
  out.Raw(",\"schema\":");
  out.Integer(kReportSchema);
  out.Raw(",\"root\":");
  out.String(info.root);
  out.Raw(",\"roots\":");
  WriteNames(out, graph, graph.roots());
  out.Raw(",\"success\":");
  out.Bool(result.success);
  out.Raw(",\"partial_success\":");
  out.Bool(result.partial_success);
  out.Raw(",\"no_act\":");
  out.Bool(info.no_act);
  out.Raw(",\"interrupted\":");
  out.Bool(result.interrupted);
  out.Raw(",\"exit_code\":");
  out.Integer(info.exit_code);
  out.Raw(",\"duration_s\":");
  out.Number(result.seconds);
  out.Raw(",\"seed\":");
  out.Integer(result.seed);
  out.Raw(",\"dojobber_version\":");
  out.String(info.dojobber_version);
  out.Raw(",\"started_at\":");
  out.String(FormatUtcTime(result.started_at));
  out.Raw(",\"ended_at\":");
  out.String(FormatUtcTime(result.ended_at));
  out.Raw(",\"host\":");
  out.String(info.host);
  out.Raw(",\"command_line\":");
  WriteStrings(out, info.command_line);
  out.Raw(",\"positional\":");
  WriteStrings(out, info.positional);
  out.Raw(",\"plugins\":[");
  for (std::size_t i = 0; i < info.plugins.size(); ++i) {
    if (i > 0) out.Raw(',');
    out.Raw("{\"path\":");
    out.String(info.plugins[i].path);
    out.Raw(",\"abi\":");
    out.Integer(info.plugins[i].abi);
    out.Raw('}');
  }
  out.Raw("],\"executor\":");
  out.String(info.executor);
  out.Raw(",\"parallelism\":");
  out.Integer(info.parallelism);
  out.Raw(",\"log_lines_kept\":");
  out.Integer(LogTails::kKept);
  out.Raw(',');
  WriteCounts(out, result);
  if (info.plan) WritePlanCounts(out, *info.plan);
  WriteCleanup(out, graph, result);
  WriteArguments(out, graph.registry());
  out.Raw("\"jobs\":{");
  for (JobId id = 0; id < graph.size(); ++id) {
    if (id > 0) out.Raw(',');
    WriteJob(out, graph, id, result, info.plan);
  }
  out.Raw("}}\n");
  out.Flush();
}

}  // namespace dojobber::core
