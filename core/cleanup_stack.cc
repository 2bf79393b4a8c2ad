#include "core/cleanup_stack.h"

#include <string>
#include <utility>

#include "core/executor.h"
#include "core/invoker.h"
#include "core/lost_thread.h"

namespace dojobber::core {
namespace {

// Books one cleanup of `job` in the per-job outcomes: of a job's several
// kept tries, a failure outweighs a pending cleanup, which outweighs a
// skipped one, which outweighs success.
void Book(CleanupReport& report, std::size_t jobs, JobId job, CleanupOutcome outcome) {
  if (report.jobs.empty()) report.jobs.resize(jobs, CleanupOutcome::kNone);
  const auto rank = [](CleanupOutcome o) {
    switch (o) {
      case CleanupOutcome::kNone:
        return 0;
      case CleanupOutcome::kOk:
        return 1;
      case CleanupOutcome::kSkipped:
        return 2;
      case CleanupOutcome::kPending:
        return 3;
      case CleanupOutcome::kFailed:
        return 4;
    }
    return 0;
  };
  CleanupOutcome& booked = report.jobs[job];
  if (rank(outcome) > rank(booked)) booked = outcome;
}

}  // namespace

RetainedTry& CleanupStack::Push(JobId job, int try_number, std::unique_ptr<Job> object,
                                std::shared_ptr<TryControl> control) {
  auto kept = std::make_unique<RetainedTry>(
      RetainedTry{job, try_number, std::move(object), {}, std::move(control)});
  std::lock_guard lock(mutex_);
  return *tries_.emplace_back(std::move(kept));
}

void CleanupStack::PushRemote(JobId job, int try_number, nlohmann::json local) {
  auto kept = std::make_unique<RetainedTry>(
      RetainedTry{job, try_number, nullptr, std::move(local), nullptr});
  std::lock_guard lock(mutex_);
  tries_.emplace_back(std::move(kept));
}

const RetainedTry& CleanupStack::Top() const {
  std::lock_guard lock(mutex_);
  return *tries_.back();
}

std::size_t CleanupStack::size() const {
  std::lock_guard lock(mutex_);
  return tries_.size();
}

CleanupReport CleanupStack::RunAll(const RunScope& scope, Executor& executor) {
  CleanupReport report;
  (void)RunOnSpareThread([&] { CallEach(scope, executor, report); });
  return report;
}

void CleanupStack::CallEach(const RunScope& scope, Executor& executor, CleanupReport& report) {
  while (true) {
    std::unique_ptr<RetainedTry> kept;
    {
      std::lock_guard lock(mutex_);
      if (tries_.empty()) break;
      kept = std::move(tries_.back());
      tries_.pop_back();
    }
    if (std::shared_ptr<TryControl> control = kept->control) {
      kept->control.reset();  // The orphan must not keep its control alive.
      const JobId job = kept->job;
      if (control->Adopt(kept)) {
        ++report.skipped;
        Book(report, scope.graph.size(), job, CleanupOutcome::kSkipped);
        continue;
      }
    }
    const std::string& name = scope.graph.name(kept->job);
    const auto fail = [&](const CallOutcome& outcome) {
      report.failure = CleanupReport::FailedCleanup{kept->job, kept->try_number, outcome.error};
      Book(report, scope.graph.size(), kept->job, CleanupOutcome::kFailed);
      std::lock_guard lock(mutex_);
      report.pending = tries_.size();
      for (const auto& pending : tries_) {
        Book(report, scope.graph.size(), pending->job, CleanupOutcome::kPending);
      }
    };
    // A Cleanup that ends this thread fails, and stops the rest, like one
    // that throws.
    UnwindGuard lost([&] {
      const CallOutcome outcome{false, std::string(kThreadEndedCause), ""};
      ++report.ran;
      scope.env.observer.OnPhase({kept->job, name, Phase::kCleanup, kept->try_number, false,
                                  outcome.error, outcome.error_type});
      fail(outcome);
    });
    const CallOutcome outcome = executor.RunCleanup(scope, *kept);
    lost.Dismiss();
    ++report.ran;
    scope.env.observer.OnPhase({kept->job, name, Phase::kCleanup, kept->try_number, outcome.ok,
                                outcome.error, outcome.error_type});
    if (!outcome.ok) {
      fail(outcome);
      break;
    }
    Book(report, scope.graph.size(), kept->job, CleanupOutcome::kOk);
  }
}

}  // namespace dojobber::core
