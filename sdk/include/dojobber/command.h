#ifndef DOJOBBER_COMMAND_H_
#define DOJOBBER_COMMAND_H_

/// Running commands from a job: a program and its arguments (a shell only
/// when asked for with Command::Shell), its output captured and passed on to
/// the job's log, its whole process group ended with its try.
///
///     void Run(dojobber::Context& ctx) override {
///       dojobber::RunCommandOrThrow(ctx, {.argv = {"git", "init", "--quiet", dir}});
///     }
///
/// Linux only (process groups, pidfd, close_range).

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <dojobber/command_tracker.h>
#include <dojobber/context.h>
#include <dojobber/error.h>

namespace dojobber {

/// Bytes kept of each of a command's stdout and stderr by default: the last
/// 64 KiB. Every line also goes to the job's log, whatever its length.
inline constexpr std::size_t kCommandOutputLimit = 64 * 1024;

/// Bytes of one line of a command's output in one log line: a longer line
/// goes to the job's log in pieces of exactly this size, each its own
/// `[Job] ...` line, so that no byte is lost and memory stays bounded.
inline constexpr std::size_t kCommandLogLineLimit = 64 * 1024;

/// Seconds between the SIGTERM that ends a command's process group (at its
/// timeout, a stop request, or when its try is abandoned) and the SIGKILL
/// that follows if any process of the group is still there.
inline constexpr double kCommandKillGraceSeconds = 1;

/// A command to run. Made with designated initializers:
///
///     dojobber::Command{.argv = {"tar", "-xf", archive}, .working_directory = dir}
struct Command {
  /// The program and its arguments. argv[0] is a path, or a name looked up
  /// in the command's PATH (the environment below applied). Never a shell:
  /// no quoting, globbing or variables, unless made with Shell().
  std::vector<std::string> argv{};
  /// Where it runs; empty: dojobber's working directory (the directory the
  /// run started in).
  std::string working_directory{};
  /// Variables added to, or replacing, those dojobber runs with.
  std::map<std::string, std::string> environment{};
  /// Written to its standard input, which is then closed. Without it,
  /// standard input is /dev/null.
  std::optional<std::string> input{};
  /// Seconds it may run; 0: no limit of its own (its try's still applies).
  /// At the limit its process group gets SIGTERM, then SIGKILL after
  /// kCommandKillGraceSeconds. Negative, NaN or infinite: RunCommand throws.
  double timeout_seconds = 0;
  /// Bytes kept of each of stdout and stderr: the last ones (see
  /// CommandResult::out_dropped).
  std::size_t output_limit = kCommandOutputLimit;
  /// Whether each line of its stdout and stderr also goes to the job's log
  /// (`[Job] line`, as ctx.log()). Its output never reaches dojobber's own.
  bool log_output = true;

  /// `/bin/sh -c script`: for when a shell is wanted (pipes, redirections).
  static Command Shell(std::string script) {
    return Command{.argv = {"/bin/sh", "-c", std::move(script)}};
  }
};

/// How a command ended, and the end of its output.
struct CommandResult {
  /// The command as a shell would read it (each argument quoted as needed).
  std::string command;
  /// 0-255 when it exited; -1 when a signal ended it.
  int exit_status = -1;
  /// The signal that ended it (SIGTERM, SIGKILL, ...); 0 when it exited.
  int signal = 0;
  /// It was ended at its own timeout_seconds.
  bool timed_out = false;
  /// It was ended because the run was asked to stop (Ctrl-C), or its try was
  /// abandoned.
  bool stopped = false;
  /// The last output_limit bytes of its stdout and stderr.
  std::string out;
  std::string err;
  /// How many bytes of each came before those kept.
  std::size_t out_dropped = 0;
  std::size_t err_dropped = 0;
  /// The seconds of Command::timeout_seconds, for Describe().
  double timeout_seconds = 0;

  /// It exited with status 0 on its own.
  bool ok() const { return exit_status == 0 && !timed_out && !stopped; }
  /// `exited with status 2`, `killed by signal SIGKILL`, `timed out after 5 s
  /// (killed by signal SIGTERM)`, `stopped: the run was asked to stop (...)`.
  std::string Describe() const;
};

/// What a command run needs besides the command itself; RunCommand(ctx, ...)
/// takes all of it from the Context. For code that has no Context (tests).
struct CommandHooks {
  /// Where each line goes when Command::log_output; null: nowhere.
  std::ostream* log = nullptr;
  /// Told of the command's process group; null: nobody.
  CommandTracker* tracker = nullptr;
  /// Polled every few tens of milliseconds; true ends the command (stopped).
  std::function<bool()> stop_requested{};
};

/// Runs `command` and waits for it to end; returns how it ended with the end
/// of its output, whatever its exit status. It runs in a process group of
/// its own, with default signal handling, no signal blocked, and none of
/// dojobber's descriptors besides stdin, stdout and stderr. Whatever it
/// leaves running in its group when it exits is killed (SIGKILL); a process
/// that leaves the group (setsid) is its own. Throws dojobber::Error when it
/// cannot start (no such program, no such working directory, ...).
inline CommandResult RunCommand(const Command& command, const CommandHooks& hooks);

/// As above, in a job: the output goes to ctx.log(); the command is ended
/// when the run is asked to stop, and with its try (abandoned at its time
/// limit in-process, killed in its own process). A command a Cleanup runs is
/// not ended by a stop request: cleanups run to their end after a stop (a
/// second Ctrl-C still ends it, as it ends dojobber).
inline CommandResult RunCommand(Context& ctx, const Command& command) {
  CommandHooks hooks{.log = &ctx.log(), .tracker = &ctx.commands()};
  if (ctx.phase() != Phase::kCleanup) {
    hooks.stop_requested = [&ctx] { return ctx.stop_requested(); };
  }
  return RunCommand(command, hooks);
}

/// The dojobber::Error for a command that did not end well: names the
/// command, how it ended and the last lines of its stderr:
/// "command `false` exited with status 1", "command `git init /x` exited
/// with status 128; stderr ends: fatal: ..." (its last three lines, joined
/// by " | ").
inline Error CommandError(const CommandResult& result);

/// As RunCommand, for Check and Run: throws CommandError(result) unless the
/// command exited with status 0 on its own.
inline CommandResult RunCommandOrThrow(Context& ctx, const Command& command) {
  CommandResult result = RunCommand(ctx, command);
  if (!result.ok()) throw CommandError(result);
  return result;
}

}  // namespace dojobber

#include <dojobber/detail/command_impl.h>  // IWYU pragma: export

#endif  // DOJOBBER_COMMAND_H_
