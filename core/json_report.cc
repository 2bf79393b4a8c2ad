#include "core/json_report.h"

#include <array>
#include <charconv>
#include <optional>
#include <span>
#include <string>

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

void AppendTry(std::string& out, int number, double start_s, double end_s,
               const std::optional<std::string>& error,
               const std::optional<std::string>& run_error) {
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
  out += '}';
}

// Every try in order: the earlier ones, then the last, which the job's own
// fields hold (a job with earlier tries has a last one).
void AppendHistory(std::string& out, const JobReport& job) {
  out += ",\"history\":[";
  int number = 0;
  for (const TryRecord& earlier : job.earlier_tries) {
    AppendTry(out, ++number, earlier.start_s, earlier.end_s, earlier.error, earlier.run_error);
    out += ',';
  }
  if (job.tries > 0)
    AppendTry(out, ++number, job.last_start_s, job.end_s, job.error, job.run_error);
  out += ']';
}

void AppendJob(std::string& out, const Graph& graph, JobId id, const RunResult& result,
               const DryRunPlan* plan) {
  const JobReport& job = result.jobs[id];
  AppendJsonString(out, graph.name(id));
  out += ":{\"status\":\"";
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
  AppendHistory(out, job);
  out += '}';
}

}  // namespace

void WriteJsonReport(std::ostream& out, const Graph& graph, const RunResult& result,
                     const ReportInfo& info) {
  std::string text = "{\"version\":1,\"root\":";
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
