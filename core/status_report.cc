#include "core/status_report.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/text_format.h"

namespace dojobber::core {
namespace {

constexpr const char* kReset = "\033[0m";

const char* StatusColor(JobStatus status) {
  switch (status) {
    case JobStatus::kOk:
      return "\033[32m";
    case JobStatus::kChanged:
      return "\033[1;32m";
    case JobStatus::kFailed:
      return "\033[1;31m";
    case JobStatus::kPending:
    case JobStatus::kBlocked:
      return "\033[33m";
  }
  return "";
}

const char* PlanColor(PlanStep step) {
  switch (step) {
    case PlanStep::kOk:
      return "\033[32m";
    case PlanStep::kWouldRun:
      return "\033[1;33m";
    case PlanStep::kUnknown:
      return "\033[33m";
    case PlanStep::kFailed:
      return "\033[1;31m";
  }
  return "";
}

// A failed job's error: its last try's, marked when it was fatal, then what
// Run threw in that try when that says something more: the recheck's
// message alone would hide the cause ("no /x/etc" after Run's "cannot
// create directories").
std::string ErrorText(const JobReport& job) {
  if (!job.error) return "";
  std::string text = job.fatal ? "fatal: " : "";
  text += Printable(*job.error);
  if (job.run_error && *job.run_error != *job.error) {
    text += " (Run failed: " + Printable(*job.run_error) + ")";
  }
  return text;
}

// Why a blocked job was not tried: the failed jobs at the root of its
// blockage with their errors, or, when none failed (an interrupted run), the
// dependencies that did not succeed. In a plan the same jobs are what an
// unknown job depends on, and a cause that would run is said so.
std::string BlockedDetail(const Graph& graph, const RunResult& result, const DryRunPlan* plan,
                          JobId id) {
  constexpr std::size_t kShown = 3;
  const std::span<const JobId> causes = result.root_causes.of(id);
  std::string text = plan ? (causes.empty() ? "depends on " : "depends on: ")
                          : (causes.empty() ? "blocked by " : "blocked: ");
  std::size_t count = 0;
  auto add = [&](JobId job) {
    if (count < kShown) {
      if (count > 0) text += causes.empty() ? ", " : "; ";
      text += Printable(graph.name(job));
      if (!causes.empty() && plan && plan->step(job) == PlanStep::kWouldRun) {
        text += " would run";
      } else if (!causes.empty()) {
        // In a plan a cause may also be unknown: the stop killed its try.
        text += std::string(" ") + (plan ? PlanStepName(plan->step(job)) : "failed");
        if (result.jobs[job].error) text += " (" + ErrorText(result.jobs[job]) + ")";
      }
    }
    ++count;
  };
  if (causes.empty()) {
    for (JobId dep : graph.deps(id)) {
      if (!Succeeded(result.jobs[dep].status)) add(dep);
    }
  } else {
    for (JobId cause : causes) add(cause);
  }
  if (count > kShown) {
    text += result.root_causes.more(id) ? " and at least " : " and ";
    text += std::to_string(count - kShown + (result.root_causes.more(id) ? 1 : 0)) + " more";
  }
  return text;
}

std::string Detail(const Graph& graph, const RunResult& result, const DryRunPlan* plan, JobId id) {
  const JobReport& job = result.jobs[id];
  if (job.interrupted && job.tries == 0) return "not tried: interrupted";
  std::string detail =
      job.status == JobStatus::kBlocked ? BlockedDetail(graph, result, plan, id) : ErrorText(job);
  // In a dry run a tried job is unsettled only when the stop killed its try,
  // which its error says; no job there has tries left.
  if (job.interrupted && !plan) detail += " (interrupted with tries left)";
  return detail;
}

// Which jobs get a row: all of a small graph, else failed then blocked ones
// (in a plan: failed, would run, then unknown ones), leaving out the jobs
// the stop left unsettled (counted in the summary). In a plan those are
// unknown: no failed or would-run job is ever left out.
std::vector<JobId> ChooseRows(const Graph& graph, const RunResult& result,
                              const StatusReportOptions& options, bool& complete) {
  std::vector<JobId> rows;
  complete = graph.size() <= options.full_listing_limit;
  if (complete) {
    for (JobId id = 0; id < graph.size(); ++id) rows.push_back(id);
    return rows;
  }
  if (const DryRunPlan* plan = options.plan) {
    for (PlanStep wanted : {PlanStep::kFailed, PlanStep::kWouldRun, PlanStep::kUnknown}) {
      for (JobId id = 0; id < graph.size() && rows.size() < options.max_rows; ++id) {
        if (plan->step(id) == wanted && !result.jobs[id].interrupted) rows.push_back(id);
      }
    }
    return rows;
  }
  for (JobStatus wanted : {JobStatus::kFailed, JobStatus::kBlocked}) {
    for (JobId id = 0; id < graph.size() && rows.size() < options.max_rows; ++id) {
      if (result.jobs[id].status == wanted && !result.jobs[id].interrupted) rows.push_back(id);
    }
  }
  return rows;
}

void WriteRows(std::ostream& out, const Graph& graph, const RunResult& result,
               const std::vector<JobId>& rows, const StatusReportOptions& options) {
  const DryRunPlan* plan = options.plan;
  std::size_t width = 3;
  for (JobId id : rows) width = std::max(width, DisplayWidth(graph.name(id)));
  width = std::min<std::size_t>(width, 48);
  const std::size_t status_width = plan ? 9 : 8;  // "would run", "changed"
  out << PadToWidth("JOB", width) << "  " << PadToWidth("STATUS", status_width)
      << "  TRIES      TIME  DETAIL\n";
  for (JobId id : rows) {
    const JobReport& job = result.jobs[id];
    std::string line = PadToWidth(graph.name(id), width) + "  ";
    const std::string status =
        PadToWidth(plan ? PlanStepName(plan->step(id)) : StatusName(job.status), status_width);
    const char* color = plan ? PlanColor(plan->step(id)) : StatusColor(job.status);
    line += options.color ? color + status + kReset : status;
    std::string tries = std::to_string(job.tries);
    std::string time = job.tries > 0 ? FormatDuration(job.seconds) : "-";
    line += std::string(7 - std::min<std::size_t>(7, tries.size()), ' ') + tries;
    line += std::string(10 - std::min<std::size_t>(10, time.size()), ' ') + time;
    const std::string detail = Detail(graph, result, plan, id);
    if (!detail.empty()) line += "  " + detail;
    out << line << '\n';
  }
}

// The counts line: the statuses' counts, or for a plan only the size and
// time (the plan's counts end the report).
void WriteCounts(std::ostream& out, const Graph& graph, const RunResult& result,
                 const StatusReportOptions& options) {
  out << graph.size() << (graph.size() == 1 ? " job" : " jobs");
  if (options.plan) {
    out << " in " << FormatDuration(result.seconds) << " (dry run: only Checks were called).\n";
    return;
  }
  std::array<std::size_t, 5> counts{};
  for (const JobReport& job : result.jobs) ++counts[static_cast<std::size_t>(job.status)];
  auto count = [&](JobStatus status) { return counts[static_cast<std::size_t>(status)]; };
  out << ": " << count(JobStatus::kOk) << " ok, " << count(JobStatus::kChanged) << " changed, "
      << count(JobStatus::kFailed) << " failed, " << count(JobStatus::kBlocked) << " blocked in "
      << FormatDuration(result.seconds) << (options.no_act ? " (dry run)" : "") << ".\n";
}

// The last line: `Result: <verdict>`, or for a plan `Plan: <counts>`, each
// with the interruption and a failed cleanup said where they apply.
void WriteVerdict(std::ostream& out, const RunResult& result, const StatusReportOptions& options) {
  constexpr const char* kGreen = "\033[1;32m";
  constexpr const char* kYellow = "\033[1;33m";
  constexpr const char* kRed = "\033[1;31m";
  const bool cleanup_failed = result.cleanup && result.cleanup->failure;
  std::string verdict;
  const char* color = kRed;
  if (const DryRunPlan* plan = options.plan) {
    const PlanCounts& counts = plan->counts();
    verdict = std::to_string(counts.would_run) + " to run, " + std::to_string(counts.unknown) +
              " unknown, " + std::to_string(counts.ok) + " ok";
    if (counts.failed > 0) verdict += ", " + std::to_string(counts.failed) + " failed";
    if (counts.failed == 0 && !cleanup_failed && !result.interrupted) {
      color = counts.NothingToDo() ? kGreen : kYellow;
    }
  } else {
    verdict = result.success           ? "SUCCESS"
              : result.partial_success ? "FAILED (partial success)"
                                       : "FAILED";
    if (result.success && !cleanup_failed) color = kGreen;
  }
  if (cleanup_failed) verdict += ", CLEANUP FAILED";
  if (result.interrupted) verdict = "INTERRUPTED, " + verdict;
  if (options.color) verdict = color + verdict + kReset;
  out << (options.plan ? "Plan: " : "Result: ") << verdict << '\n';
}

void WriteSummary(std::ostream& out, const Graph& graph, const RunResult& result,
                  const StatusReportOptions& options) {
  WriteCounts(out, graph, result, options);
  if (result.interrupted) {
    const auto unsettled = std::count_if(result.jobs.begin(), result.jobs.end(),
                                         [](const JobReport& job) { return job.interrupted; });
    if (unsettled == 0) {
      out << "Interrupted after every job had settled.\n";
    } else {
      out << "Interrupted: " << unsettled << (unsettled == 1 ? " job" : " jobs")
          << " left unsettled.\n";
    }
  }
  if (result.cleanup && result.cleanup->skipped > 0) {
    out << result.cleanup->skipped << (result.cleanup->skipped == 1 ? " cleanup" : " cleanups")
        << " skipped: timed-out tries still running.\n";
  }
  if (result.cleanup && result.cleanup->failure) {
    const auto& failure = *result.cleanup->failure;
    out << "Cleanup of " << graph.name(failure.job) << " (try " << failure.try_number
        << ") failed: " << Printable(failure.error);
    if (const std::size_t pending = result.cleanup->pending; pending > 0) {
      out << "; " << pending << (pending == 1 ? " cleanup" : " cleanups") << " not run";
    }
    out << ".\n";
  }
  WriteVerdict(out, result, options);
}

}  // namespace

std::string JobDetail(const Graph& graph, const RunResult& result, JobId id) {
  return Detail(graph, result, nullptr, id);
}

void WriteStatusReport(std::ostream& out, const Graph& graph, const RunResult& result,
                       const StatusReportOptions& options) {
  bool complete = true;
  std::vector<JobId> rows = ChooseRows(graph, result, options, complete);
  if (!complete) {
    out << (options.plan ? "Showing failed, would-run and unknown jobs only ("
                         : "Showing failed and blocked jobs only (")
        << rows.size() << " of " << graph.size()
        << " jobs; the JSON report from --report has them all).\n";
  }
  if (!rows.empty()) WriteRows(out, graph, result, rows, options);
  out << '\n';
  WriteSummary(out, graph, result, options);
}

}  // namespace dojobber::core
