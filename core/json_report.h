#ifndef DOJOBBER_CORE_JSON_REPORT_H_
#define DOJOBBER_CORE_JSON_REPORT_H_

#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "core/dry_run_plan.h"
#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::core {

/// The report's version (`version` and `schema`).
inline constexpr int kReportSchema = 2;

/// A loaded plugin, as the report's `plugins` lists it.
struct ReportPlugin {
  std::string path;  ///< Absolute.
  int abi = 0;       ///< The SDK ABI version it was built for.
};

/// What the report says about the run beyond the result itself.
struct ReportInfo {
  std::string_view root;  ///< The first root (`root`); `roots` comes from the graph.
  bool no_act = false;
  int exit_code = 0;
  /// A dry run's plan: adds the top-level `plan` counts and each job's
  /// `plan` step. Null in a real run, whose report has neither.
  const DryRunPlan* plan = nullptr;
  std::string_view dojobber_version = {};          ///< `dojobber --version`'s number.
  std::string_view host = {};                      ///< gethostname().
  std::span<const std::string> command_line = {};  ///< argv as given.
  std::span<const std::string> positional = {};    ///< The words after `--`.
  std::span<const ReportPlugin> plugins = {};      ///< In load order.
  std::string_view executor = "in-process";        ///< "in-process", "isolate" or "slurm".
  int parallelism = 1;                             ///< -j.
};

/// Writes the JSON report (docs/report-format.md): the verdict, counts,
/// cleanup outcome and one object per job, in post-order. Streamed, so a
/// million-job report never exists whole in memory.
void WriteJsonReport(std::ostream& out, const Graph& graph, const RunResult& result,
                     const ReportInfo& info);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_JSON_REPORT_H_
