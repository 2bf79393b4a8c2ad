#ifndef DOJOBBER_CORE_CLEANUP_STACK_H_
#define DOJOBBER_CORE_CLEANUP_STACK_H_

#include <memory>
#include <mutex>
#include <vector>

#include <nlohmann/json.hpp>

#include <dojobber/job.h>

#include "core/graph.h"
#include "core/run_result.h"
#include "core/try_context.h"
#include "core/working_directory.h"

namespace dojobber::core {

/// A try kept for its Cleanup: the job object and its local storage.
struct RetainedTry {
  JobId job;
  int try_number;
  std::unique_ptr<Job> object;
  nlohmann::json local;
};

/// Every try whose job has a Cleanup, in order of creation. Cleanups run
/// newest first (LIFO), so they unwind the run.
class CleanupStack {
 public:
  /// Keeps a newly created job object. Safe to call from several threads; the
  /// returned reference stays valid until that try's cleanup has run.
  RetainedTry& Push(JobId job, int try_number, std::unique_ptr<Job> object);

  /// Calls Cleanup for every kept try, newest first, and frees each after its
  /// call. Stops at the first Cleanup that throws; the tries below it stay
  /// kept, so calling again goes on from there.
  CleanupReport RunAll(const Graph& graph, const RunEnvironment& env,
                       const WorkingDirectory& working_directory);

  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<RetainedTry>> tries_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_CLEANUP_STACK_H_
