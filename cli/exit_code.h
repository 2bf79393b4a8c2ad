#ifndef DOJOBBER_CLI_EXIT_CODE_H_
#define DOJOBBER_CLI_EXIT_CODE_H_

namespace dojobber::cli {

/// The process exit statuses; documented in the README and `--help`.
enum ExitCode : int {
  kSuccess = 0,        ///< Every job succeeded.
  kJobsFailed = 1,     ///< Some job failed or is blocked (also in a dry run; with
                       ///< --detailed-exitcode a dry run's job that cannot be judged).
  kUsage = 2,          ///< Bad command line, plugin or graph, or --lock held: nothing executed.
  kCleanupFailed = 3,  ///< A Cleanup threw (whatever the jobs did).
  kOutputFailed = 4,   ///< The run happened but stdout, --report, --dot or --graph failed.
  kInternalError = 5,  ///< dojobber itself failed: out of memory.
  /// --detailed-exitcode only: every job is or was made right, and something
  /// is to change (a dry run: some job would run) or changed (a real run).
  kChanges = 6,
  kInterrupted = 130,  ///< Stopped by Ctrl-C, SIGTERM or SIGHUP (over all the others).
};

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_EXIT_CODE_H_
