#ifndef DOJOBBER_TESTS_E2E_RUN_PROCESS_H_
#define DOJOBBER_TESTS_E2E_RUN_PROCESS_H_

#include <sys/types.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dojobber::e2e {

/// How to start a child process.
struct ProcessOptions {
  /// Environment changes on top of this process's environment: a value sets
  /// the variable, std::nullopt removes it.
  std::map<std::string, std::optional<std::string>> env;
  /// The child's working directory; empty: this process's.
  std::filesystem::path cwd;
  /// When set, stdout goes to this existing file (e.g. /dev/full) instead of
  /// being captured.
  std::filesystem::path stdout_path;
  /// When > 0, the child's stdout and stderr are both one pseudo-terminal of
  /// this many columns (and 24 rows), as a user's terminal would be: all it
  /// wrote there, in order, is ProcessResult::err, and `out` stays empty.
  /// The terminal passes output raw (a newline stays "\n"), so the bytes
  /// arrive as written. `stdout_path` is then ignored.
  int terminal_columns = 0;
  /// After this long the child is killed and the calling test fails.
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

/// What a finished child did.
struct ProcessResult {
  /// The exit status; 128 + N when killed by signal N; -1 when it could not
  /// be started or timed out.
  int exit_code = -1;
  std::string out;  ///< Everything it wrote to stdout.
  std::string err;  ///< Everything it wrote to stderr (to the terminal, with one).
  bool timed_out = false;
};

/// Runs `argv` (argv[0] is a path, not looked up in PATH) with stdin from
/// /dev/null and stdout and stderr captured separately. Both pipes are
/// drained together, so a child that fills one never deadlocks. The child
/// starts with no signal blocked and SIGINT and SIGTERM at their default
/// action, whatever this process inherited. Adds a GoogleTest failure when
/// the child cannot start or times out.
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

/// A child process to talk to while it runs: start it as RunProcess does,
/// wait for a line on its stderr, send it signals, then Wait() for the
/// result. `options.timeout` counts from the start and bounds everything.
///
///     RunningProcess child({"/bin/sh", "-c", "echo ready >&2; sleep 60"});
///     ASSERT_TRUE(child.WaitForStderrLine("ready"));
///     child.Signal(SIGTERM);
///     ProcessResult result = child.Wait();  // exit_code 128 + SIGTERM
///
/// Destroying it before Wait() kills and reaps the child.
class RunningProcess {
 public:
  explicit RunningProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});
  ~RunningProcess();
  RunningProcess(const RunningProcess&) = delete;
  RunningProcess& operator=(const RunningProcess&) = delete;

  /// The child's process id; -1 when it could not be started.
  pid_t pid() const { return pid_; }

  /// Reads the child's output until `line` has arrived as a whole line of
  /// its stderr (now or earlier); returns whether it did. Adds a test
  /// failure and returns false when the child closes its output first or
  /// `timeout` (never beyond the process's own deadline) passes.
  bool WaitForStderrLine(std::string_view line,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

  /// Reads the child's output until `text` is somewhere in its stderr (now or
  /// earlier, whole lines or not: for a terminal's output); as
  /// WaitForStderrLine otherwise.
  bool WaitForStderrText(std::string_view text,
                         std::chrono::milliseconds timeout = std::chrono::seconds(30));

  /// Sends `signal` to the child (not to its process group). Adds a test
  /// failure when the child was not started or is already reaped.
  void Signal(int signal);

  /// Everything the child wrote to stderr so far.
  const std::string& err() const { return result_.err; }

  /// Reads until the child closes its output, then reaps it. Past the
  /// deadline the child is killed and the test fails, as with RunProcess.
  /// Call once.
  ProcessResult Wait();

 private:
  bool WaitUntil(const std::function<bool()>& arrived, const std::string& what,
                 std::chrono::milliseconds timeout);

  std::string argv0_;
  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point deadline_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::array<int, 2> read_fds_{-1, -1};  // stdout (-1 when it goes to a file), stderr.
  std::size_t err_checked_ = 0;          // stderr up to here holds no wanted line.
  ProcessResult result_;
};

}  // namespace dojobber::e2e

#endif  // DOJOBBER_TESTS_E2E_RUN_PROCESS_H_
