#include "core/json_report.h"

#include <array>
#include <charconv>
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
  if (job.error) {
    AppendJsonString(out, *job.error);
  } else {
    out += "null";
  }
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
