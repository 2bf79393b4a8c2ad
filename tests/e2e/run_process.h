#ifndef DOJOBBER_TESTS_E2E_RUN_PROCESS_H_
#define DOJOBBER_TESTS_E2E_RUN_PROCESS_H_

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
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
  /// After this long the child is killed and the calling test fails.
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

/// What a finished child did.
struct ProcessResult {
  /// The exit status; 128 + N when killed by signal N; -1 when it could not
  /// be started or timed out.
  int exit_code = -1;
  std::string out;  ///< Everything it wrote to stdout.
  std::string err;  ///< Everything it wrote to stderr.
  bool timed_out = false;
};

/// Runs `argv` (argv[0] is a path, not looked up in PATH) with stdin from
/// /dev/null and stdout and stderr captured separately. Both pipes are
/// drained together, so a child that fills one never deadlocks. Adds a
/// GoogleTest failure when the child cannot start or times out.
ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

}  // namespace dojobber::e2e

#endif  // DOJOBBER_TESTS_E2E_RUN_PROCESS_H_
