#ifndef DOJOBBER_CORE_DRY_RUN_PLAN_H_
#define DOJOBBER_CORE_DRY_RUN_PLAN_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/graph.h"
#include "core/run_result.h"

namespace dojobber::core {

/// What a dry run (`--no-act`) says one job would do in a real run. Each is
/// read off the job's dry-run status, the only input (see DryRunPlan::Of):
enum class PlanStep : std::uint8_t {
  kOk,        ///< "ok": its Check passed; nothing to do.
  kWouldRun,  ///< "would run": its own Check failed now (a RunonlyJob's always does), so a
              ///< real run would Run it.
  kUnknown,   ///< "unknown": not checked, because a job it depends on (transitively) would
              ///< run or failed, or the stop came first or killed its Check; its Check
              ///< cannot tell yet.
  kFailed,    ///< "failed": tried but not judged: a try that failed around its Check (the
              ///< object could not be created, a time limit, a crash or exit of its process,
              ///< dojobber itself).
};

/// "ok", "would run", "unknown", "failed": the words of the status report.
const char* PlanStepName(PlanStep step);
/// "ok", "would_run", "unknown", "failed": the JSON report's values and keys.
const char* PlanStepKey(PlanStep step);

/// How many jobs the plan puts in each step; they add up to the graph's size.
struct PlanCounts {
  std::size_t ok = 0;
  std::size_t would_run = 0;
  std::size_t unknown = 0;
  std::size_t failed = 0;

  /// The count of `step`.
  std::size_t of(PlanStep step) const { return const_cast<PlanCounts&>(*this).of(step); }
  std::size_t& of(PlanStep step) {
    switch (step) {
      case PlanStep::kOk:
        return ok;
      case PlanStep::kWouldRun:
        return would_run;
      case PlanStep::kUnknown:
        return unknown;
      case PlanStep::kFailed:
        break;
    }
    return failed;
  }
  /// Every job is ok: a real run would change nothing.
  bool NothingToDo() const { return would_run == 0 && unknown == 0 && failed == 0; }
};

/// A dry run read as a plan: one PlanStep per job, and their counts. The
/// engine's statuses and the JSON report's `status` stay what they are; this
/// is a reading of them, computed once after the run.
class DryRunPlan {
 public:
  /// Reads the result of a dry run of `graph`: ok stays ok; failed is would
  /// run when its Check itself failed (JobReport::failed_by_check), unknown
  /// when the stop killed the try (JobReport::interrupted), and failed
  /// otherwise; blocked (never tried) is unknown. (changed cannot happen in
  /// a dry run; it would read as ok.)
  static DryRunPlan Of(const Graph& graph, const RunResult& result);

  PlanStep step(JobId id) const { return steps_[id]; }
  const PlanCounts& counts() const { return counts_; }

 private:
  std::vector<PlanStep> steps_;
  PlanCounts counts_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_DRY_RUN_PLAN_H_
