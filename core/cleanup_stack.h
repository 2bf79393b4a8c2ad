#ifndef DOJOBBER_CORE_CLEANUP_STACK_H_
#define DOJOBBER_CORE_CLEANUP_STACK_H_

#include <memory>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include <dojobber/job.h>

#include "core/graph.h"
#include "core/invoker.h"
#include "core/run_result.h"
#include "core/try_context.h"
#include "core/try_control.h"
#include "core/working_directory.h"

namespace dojobber::core {

/// A try kept for its Cleanup: the job object and its local storage. A try
/// that ran in another process has no object here; the executor that ran it
/// cleans it up on a fresh object with the try's local storage.
struct RetainedTry {
  JobId job;
  int try_number;
  std::unique_ptr<Job> object;
  nlohmann::json local;
  std::shared_ptr<TryControl> control;  ///< Set for tries run on their own thread.
};

class Executor;
struct RunScope;

/// The record of every try whose job has a Cleanup, in order of creation.
/// Cleanups run newest first (LIFO), so they unwind the run; each goes
/// through the executor that ran the tries, like a try.
class CleanupStack {
 public:
  /// Keeps a newly created job object. Safe to call from several threads; the
  /// returned reference stays valid until that try's cleanup has run.
  RetainedTry& Push(JobId job, int try_number, std::unique_ptr<Job> object,
                    std::shared_ptr<TryControl> control = nullptr);
  /// Keeps a try that ran elsewhere (in a child process), by its local storage.
  void PushRemote(JobId job, int try_number, nlohmann::json local);

  /// Calls Cleanup for every kept try through `executor`, newest first,
  /// reports each to the observer, and frees each after its call. Stops at
  /// the first Cleanup that fails; the tries below it stay kept, so calling
  /// again goes on from there. A timed-out try whose thread still runs is
  /// skipped and handed to that thread, which frees it when it is done.
  /// The Cleanups run on a thread of their own: one whose code ends that
  /// thread (pthread_exit) fails with that cause, and the run still ends.
  CleanupReport RunAll(const RunScope& scope, Executor& executor);

  std::size_t size() const;
  /// The newest kept try; the stack must not be empty.
  const RetainedTry& Top() const;

 private:
  // RunAll's loop; a report of what it did so far survives its thread.
  void CallEach(const RunScope& scope, Executor& executor, CleanupReport& report);

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<RetainedTry>> tries_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_CLEANUP_STACK_H_
