#ifndef DOJOBBER_CORE_STATUS_REPORT_H_
#define DOJOBBER_CORE_STATUS_REPORT_H_

#include <cstddef>
#include <ostream>
#include <string>

#include "core/dry_run_plan.h"
#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::core {

struct StatusReportOptions {
  bool color = false;   ///< ANSI colours for statuses and the verdict.
  bool no_act = false;  ///< Say that this was a dry run.
  /// A dry run's plan: when set, the STATUS column shows each job's plan
  /// step (ok, would run, unknown, failed), an unknown job's detail names
  /// what it depends on, and the report ends with the `Plan:` line instead
  /// of the `Result:` line. Must outlive the call.
  const DryRunPlan* plan = nullptr;
  /// Graphs up to this size list every job; larger ones list only failed and
  /// blocked jobs, at most `max_rows` of them, and the counts.
  std::size_t full_listing_limit = 100;
  std::size_t max_rows = 50;
};

/// Writes the end-of-run report for people: one row per job in run order
/// (name, status, tries, time, error or what blocked it), then a summary line
/// with the counts and the verdict (a dry run with a plan: the plan's counts).
void WriteStatusReport(std::ostream& out, const Graph& graph, const RunResult& result,
                       const StatusReportOptions& options);

/// The report's DETAIL for one job, on one line (Printable): a failed job's
/// error, what a blocked job's blockage comes from (its root causes with
/// their errors, at most 3 named), "not tried: interrupted"; "" for a job
/// that succeeded.
std::string JobDetail(const Graph& graph, const RunResult& result, JobId id);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_STATUS_REPORT_H_
