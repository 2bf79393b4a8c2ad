#ifndef DOJOBBER_CORE_FORK_SERVER_H_
#define DOJOBBER_CORE_FORK_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <mutex>

#include "core/process_executor.h"

namespace dojobber::core {

/// Starts each try's process on this machine (`--executor isolate`) by
/// forking it from a fork server: a process forked once, at the start of
/// the run, before any worker thread exists, that runs no thread and only
/// forks. A try's process is thus never forked from a process that runs
/// other threads (job code after such a fork can deadlock on a lock another
/// thread held), yet it has the run's registry and graph as they are, so
/// jobs registered by a program (not only by plugins) can run isolated.
///
/// Each try's process runs in a process group of its own (a Ctrl-C at the
/// terminal reaches only dojobber), dies with the fork server, which dies
/// with dojobber, and speaks the protocol over a socket; its stdout and
/// stderr come back as lines.
class ForkLauncher final : public Launcher {
 public:
  ForkLauncher() = default;
  ~ForkLauncher() override;  ///< Ends the fork server and waits for it.
  ForkLauncher(const ForkLauncher&) = delete;
  ForkLauncher& operator=(const ForkLauncher&) = delete;

  /// Forks the fork server. `scope` must outlive this launcher.
  Status Start(const RunScope& scope) override;
  Expected<std::unique_ptr<TryProcess>> Launch(const RunScope& scope, JobId job) override;

 private:
  std::mutex mutex_;  // One request and its reply at a time.
  int server_ = -1;   // Our end of the request socket.
  pid_t server_pid_ = -1;
};

/// The executor for `--executor isolate`.
std::unique_ptr<Executor> MakeIsolatedExecutor(double stop_grace_seconds = 2);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_FORK_SERVER_H_
