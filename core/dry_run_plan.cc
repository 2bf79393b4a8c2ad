#include "core/dry_run_plan.h"

namespace dojobber::core {
namespace {

PlanStep StepOf(const JobReport& job) {
  switch (job.status) {
    case JobStatus::kOk:
    case JobStatus::kChanged:
      return PlanStep::kOk;
    case JobStatus::kFailed:
      // A RunonlyJob's Check fails by design, so it reads would run too: a
      // real run always runs it. A try the stop killed gave no verdict.
      if (job.interrupted) return PlanStep::kUnknown;
      return job.failed_by_check ? PlanStep::kWouldRun : PlanStep::kFailed;
    case JobStatus::kPending:
    case JobStatus::kBlocked:
      break;
  }
  return PlanStep::kUnknown;
}

}  // namespace

const char* PlanStepName(PlanStep step) {
  switch (step) {
    case PlanStep::kOk:
      return "ok";
    case PlanStep::kWouldRun:
      return "would run";
    case PlanStep::kUnknown:
      return "unknown";
    case PlanStep::kFailed:
      return "failed";
  }
  return "?";
}

const char* PlanStepKey(PlanStep step) {
  return step == PlanStep::kWouldRun ? "would_run" : PlanStepName(step);
}

DryRunPlan DryRunPlan::Of(const Graph& graph, const RunResult& result) {
  DryRunPlan plan;
  plan.steps_.reserve(graph.size());
  for (JobId id = 0; id < graph.size(); ++id) {
    const PlanStep step = StepOf(result.jobs[id]);
    plan.steps_.push_back(step);
    ++plan.counts_.of(step);
  }
  return plan;
}

}  // namespace dojobber::core
