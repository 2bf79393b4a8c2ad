#include "core/try_runner.h"

#include <memory>
#include <utility>

namespace dojobber::core {

TryOutcome TryRunner::Run(JobId id, int try_number) const {
  const JobSpec& spec = graph_.spec(id);
  std::unique_ptr<Job> owned;
  CallOutcome created = CreateJob(spec.factory, owned);
  if (!created.ok) {
    // A constructor that throws fails the try like a failing Check.
    created.error = "cannot create the job: " + created.error;
    Report(id, Phase::kCheck, try_number, created);
    return {JobStatus::kFailed, std::move(created.error), nullptr};
  }
  // Only jobs with a Cleanup outlive their try; the rest are freed at once.
  nlohmann::json scratch_local;
  Job* job = owned.get();
  nlohmann::json* local = &scratch_local;
  if (spec.traits.has_cleanup) {
    RetainedTry& kept = cleanups_.Push(id, try_number, std::move(owned));
    local = &kept.local;
  }
  TryContext ctx(env_, id, spec.name, try_number, *local);
  return CheckRunRecheck(*job, ctx, id);
}

TryOutcome TryRunner::CheckRunRecheck(Job& job, TryContext& ctx, JobId id) const {
  CallOutcome check = Call(job, ctx, id, Phase::kCheck);
  if (check.ok) return {JobStatus::kOk, std::nullopt, std::move(ctx.result())};
  if (env_.no_act) return {JobStatus::kFailed, std::move(check.error), std::move(ctx.result())};

  CallOutcome run = Call(job, ctx, id, Phase::kRun);
  if (!run.ok) ctx.set_run_error(std::move(run.error));
  CallOutcome recheck = Call(job, ctx, id, Phase::kRecheck);
  if (recheck.ok) return {JobStatus::kChanged, std::nullopt, std::move(ctx.result())};
  return {JobStatus::kFailed, std::move(recheck.error), std::move(ctx.result())};
}

CallOutcome TryRunner::Call(Job& job, TryContext& ctx, JobId id, Phase phase) const {
  CallOutcome outcome;
  if (Status restored = working_directory_.Restore(); !restored) {
    outcome = {false, restored.message(), ""};
  } else {
    ctx.set_phase(phase);
    outcome = CallPhase(job, phase, ctx);
  }
  Report(id, phase, ctx.try_number(), outcome);
  return outcome;
}

void TryRunner::Report(JobId id, Phase phase, int try_number, const CallOutcome& outcome) const {
  if (!report_phases_) return;
  env_.observer.OnPhase(
      {id, graph_.name(id), phase, try_number, outcome.ok, outcome.error, outcome.error_type});
}

}  // namespace dojobber::core
