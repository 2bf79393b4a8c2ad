#include "core/try_runner.h"

#include <memory>
#include <string>
#include <utility>

#include "core/lost_thread.h"

namespace dojobber::core {
namespace {

bool Abandoned(const TryControl* control) { return control != nullptr && control->abandoned; }

PhaseResult ResultOf(const CallOutcome& outcome) {
  return outcome.ok ? PhaseResult::kPassed : PhaseResult::kFailed;
}

TryOutcome WithPhases(TryOutcome outcome, const TryPhases& phases) {
  outcome.phases = phases;
  return outcome;
}

}  // namespace

TryOutcome TryRunner::Run(JobId id, const JobSpec& spec, int try_number,
                          const std::shared_ptr<TryControl>& control) const {
  std::unique_ptr<Job> owned;
  CallOutcome created = CreateJob(spec.factory, owned);
  if (!created.ok) {
    // A constructor that throws fails the try like a failing Check.
    created.error = "cannot create the job: " + created.error;
    Report(id, spec.name, Phase::kCheck, try_number, created, control.get(), /*ends_try=*/true);
    return {.status = JobStatus::kFailed,
            .error = std::move(created.error),
            .result = nullptr,
            .fatal = created.fatal,
            .phases = {.check = PhaseResult::kFailed}};
  }
  // Only jobs with a Cleanup outlive their try; the rest are freed at once.
  nlohmann::json scratch_local;
  Job* job = owned.get();
  nlohmann::json* local = &scratch_local;
  if (spec.traits.has_cleanup) {
    RetainedTry& kept = cleanups_.Push(id, try_number, std::move(owned), control);
    local = &kept.local;
    env_.observer.OnCleanupOwed(id, try_number);
  }
  TryContext ctx(env_, id, spec.name, try_number, *local, control ? &control->abandoned : nullptr,
                 control ? &control->commands : nullptr);
  return CheckRunRecheck(*job, ctx, id, control.get());
}

TryOutcome TryRunner::CheckRunRecheck(Job& job, TryContext& ctx, JobId id,
                                      TryControl* control) const {
  TryPhases phases;
  PhaseOutcome check = Call(job, ctx, id, Phase::kCheck, control);
  phases.check = ResultOf(check);
  const TryOutcome abandoned{JobStatus::kFailed, "abandoned", nullptr};
  if (check.ok) return WithPhases({JobStatus::kOk, std::nullopt, std::move(ctx.result())}, phases);
  // A fatal Check ends the try: no Run can mend it.
  if (env_.no_act || check.fatal) {
    return WithPhases({.status = JobStatus::kFailed,
                       .error = std::move(check.error),
                       .result = std::move(ctx.result()),
                       .failed_by_check = check.by_job,
                       .fatal = check.fatal},
                      phases);
  }

  // Run is the phase that changes things: after a stop request it never
  // starts. A Run that was running when the stop came is still rechecked:
  // the recheck changes nothing and tells whether that Run worked.
  if (Abandoned(control)) return abandoned;
  if (env_.StopRequested()) {
    return WithPhases(
        {JobStatus::kFailed, "interrupted: stopped after the Check failed, before Run",
         std::move(ctx.result())},
        phases);
  }
  PhaseOutcome run = Call(job, ctx, id, Phase::kRun, control);
  phases.run = ResultOf(run);
  if (!run.ok) ctx.set_run_error(std::move(run.error));
  if (Abandoned(control)) return abandoned;
  if (run.fatal) {  // No recheck: the try fails with Run's message.
    return WithPhases({.status = JobStatus::kFailed,
                       .error = ctx.run_error(),
                       .result = std::move(ctx.result()),
                       .run_error = ctx.run_error(),
                       .fatal = true},
                      phases);
  }
  PhaseOutcome recheck = Call(job, ctx, id, Phase::kRecheck, control);
  phases.recheck = ResultOf(recheck);
  if (recheck.ok) {
    return WithPhases({.status = JobStatus::kChanged,
                       .error = std::nullopt,
                       .result = std::move(ctx.result()),
                       .run_error = ctx.run_error()},
                      phases);
  }
  return WithPhases({.status = JobStatus::kFailed,
                     .error = std::move(recheck.error),
                     .result = std::move(ctx.result()),
                     .failed_by_check = recheck.by_job,
                     .run_error = ctx.run_error(),
                     .fatal = recheck.fatal},
                    phases);
}

TryRunner::PhaseOutcome TryRunner::Call(Job& job, TryContext& ctx, JobId id, Phase phase,
                                        TryControl* control) const {
  PhaseOutcome outcome;
  if (Status restored = working_directory_.Restore(); !restored) {
    outcome = {{false, restored.message(), ""}, /*by_job=*/false};
  } else {
    ctx.set_phase(phase);
    // Job code that ends this thread ends the try in this phase: trace it.
    UnwindGuard lost([&] {
      Report(id, ctx.job_name(), phase, ctx.try_number(),
             {false, std::string(kThreadEndedCause), ""}, control, /*ends_try=*/true);
    });
    outcome = {CallPhase(job, phase, ctx), /*by_job=*/true};
    lost.Dismiss();
  }
  const bool ends_try = phase == Phase::kRecheck || (!outcome.ok && outcome.fatal) ||
                        (phase == Phase::kCheck && (outcome.ok || env_.no_act));
  Report(id, ctx.job_name(), phase, ctx.try_number(), outcome, control, ends_try);
  return outcome;
}

void TryRunner::Report(JobId id, const std::string& name, Phase phase, int try_number,
                       const CallOutcome& outcome, TryControl* control, bool ends_try) const {
  // The event is built only when someone listens: reading the job's name is
  // a cache miss per phase on large graphs.
  const auto notify = [&] {
    if (!report_phases_) return;
    env_.observer.OnPhase(
        {id, name, phase, try_number, outcome.ok, outcome.error, outcome.error_type});
  };
  if (control == nullptr) {
    notify();
    return;
  }
  // Under the lock, so that Abandon() sees either this line or none of it,
  // and never abandons a try that has already traced its last phase.
  std::lock_guard lock(control->mutex);
  if (control->abandoned) return;
  control->progress.Reported(phase, outcome.ok);
  control->phases_done = ends_try;
  notify();
}

bool TryRunner::Abandon(JobId id, const std::string& name, int try_number, TryControl& control,
                        std::string_view cause) const {
  Phase phase;
  {
    std::lock_guard lock(control.mutex);
    if (control.phases_done) return false;
    control.abandoned = true;
    phase = control.progress.InProgress(env_.no_act);
  }
  // Its thread cannot be stopped, but the commands it runs can.
  control.commands.Cancel();
  if (report_phases_) {
    env_.observer.OnPhase({id, name, phase, try_number, false, cause, ""});
  }
  return true;
}

}  // namespace dojobber::core
