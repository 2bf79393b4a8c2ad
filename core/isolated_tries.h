#ifndef DOJOBBER_CORE_ISOLATED_TRIES_H_
#define DOJOBBER_CORE_ISOLATED_TRIES_H_

#include <stop_token>

#include "core/cleanup_stack.h"
#include "core/graph.h"
#include "core/try_context.h"
#include "core/try_runner.h"
#include "core/working_directory.h"

namespace dojobber::core {

/// Runs each try in a child process (`--isolate`), so a job that crashes,
/// aborts, exits or hangs fails alone:
///
/// - The child is forked at the start of the try and makes it as in-process
///   (create, Check, Run, recheck) on a copy of the run's global storage.
///   Its trace, log lines and stdout/stderr lines come back as they happen,
///   whole. When it ends it sends the outcome, its result, its local storage
///   and its changes to global storage, which are applied key by key (under
///   parallel runs, of two tries that changed one key the later one wins).
/// - A child that dies without an outcome fails the try with the cause:
///   `killed by signal SIGSEGV`, `exited with status 3`, or, killed at the
///   job's timeout, `timed out after 2 s`. After a stop request it gets a
///   grace period, then is killed.
/// - Cleanup: a job with a Cleanup has each try whose object was created
///   cleaned up, in the usual LIFO order, by another child that creates a
///   fresh object and calls Cleanup with that try's local storage (empty if
///   the try's child died).
class IsolatedTries final : public RemoteCleanup {
 public:
  IsolatedTries(const Graph& graph, const RunEnvironment& env,
                const WorkingDirectory& working_directory, CleanupStack& cleanups,
                std::stop_token stop, double stop_grace_seconds)
      : graph_(graph),
        env_(env),
        working_directory_(working_directory),
        cleanups_(cleanups),
        stop_(std::move(stop)),
        stop_grace_seconds_(stop_grace_seconds) {}

  TryOutcome Run(JobId id, int try_number, double timeout_seconds);
  CallOutcome Cleanup(const RetainedTry& kept) override;

 private:
  const Graph& graph_;
  const RunEnvironment& env_;
  const WorkingDirectory& working_directory_;
  CleanupStack& cleanups_;
  std::stop_token stop_;
  double stop_grace_seconds_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_ISOLATED_TRIES_H_
