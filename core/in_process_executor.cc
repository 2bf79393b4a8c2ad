#include "core/in_process_executor.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/clock.h"
#include "core/lost_thread.h"
#include "core/text_format.h"
#include "core/try_runner.h"

namespace dojobber::core {
namespace {

// "thread N": the calling thread, numbered from 1 in the order this
// process's threads first made a try (-j 1: "thread 1"). A timed try runs on
// a thread of its own, but for the calling one, which waits for it.
const std::string& ThisThreadName() {
  static std::atomic<int> threads{0};
  thread_local const std::string name = "thread " + std::to_string(++threads);
  return name;
}

}  // namespace

// What a timed try's thread hands back, and how the waiters (the try's, and
// once it is abandoned the next try of its job) learn it is done.
struct InProcessExecutor::Handoff {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  TryOutcome outcome;
};

TryOutcome InProcessExecutor::RunTry(const RunScope& scope, const TryRequest& request) {
  TryOutcome outcome;
  if (request.timeout_seconds > 0) {
    outcome = RunTimed(scope, request);
  } else {
    const TryRunner runner(scope.env, scope.working_directory, scope.cleanups);
    outcome = runner.Run(request.job, scope.graph.spec(request.job), request.try_number);
  }
  outcome.worker = ThisThreadName();
  return outcome;
}

TryOutcome InProcessExecutor::RunTimed(const RunScope& scope, const TryRequest& request) {
  const auto deadline =
      std::chrono::steady_clock::now() + SecondsToDuration(request.timeout_seconds);
  const JobSpec& spec = scope.graph.spec(request.job);
  std::string cause = "timed out after " + FormatSeconds(request.timeout_seconds) + " s";
  AbandonedTry previous;
  {
    std::lock_guard lock(abandoned_tries_mutex_);
    if (auto found = abandoned_tries_.find(request.job); found != abandoned_tries_.end()) {
      previous = found->second;
    }
  }
  if (previous.handoff) {
    std::unique_lock lock(previous.handoff->mutex);
    if (!previous.handoff->done_changed.wait_until(lock, deadline,
                                                   [&] { return previous.handoff->done; })) {
      cause += " waiting for try " + std::to_string(previous.try_number) +
               " (abandoned at its time limit) to end; not started";
      if (scope.env.observer.wants_phases()) {
        scope.env.observer.OnPhase(
            {request.job, spec.name, Phase::kCheck, request.try_number, false, cause, ""});
      }
      TryOutcome outcome{JobStatus::kFailed, std::move(cause), nullptr};
      outcome.timed_out = true;
      outcome.phases.check = PhaseResult::kFailed;  // As traced.
      return outcome;
    }
  }
  auto control = std::make_shared<TryControl>();
  auto handoff = std::make_shared<Handoff>();
  control->running = true;
  // The runner lives on the heap, shared with the thread: an abandoned try
  // must never reach into this function's frame. What it refers to (the
  // scope's members) lives as long as the engine, see the class comment.
  auto runner =
      std::make_shared<const TryRunner>(scope.env, scope.working_directory, scope.cleanups);
  std::thread([runner, &spec, control, handoff, abandoned = abandoned_, request] {
    const auto hand_over = [&](TryOutcome outcome) {
      control->Finish();
      std::lock_guard lock(handoff->mutex);
      if (control->abandoned) --*abandoned;
      handoff->outcome = std::move(outcome);
      handoff->done = true;
      handoff->done_changed.notify_all();  // This try's waiter and the next try's.
    };
    // Job code that ends this thread ends the try: the waiter must hear it.
    UnwindGuard lost([&] {
      hand_over({JobStatus::kFailed, std::string(kThreadEndedCause), nullptr});
    });
    TryOutcome outcome = runner->Run(request.job, spec, request.try_number, control);
    lost.Dismiss();
    hand_over(std::move(outcome));
  }).detach();

  std::unique_lock lock(handoff->mutex);
  if (handoff->done_changed.wait_until(lock, deadline, [&] { return handoff->done; })) {
    return std::move(handoff->outcome);
  }
  // Under the lock: the thread either has not finished, and will see the
  // flag and count itself out, or finishes after us.
  if (!runner->Abandon(request.job, spec.name, request.try_number, *control, cause)) {
    // It made its last phase in time and is only handing its outcome over.
    handoff->done_changed.wait(lock, [&] { return handoff->done; });
    return std::move(handoff->outcome);
  }
  ++*abandoned_;
  {
    std::lock_guard tries_lock(abandoned_tries_mutex_);
    abandoned_tries_[request.job] = {handoff, request.try_number};
  }
  TryOutcome outcome{JobStatus::kFailed, std::move(cause), nullptr};
  outcome.timed_out = true;
  {
    // The phase it was abandoned in fails, as Abandon() traced it.
    std::lock_guard control_lock(control->mutex);
    outcome.phases = control->progress.Phases(true, scope.env.no_act);
  }
  return outcome;
}

CallOutcome InProcessExecutor::RunCleanup(const RunScope& scope, RetainedTry& kept) {
  if (!kept.object) return {false, "the try's job object is not in this process", ""};
  if (Status restored = scope.working_directory.Restore(); !restored) {
    return {false, restored.message(), ""};
  }
  TryContext ctx(scope.env, kept.job, scope.graph.name(kept.job), kept.try_number, kept.local);
  ctx.set_phase(Phase::kCleanup);
  return CallPhase(*kept.object, Phase::kCleanup, ctx);
}

}  // namespace dojobber::core
