#include "core/in_process_executor.h"

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

// What a timed try's thread hands back, and how the waiter learns it is done.
struct Handoff {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  TryOutcome outcome;
};

}  // namespace

TryOutcome InProcessExecutor::RunTry(const RunScope& scope, const TryRequest& request) {
  if (request.timeout_seconds > 0) return RunTimed(scope, request);
  const TryRunner runner(scope.env, scope.working_directory, scope.cleanups);
  return runner.Run(request.job, scope.graph.spec(request.job), request.try_number);
}

TryOutcome InProcessExecutor::RunTimed(const RunScope& scope, const TryRequest& request) {
  auto control = std::make_shared<TryControl>();
  auto handoff = std::make_shared<Handoff>();
  control->running = true;
  // The runner lives on the heap, shared with the thread: an abandoned try
  // must never reach into this function's frame. What it refers to (the
  // scope's members) lives as long as the engine, see the class comment.
  auto runner =
      std::make_shared<const TryRunner>(scope.env, scope.working_directory, scope.cleanups);
  const JobSpec& spec = scope.graph.spec(request.job);
  std::thread([runner, &spec, control, handoff, abandoned = abandoned_, request] {
    const auto hand_over = [&](TryOutcome outcome) {
      control->Finish();
      std::lock_guard lock(handoff->mutex);
      if (control->abandoned) --*abandoned;
      handoff->outcome = std::move(outcome);
      handoff->done = true;
      handoff->done_changed.notify_one();
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
  if (handoff->done_changed.wait_for(lock, SecondsToDuration(request.timeout_seconds),
                                     [&] { return handoff->done; })) {
    return std::move(handoff->outcome);
  }
  // Under the lock: the thread either has not finished, and will see the
  // flag and count itself out, or finishes after us.
  std::string cause = "timed out after " + FormatSeconds(request.timeout_seconds) + " s";
  if (!runner->Abandon(request.job, spec.name, request.try_number, *control, cause)) {
    // It made its last phase in time and is only handing its outcome over.
    handoff->done_changed.wait(lock, [&] { return handoff->done; });
    return std::move(handoff->outcome);
  }
  ++*abandoned_;
  return {JobStatus::kFailed, std::move(cause), nullptr};
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
