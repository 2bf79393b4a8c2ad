#include "core/json_report.h"

#include <array>
#include <charconv>
#include <optional>
#include <span>
#include <string>

#include "core/job_list.h"
#include "core/text_format.h"

namespace dojobber::core {
namespace {

constexpr std::size_t kFlushBytes = 1 << 16;

template <class Number>
void AppendNumber(std::string& out, Number value) {
  std::array<char, 32> buffer{};
  auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), ec == std::errc() ? end : buffer.data());
}

void AppendBool(std::string& out, bool value) { out += value ? "true" : "false"; }

void AppendCounts(std::string& out, const RunResult& result) {
  std::array<std::size_t, 5> counts{};
  for (const JobReport& job : result.jobs) ++counts[static_cast<std::size_t>(job.status)];
  out += "\"counts\":{";
  for (JobStatus status :
       {JobStatus::kOk, JobStatus::kChanged, JobStatus::kFailed, JobStatus::kBlocked}) {
    if (status != JobStatus::kOk) out += ',';
    out += '"';
    out += StatusName(status);
    out += "\":" + std::to_string(counts[static_cast<std::size_t>(status)]);
  }
  out += "},";
}

// The plan's counts, `"plan":{"ok":n,"would_run":n,"unknown":n,"failed":n},`.
void AppendPlanCounts(std::string& out, const DryRunPlan& plan) {
  out += "\"plan\":{";
  for (PlanStep step :
       {PlanStep::kOk, PlanStep::kWouldRun, PlanStep::kUnknown, PlanStep::kFailed}) {
    if (step != PlanStep::kOk) out += ',';
    out += '"';
    out += PlanStepKey(step);
    out += "\":" + std::to_string(plan.counts().of(step));
  }
  out += "},";
}

void AppendCleanup(std::string& out, const Graph& graph, const RunResult& result) {
  out += "\"cleanup\":";
  if (!result.cleanup) {
    out += "null,";
    return;
  }
  const CleanupReport& cleanup = *result.cleanup;
  out += "{\"ran\":" + std::to_string(cleanup.ran) +
         ",\"pending\":" + std::to_string(cleanup.pending) +
         ",\"skipped\":" + std::to_string(cleanup.skipped) + ",\"failed_job\":";
  if (cleanup.failure) {
    AppendJsonString(out, graph.name(cleanup.failure->job));
    out += ",\"error\":";
    AppendJsonString(out, cleanup.failure->error);
  } else {
    out += "null,\"error\":null";
  }
  out += "},";
}

// The keyword arguments the run used: each given one, and the default of
// each declared parameter that was not given.
void AppendArguments(std::string& out, const JobRegistry& registry) {
  out += "\"arguments\":{";
  bool first = true;
  for (const auto& [key, value] : registry.args().keywords()) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, key);
    out += ":{\"value\":";
    AppendJsonString(out, value);
    out += ",\"given\":";
    AppendBool(out, !registry.Defaulted(key));
    out += '}';
  }
  out += "},";
}

void AppendNames(std::string& out, const Graph& graph, std::span<const JobId> ids) {
  out += '[';
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, graph.name(ids[i]));
  }
  out += ']';
}

// What kept a blocked job from being tried: its dependencies that did not
// succeed, and the failed jobs at the root of that (core/root_causes.h).
void AppendBlockage(std::string& out, const Graph& graph, const RunResult& result, JobId id) {
  out += ",\"blocked_by\":[";
  bool first = true;
  if (result.jobs[id].status == JobStatus::kBlocked) {
    for (JobId dep : graph.deps(id)) {
      if (Succeeded(result.jobs[dep].status)) continue;
      if (!first) out += ',';
      first = false;
      AppendJsonString(out, graph.name(dep));
    }
  }
  out += "],\"root_causes\":";
  AppendNames(out, graph, result.root_causes.of(id));
  out += ",\"more_root_causes\":";
  AppendBool(out, result.root_causes.more(id));
}

void AppendOptionalString(std::string& out, const std::optional<std::string>& text) {
  if (text) {
    AppendJsonString(out, *text);
  } else {
    out += "null";
  }
}

void AppendStrings(std::string& out, std::span<const std::string> texts) {
  out += '[';
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, texts[i]);
  }
  out += ']';
}

void AppendPhase(std::string& out, const char* key, PhaseResult result) {
  out += ",\"";
  out += key;
  out += "\":";
  out += result == PhaseResult::kPassed   ? "\"passed\""
         : result == PhaseResult::kFailed ? "\"failed\""
                                          : "null";
}

void AppendTry(std::string& out, int number, double start_s, double end_s,
               const std::optional<std::string>& error, const std::optional<std::string>& run_error,
               const TryDetail& detail, const RunResult& result) {
  out += "{\"try\":";
  AppendNumber(out, number);
  out += ",\"start\":";
  AppendNumber(out, start_s);
  out += ",\"end\":";
  AppendNumber(out, end_s);
  out += ",\"error\":";
  AppendOptionalString(out, error);
  out += ",\"run_error\":";
  AppendOptionalString(out, run_error);
  AppendPhase(out, "check", detail.phases.check);
  AppendPhase(out, "run", detail.phases.run);
  AppendPhase(out, "recheck", detail.phases.recheck);
  out += ",\"worker\":";
  if (detail.worker == 0 || detail.worker >= result.worker_names.size()) {
    out += "null";
  } else {
    AppendJsonString(out, result.worker_names[detail.worker]);
  }
  out += ",\"fatal\":";
  AppendBool(out, detail.fatal);
  out += ",\"timed_out\":";
  AppendBool(out, detail.timed_out);
  out += '}';
}

// Every try in order: the earlier ones, then the last, which the job's own
// fields hold (a job with earlier tries has a last one).
void AppendHistory(std::string& out, const JobReport& job, const RunResult& result) {
  out += ",\"history\":[";
  int number = 0;
  for (const TryRecord& earlier : job.earlier_tries) {
    AppendTry(out, ++number, earlier.start_s, earlier.end_s, earlier.error, earlier.run_error,
              earlier.detail, result);
    out += ',';
  }
  if (job.tries > 0) {
    AppendTry(out, ++number, job.last_start_s, job.end_s, job.error, job.run_error, job.last_try,
              result);
  }
  out += ']';
}

// The job's last log lines, oldest first, and how many came before them.
void AppendLog(std::string& out, const RunResult& result, JobId id) {
  out += ",\"log\":[";
  bool first = true;
  for (const LogTails::Line* line : result.logs.Lines(id)) {
    if (!first) out += ',';
    first = false;
    out += "{\"try\":";
    AppendNumber(out, line->try_number);
    out += ",\"line\":";
    AppendJsonString(out, line->text);
    out += '}';
  }
  out += "],\"log_dropped\":";
  AppendNumber(out, result.logs.dropped(id));
}

// How the job's cleanups went; null when it was owed none.
void AppendJobCleanup(std::string& out, const RunResult& result, JobId id) {
  out += ",\"cleanup\":";
  const CleanupOutcome outcome = result.cleanup && id < result.cleanup->jobs.size()
                                     ? result.cleanup->jobs[id]
                                     : CleanupOutcome::kNone;
  if (outcome == CleanupOutcome::kNone) {
    out += "null";
    return;
  }
  out += "{\"outcome\":\"";
  out += CleanupOutcomeName(outcome);
  out += "\",\"error\":";
  const auto& failure = result.cleanup->failure;
  if (outcome == CleanupOutcome::kFailed && failure && failure->job == id) {
    AppendJsonString(out, failure->error);
  } else {
    out += "null";
  }
  out += '}';
}

void AppendJob(std::string& out, const Graph& graph, JobId id, const RunResult& result,
               const DryRunPlan* plan) {
  const JobReport& job = result.jobs[id];
  AppendJsonString(out, graph.name(id));
  out += ":{\"kind\":\"";
  out += KindName(graph.spec(id).traits.kind);
  out += "\",\"status\":\"";
  out += StatusName(job.status);
  if (plan) {
    out += "\",\"plan\":\"";
    out += PlanStepKey(plan->step(id));
  }
  out += "\",\"tries\":";
  AppendNumber(out, job.tries);
  out += ",\"error\":";
  AppendOptionalString(out, job.error);
  out += ",\"run_error\":";
  AppendOptionalString(out, job.run_error);
  out += ",\"fatal\":";
  AppendBool(out, job.fatal);
  out += ",\"result\":";
  out += job.result.is_null()
             ? "null"
             : job.result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  out += ",\"deps\":";
  AppendNames(out, graph, graph.deps(id));
  AppendBlockage(out, graph, result, id);
  out += ",\"interrupted\":";
  AppendBool(out, job.interrupted);
  out += ",\"duration_s\":";
  AppendNumber(out, job.seconds);
  if (job.tries > 0) {
    out += ",\"start_s\":";
    AppendNumber(out, job.start_s);
    out += ",\"end_s\":";
    AppendNumber(out, job.end_s);
  } else {
    out += ",\"start_s\":null,\"end_s\":null";
  }
  AppendHistory(out, job, result);
  AppendLog(out, result, id);
  AppendJobCleanup(out, result, id);
  out += '}';
}

}  // namespace

void WriteJsonReport(std::ostream& out, const Graph& graph, const RunResult& result,
                     const ReportInfo& info) {
  std::string text = "{\"version\":" + std::to_string(kReportSchema) +
                     ",\"schema\":" + std::to_string(kReportSchema) + ",\"root\":";
  AppendJsonString(text, info.root);
  text += ",\"roots\":";
  AppendNames(text, graph, graph.roots());
  text += ",\"success\":";
  AppendBool(text, result.success);
  text += ",\"partial_success\":";
  AppendBool(text, result.partial_success);
  text += ",\"no_act\":";
  AppendBool(text, info.no_act);
  text += ",\"interrupted\":";
  AppendBool(text, result.interrupted);
  text += ",\"exit_code\":" + std::to_string(info.exit_code) + ",\"duration_s\":";
  AppendNumber(text, result.seconds);
  text += ",\"seed\":";
  AppendNumber(text, result.seed);
  text += ",\"dojobber_version\":";
  AppendJsonString(text, info.dojobber_version);
  text += ",\"started_at\":";
  AppendJsonString(text, FormatUtcTime(result.started_at));
  text += ",\"ended_at\":";
  AppendJsonString(text, FormatUtcTime(result.ended_at));
  text += ",\"host\":";
  AppendJsonString(text, info.host);
  text += ",\"command_line\":";
  AppendStrings(text, info.command_line);
  text += ",\"positional\":";
  AppendStrings(text, info.positional);
  text += ",\"plugins\":[";
  for (std::size_t i = 0; i < info.plugins.size(); ++i) {
    if (i > 0) text += ',';
    text += "{\"path\":";
    AppendJsonString(text, info.plugins[i].path);
    text += ",\"abi\":";
    AppendNumber(text, info.plugins[i].abi);
    text += '}';
  }
  text += "],\"executor\":";
  AppendJsonString(text, info.executor);
  text += ",\"parallelism\":";
  AppendNumber(text, info.parallelism);
  text += ",\"log_lines_kept\":";
  AppendNumber(text, LogTails::kKept);
  text += ',';
  AppendCounts(text, result);
  if (info.plan) AppendPlanCounts(text, *info.plan);
  AppendCleanup(text, graph, result);
  AppendArguments(text, graph.registry());
  text += "\"jobs\":{";
  for (JobId id = 0; id < graph.size(); ++id) {
    if (id > 0) text += ',';
    AppendJob(text, graph, id, result, info.plan);
    if (text.size() >= kFlushBytes) {
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      text.clear();
    }
  }
  text += "}}\n";
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace dojobber::core
