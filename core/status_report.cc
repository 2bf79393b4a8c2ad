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

// Why a blocked job was not tried: the failed jobs at the root of its
// blockage with their errors, or, when none failed (an interrupted run), the
// dependencies that did not succeed.
std::string BlockedDetail(const Graph& graph, const RunResult& result, JobId id) {
  constexpr std::size_t kShown = 3;
  const std::span<const JobId> causes = result.root_causes.of(id);
  std::string text = causes.empty() ? "blocked by " : "blocked: ";
  std::size_t count = 0;
  auto add = [&](JobId job) {
    if (count < kShown) {
      if (count > 0) text += causes.empty() ? ", " : "; ";
      text += Printable(graph.name(job));
      if (!causes.empty()) {
        const std::optional<std::string>& error = result.jobs[job].error;
        text += " failed";
        if (error) text += " (" + Printable(*error) + ")";
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

std::string Detail(const Graph& graph, const RunResult& result, JobId id) {
  const JobReport& job = result.jobs[id];
  if (job.interrupted && job.tries == 0) return "not tried: interrupted";
  std::string detail = job.status == JobStatus::kBlocked ? BlockedDetail(graph, result, id)
                       : job.error                       ? Printable(*job.error)
                                                         : "";
  if (job.interrupted) detail += " (interrupted with tries left)";
  return detail;
}

// Which jobs get a row: all of a small graph, else failed then blocked ones.
std::vector<JobId> ChooseRows(const Graph& graph, const RunResult& result,
                              const StatusReportOptions& options, bool& complete) {
  std::vector<JobId> rows;
  complete = graph.size() <= options.full_listing_limit;
  if (complete) {
    for (JobId id = 0; id < graph.size(); ++id) rows.push_back(id);
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
               const std::vector<JobId>& rows, bool color) {
  std::size_t width = 3;
  for (JobId id : rows) width = std::max(width, DisplayWidth(graph.name(id)));
  width = std::min<std::size_t>(width, 48);
  out << PadToWidth("JOB", width) << "  STATUS    TRIES      TIME  DETAIL\n";
  for (JobId id : rows) {
    const JobReport& job = result.jobs[id];
    std::string line = PadToWidth(graph.name(id), width) + "  ";
    const std::string status = PadToWidth(StatusName(job.status), 8);
    line += color ? StatusColor(job.status) + status + kReset : status;
    std::string tries = std::to_string(job.tries);
    std::string time = job.tries > 0 ? FormatDuration(job.seconds) : "-";
    line += std::string(7 - std::min<std::size_t>(7, tries.size()), ' ') + tries;
    line += std::string(10 - std::min<std::size_t>(10, time.size()), ' ') + time;
    const std::string detail = Detail(graph, result, id);
    if (!detail.empty()) line += "  " + detail;
    out << line << '\n';
  }
}

void WriteSummary(std::ostream& out, const Graph& graph, const RunResult& result,
                  const StatusReportOptions& options) {
  std::array<std::size_t, 5> counts{};
  for (const JobReport& job : result.jobs) ++counts[static_cast<std::size_t>(job.status)];
  auto count = [&](JobStatus status) { return counts[static_cast<std::size_t>(status)]; };
  out << graph.size() << (graph.size() == 1 ? " job: " : " jobs: ") << count(JobStatus::kOk)
      << " ok, " << count(JobStatus::kChanged) << " changed, " << count(JobStatus::kFailed)
      << " failed, " << count(JobStatus::kBlocked) << " blocked in "
      << FormatDuration(result.seconds) << (options.no_act ? " (dry run)" : "") << ".\n";
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
  std::string verdict = result.success           ? "SUCCESS"
                        : result.partial_success ? "FAILED (partial success)"
                                                 : "FAILED";
  if (result.cleanup && result.cleanup->failure) verdict += ", CLEANUP FAILED";
  if (result.interrupted) verdict = "INTERRUPTED, " + verdict;
  const bool good = result.success && (!result.cleanup || result.cleanup->ok());
  if (options.color) verdict = (good ? "\033[1;32m" : "\033[1;31m") + verdict + kReset;
  out << "Result: " << verdict << '\n';
}

}  // namespace

std::string JobDetail(const Graph& graph, const RunResult& result, JobId id) {
  return Detail(graph, result, id);
}

void WriteStatusReport(std::ostream& out, const Graph& graph, const RunResult& result,
                       const StatusReportOptions& options) {
  bool complete = true;
  std::vector<JobId> rows = ChooseRows(graph, result, options, complete);
  if (!complete) {
    out << "Showing failed and blocked jobs only (" << rows.size() << " of " << graph.size()
        << " jobs; the JSON report from --report has them all).\n";
  }
  if (!rows.empty()) WriteRows(out, graph, result, rows, options.color);
  out << '\n';
  WriteSummary(out, graph, result, options);
}

}  // namespace dojobber::core
