#ifndef DOJOBBER_CORE_SAVED_REPORT_H_
#define DOJOBBER_CORE_SAVED_REPORT_H_

#include <istream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/dry_run_plan.h"
#include "core/expected.h"
#include "core/graph.h"
#include "core/job_registry.h"
#include "core/run_result.h"

namespace dojobber::core {

/// A JSON report (docs/report-format.md, version 1 or 2) read back: the
/// document itself, and the graph and result it describes, rebuilt so that
/// what reads a run (the status report, the DOT writer) reads it as it read
/// the run.
struct SavedReport {
  nlohmann::json document;  ///< The whole report, as read.
  int version = 1;          ///< Its `version`: 1 or 2.
  /// Holds a job spec per entry of `jobs` (with no factory: nothing can
  /// run), for `graph`, which points into it.
  std::unique_ptr<JobRegistry> registry;
  std::unique_ptr<Graph> graph;  ///< Built from `roots` and each job's `deps`.
  /// Per job of `graph`: status, tries, errors, times, history, fatal,
  /// interrupted, result; the verdict, seed and cleanup outcome; root causes
  /// computed again from the statuses (the same as the run's). A failed
  /// cleanup's try number is not in the report: it reads as the job's last.
  RunResult result;
  std::optional<DryRunPlan> plan;  ///< A dry run's plan, read off each job's `plan`.
  bool no_act = false;
  int exit_code = 0;
};

/// Reads a JSON report from `in`. Fails with one line, starting "not valid
/// JSON", "not a dojobber report" (not an object, no `version`, no `jobs`,
/// no `roots`, an entry without what is read above, a dependency or root
/// without an entry) or "unsupported report version N". Linear in the size
/// of the report.
Expected<SavedReport> ReadSavedReport(std::istream& in);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_SAVED_REPORT_H_
