#ifndef DOJOBBER_CORE_TIMED_TRIES_H_
#define DOJOBBER_CORE_TIMED_TRIES_H_

#include <atomic>
#include <memory>

#include "core/graph.h"
#include "core/try_runner.h"

namespace dojobber::core {

/// Runs in-process tries under a time limit. Each try runs on a thread of
/// its own while the caller waits at most the job's timeout. A thread cannot
/// be killed, so a try still running then is abandoned: the caller gets a
/// failure `timed out after S s` and goes on; the try's thread stops at its
/// next phase boundary, its log lines and trace are dropped, and its job
/// object is neither cleaned up nor freed while the thread runs. Whatever
/// that thread refers to (the engine, its graph, registry and observer) must
/// outlive it: abandoned() says how many are still running.
class TimedTries {
 public:
  explicit TimedTries(const TryRunner& runner) : runner_(runner) {}

  TryOutcome Run(JobId id, int try_number, double timeout_seconds);

  /// Abandoned tries whose threads have not finished yet.
  int abandoned() const { return *abandoned_; }

 private:
  const TryRunner& runner_;
  std::shared_ptr<std::atomic<int>> abandoned_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TIMED_TRIES_H_
