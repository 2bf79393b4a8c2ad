#ifndef DOJOBBER_CORE_IN_PROCESS_EXECUTOR_H_
#define DOJOBBER_CORE_IN_PROCESS_EXECUTOR_H_

#include <atomic>
#include <memory>

#include "core/executor.h"

namespace dojobber::core {

/// Runs tries in this process (`--executor local`, the default): on the
/// calling thread when the job has no time limit, else on a thread of its
/// own while the caller waits at most the limit.
///
/// A thread cannot be killed, so a try still running at its limit is
/// abandoned: the caller gets `timed out after S s` and goes on; the try's
/// thread stops at its next phase boundary, its log lines and trace are
/// dropped, and its job object is neither cleaned up nor freed while the
/// thread runs. Whatever that thread refers to (the engine, its graph,
/// registry and observer) must outlive it: abandoned() says how many are
/// still running. A job that crashes takes the process with it; use
/// ProcessExecutor for such jobs.
class InProcessExecutor final : public Executor {
 public:
  TryOutcome RunTry(const RunScope& scope, const TryRequest& request) override;
  CallOutcome RunCleanup(const RunScope& scope, RetainedTry& kept) override;
  int abandoned() const override { return *abandoned_; }

 private:
  TryOutcome RunTimed(const RunScope& scope, const TryRequest& request);

  // Shared with the tries' threads, which may outlive this executor.
  std::shared_ptr<std::atomic<int>> abandoned_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_IN_PROCESS_EXECUTOR_H_
