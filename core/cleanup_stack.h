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

/// A try kept for its Cleanup: the job object and its local storage. An
/// isolated try has no object here (it lived in a child process); its
/// Cleanup runs on a fresh object, elsewhere (RemoteCleanup).
struct RetainedTry {
  JobId job;
  int try_number;
  std::unique_ptr<Job> object;
  nlohmann::json local;
  std::shared_ptr<TryControl> control;  ///< Set for tries run on their own thread.
};

/// Calls the Cleanup of a try whose object is not in this process.
class RemoteCleanup {
 public:
  virtual ~RemoteCleanup() = default;
  virtual CallOutcome Cleanup(const RetainedTry& kept) = 0;
};

/// Every try whose job has a Cleanup, in order of creation. Cleanups run
/// newest first (LIFO), so they unwind the run.
class CleanupStack {
 public:
  /// Keeps a newly created job object. Safe to call from several threads; the
  /// returned reference stays valid until that try's cleanup has run.
  RetainedTry& Push(JobId job, int try_number, std::unique_ptr<Job> object,
                    std::shared_ptr<TryControl> control = nullptr);
  /// Keeps a try that ran elsewhere (in a child process), by its local storage.
  void PushRemote(JobId job, int try_number, nlohmann::json local);

  /// Calls Cleanup for every kept try, newest first, and frees each after its
  /// call. Stops at the first Cleanup that throws; the tries below it stay
  /// kept, so calling again goes on from there. A timed-out try whose thread
  /// still runs is skipped and handed to that thread, which frees it when it
  /// is done. Tries without an object go to `remote`.
  CleanupReport RunAll(const Graph& graph, const RunEnvironment& env,
                       const WorkingDirectory& working_directory, RemoteCleanup* remote = nullptr);

  std::size_t size() const;
  /// The newest kept try; the stack must not be empty.
  const RetainedTry& Top() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<RetainedTry>> tries_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_CLEANUP_STACK_H_
