#ifndef DOJOBBER_CORE_IN_PROCESS_EXECUTOR_H_
#define DOJOBBER_CORE_IN_PROCESS_EXECUTOR_H_

#include <atomic>
#include <memory>
#include <mutex>
#include <unordered_map>

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
///
/// The tries of one job never overlap: the next try of a job whose last try
/// was abandoned first waits for that try's thread to end, within its own
/// time limit (the wait counts toward it). If the thread is still running
/// when the limit is up, the try fails without calling any job code:
/// `timed out after S s waiting for try N (abandoned at its time limit) to
/// end; not started`, traced as a failed check.
class InProcessExecutor final : public Executor {
 public:
  TryOutcome RunTry(const RunScope& scope, const TryRequest& request) override;
  CallOutcome RunCleanup(const RunScope& scope, RetainedTry& kept) override;
  int abandoned() const override { return *abandoned_; }

 private:
  struct Handoff;
  // A try abandoned at its time limit, whose thread may still run.
  struct AbandonedTry {
    std::shared_ptr<Handoff> handoff;
    int try_number = 0;
  };

  TryOutcome RunTimed(const RunScope& scope, const TryRequest& request);

  std::mutex abandoned_tries_mutex_;  // Tries of different jobs start at once.
  std::unordered_map<JobId, AbandonedTry> abandoned_tries_;  // The last one of each job.

  // Shared with the tries' threads, which may outlive this executor.
  std::shared_ptr<std::atomic<int>> abandoned_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_IN_PROCESS_EXECUTOR_H_
