#ifndef DOJOBBER_CORE_PROCESS_EXECUTOR_H_
#define DOJOBBER_CORE_PROCESS_EXECUTOR_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/executor.h"
#include "core/expected.h"

namespace dojobber::core {

/// One process that makes one try or cleanup, as its orchestrator sees it.
/// The descriptors belong to the object and are closed with it.
class TryProcess {
 public:
  virtual ~TryProcess();
  TryProcess() = default;
  TryProcess(const TryProcess&) = delete;
  TryProcess& operator=(const TryProcess&) = delete;

  int channel_in = -1;       ///< The worker's messages arrive here.
  int channel_out = -1;      ///< Messages to the worker go here (may equal channel_in).
  std::vector<int> outputs;  ///< The job's own stdout/stderr, read as lines.
  int ended = -1;            ///< Readable once the process has ended.

  /// Once `ended` is readable: how the process ended, a waitpid() status.
  virtual Expected<int> WaitStatus() = 0;
  /// Ends the process (and whatever it started). Called at a timeout or at
  /// the end of a stop's grace period, and again every few seconds while the
  /// process has not ended, so an implementation may escalate.
  virtual void Kill() = 0;
  /// Sees each line of output before it is passed on as the job's; returns
  /// true to keep it (a line of whatever runs the process, not the job's).
  virtual bool TakeOutputLine(std::string_view line) {
    (void)line;
    return false;
  }
  /// Why a process that sent no end message ended: `killed by signal
  /// SIGSEGV`, `exited with status 3`, or the reason of whatever runs it.
  virtual std::string Describe(int wait_status);
  /// Once the process has ended: ends the process groups of the commands
  /// it started (dojobber::RunCommand) that it did not see end, as its
  /// `command` messages named them. Only a process on this machine names
  /// groups the orchestrator can reach: the default ignores them (a
  /// cluster's step ends with whatever it started).
  virtual void EndCommands(const std::vector<pid_t>& groups) { (void)groups; }
  /// Whether the groups it names are this machine's (EndCommands acts on
  /// them): they are then also killed if dojobber must end at once.
  virtual bool CommandsAreLocal() const { return false; }
};

/// Starts the processes that make tries: a fork server on this machine, or
/// a cluster's job steps.
class Launcher {
 public:
  virtual ~Launcher() = default;
  /// Called once before the first launch, while no worker thread of the run
  /// exists (see Executor::Start).
  virtual Status Start(const RunScope& scope) = 0;
  /// Starts a process for one try or cleanup of `job`. Safe from several
  /// threads at once.
  virtual Expected<std::unique_ptr<TryProcess>> Launch(const RunScope& scope, JobId job) = 0;
};

/// Runs each try, and each cleanup, in a process of its own, so that a job
/// that crashes, aborts, exits or hangs fails alone (`--executor isolate`,
/// and on a cluster node). The process speaks the protocol of
/// docs/protocol.md with this executor: its phases, log lines and output come
/// back as they happen; global storage is served live, each call a request
/// (an Update holds the storage's lock across its round trip); at the end
/// come the outcome, the result and the try's local storage, kept for its
/// Cleanup, which runs in another such process on a fresh object.
///
/// A process that ends without an outcome fails the try with the cause
/// (TryProcess::Describe); one that runs past the job's timeout is killed
/// (`timed out after 2 s`). After a stop request the process is told, gets
/// `stop_grace_seconds`, then is killed. Cleanups run after a stop too, and
/// only their timeout limits them.
class ProcessExecutor final : public Executor {
 public:
  struct Options {
    double stop_grace_seconds = 2;  ///< After a stop request, before the kill.
  };
  ProcessExecutor(std::unique_ptr<Launcher> launcher, Options options);
  ~ProcessExecutor() override;

  Status Start(const RunScope& scope) override;
  TryOutcome RunTry(const RunScope& scope, const TryRequest& request) override;
  CallOutcome RunCleanup(const RunScope& scope, RetainedTry& kept) override;
  double stop_grace_seconds() const override { return options_.stop_grace_seconds; }

 private:
  std::unique_ptr<Launcher> launcher_;
  Options options_;
  Status started_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_PROCESS_EXECUTOR_H_
