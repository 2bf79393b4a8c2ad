#include "core/timed_tries.h"

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/clock.h"
#include "core/text_format.h"

namespace dojobber::core {
namespace {

// What the try's thread hands back, and how the waiter learns it is done.
struct Handoff {
  std::mutex mutex;
  std::condition_variable done_changed;
  bool done = false;
  TryOutcome outcome;
};

}  // namespace

TryOutcome TimedTries::Run(JobId id, int try_number, double timeout_seconds) {
  auto control = std::make_shared<TryControl>();
  auto handoff = std::make_shared<Handoff>();
  control->running = true;
  // The thread owns shared pointers to all the state it touches besides the
  // runner, so an abandoned try never reaches into this function's frame.
  std::thread([runner = &runner_, control, handoff, abandoned = abandoned_, id, try_number] {
    TryOutcome outcome = runner->Run(id, try_number, control);
    control->Finish();
    std::lock_guard lock(handoff->mutex);
    if (control->abandoned) --*abandoned;
    handoff->outcome = std::move(outcome);
    handoff->done = true;
    handoff->done_changed.notify_one();
  }).detach();

  std::unique_lock lock(handoff->mutex);
  if (handoff->done_changed.wait_for(lock, SecondsToDuration(timeout_seconds),
                                     [&] { return handoff->done; })) {
    return std::move(handoff->outcome);
  }
  // Under the lock: the thread either has not finished, and will see the
  // flag and count itself out, or finishes after us.
  std::string cause = "timed out after " + FormatSeconds(timeout_seconds) + " s";
  if (!runner_.Abandon(id, try_number, *control, cause)) {
    // It made its last phase in time and is only handing its outcome over.
    handoff->done_changed.wait(lock, [&] { return handoff->done; });
    return std::move(handoff->outcome);
  }
  ++*abandoned_;
  return {JobStatus::kFailed, std::move(cause), nullptr};
}

}  // namespace dojobber::core
