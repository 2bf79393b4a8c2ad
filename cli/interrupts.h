#ifndef DOJOBBER_CLI_INTERRUPTS_H_
#define DOJOBBER_CLI_INTERRUPTS_H_

#include <functional>
#include <stop_token>

namespace dojobber::cli {

/// Turns Ctrl-C (SIGINT), SIGTERM and SIGHUP into a stop request. The first
/// signal asks the run to stop: no new tries, running ones finish, cleanups
/// run, the reports are written, and dojobber exits with 130. Signals within
/// 250 ms of the first belong to the same request (`timeout` sends its
/// signal to the process and then to its group); one after that exits at
/// once, with 130. A signal that comes later still, while the reports are
/// written or after, also ends in 130: the exit status is 130 once a stop
/// signal has come, whatever the run did (FinalExitStatus). SIGPIPE is caught and does nothing, so
/// a reader that goes away (`dojobber run -v 2>&1 | head`) costs dojobber an output, not its run,
/// cleanups and report.
///
/// Run() does the work on a second thread while the main thread waits for
/// stop requests in poll(). The kernel prefers the main thread for a signal
/// sent to the process, so the handler usually interrupts that wait rather
/// than a job's system call. The handlers only read the clock and write a
/// line and a byte to a pipe (or `_exit`). No thread blocks the signals and no disposition is
/// ignored, so the commands that jobs start get the usual signal handling
/// (exec resets caught signals to default).
/// One instance per process.
///
/// Run() returns FinalExitStatus() of the work's result.
class Interrupts {
 public:
  Interrupts();
  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;

  /// Runs `work` with a token that a stop signal requests, and returns its
  /// result (or rethrows what it threw).
  int Run(const std::function<int(std::stop_token)>& work);

 private:
  void WaitUntilDone();

  std::stop_source stop_;
  int pipe_[2] = {-1, -1};
  int signal_fd_ = -1;  // Only in ThreadSanitizer builds (see interrupts.cc).
};

/// While `clear` is true, the stop signals' messages on stderr start by
/// clearing the terminal line (carriage return, erase line): the live
/// progress line is drawn there, and the message should not follow its text.
void ClearLineBeforeStopMessages(bool clear);

/// Whether a stop signal has come: true from the moment its handler runs
/// (before the work's stop token says so, which the main thread sets).
bool StopSignalled();

/// For commands that have no tries to let finish and no cleanups to run
/// (`list`, `explain`): from this call on, the first stop signal ends the
/// process at once with kInterrupted, as a second one does in a run.
void ExitAtFirstStop();

/// The status to exit with, for a process about to exit with `status`:
/// kInterrupted if a stop signal has come, else `status`. From this call on
/// nothing is left to stop, so a stop signal ends the process at once with
/// kInterrupted; no signal can come "too late" to count.
int FinalExitStatus(int status);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_INTERRUPTS_H_
