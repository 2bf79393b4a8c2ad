#ifndef DOJOBBER_TESTS_E2E_E2E_SUPPORT_H_
#define DOJOBBER_TESTS_E2E_E2E_SUPPORT_H_

#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run_process.h"

// Shared helpers of the end-to-end tests: where the binary and the plugins
// are, how to run the binary, and how to read its output.
namespace dojobber::e2e {

/// Built files, passed in by CMake.
std::filesystem::path DojobberBin();
std::filesystem::path MoviePlugin();
/// A test-only plugin from tests/plugins, e.g. TestPlugin("bad_abi"). They
/// all sit in one folder.
std::filesystem::path TestPlugin(std::string_view name);
/// The source tree's root (README.md, docs/, tests/ live there).
std::filesystem::path SourceDir();
/// A folder of the build tree for what a test leaves to be looked at (a
/// screenshot): test-output/<test>, made if missing, kept after the test.
std::filesystem::path TestOutputDir(std::string_view test);

/// The movie jobs below WatchMovie in run order: depth-first post-order from
/// the root, dependencies in declaration order (docs/report-format.md).
const std::vector<std::string>& MovieRunOrder();

/// Runs the real dojobber binary with `args`. Unless `options` says
/// otherwise, DOJOBBER_PLUGIN_PATH and NO_COLOR are unset and TERM is a
/// colour terminal, so the environment of whoever runs the tests never leaks
/// in (and only the pipe keeps the output plain).
ProcessResult RunDojobber(std::vector<std::string> args, ProcessOptions options = {});
/// RunDojobber with `wrapper`, a command and its arguments, in front of the
/// binary: RunDojobberUnder({"/usr/bin/timeout", "2"}, {"run", ...}).
ProcessResult RunDojobberUnder(std::vector<std::string> wrapper, std::vector<std::string> args,
                               ProcessOptions options = {});
/// Starts the binary as RunDojobber does, without waiting for it: for tests
/// that watch its stderr and signal it while it runs.
RunningProcess StartDojobber(std::vector<std::string> args, ProcessOptions options = {});

/// `run --plugin movie --root <root> --default-retry-delay 0`, then `extra`.
ProcessResult RunMovie(std::string root, std::vector<std::string> extra = {},
                       ProcessOptions options = {});

/// A fresh empty directory, removed with everything in it at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }
  /// The names of the entries in the directory, sorted.
  std::vector<std::string> Entries() const;

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, std::string_view text);

/// `text` split at newlines; a final newline ends the last line.
std::vector<std::string> Lines(std::string_view text);
/// How many lines of `text` are exactly `line`.
int CountLines(std::string_view text, std::string_view line);
/// The verbose trace's phase lines (`Name.check: pass` ...) of `text`, without
/// job log lines, cleanup lines and debug details.
std::vector<std::string> PhaseLines(std::string_view text);

/// One row of the status report table that `run` prints.
struct StatusRow {
  std::string name;
  std::string status;
  int tries = -1;
  std::string time;
  std::string detail;
};

/// The rows of the status table in `out`, in order.
std::vector<StatusRow> ParseStatusTable(std::string_view out);
/// The row of job `name`; adds a test failure and returns an empty row when
/// there is none.
StatusRow FindRow(const std::vector<StatusRow>& rows, std::string_view name);

/// Each row's status (a dry run: its plan step), by job name.
std::map<std::string, std::string> StatusesOf(const std::vector<StatusRow>& rows);
/// The last line of `text` ("" when it has none).
std::string LastLine(const std::string& text);

/// The lines of the status report after the table: the counts line, any
/// notes (interruption, cleanups), then the verdict. Empty when there is no
/// table.
std::vector<std::string> SummaryLines(std::string_view out);

/// The JSON report at `path`. Adds a test failure and returns
/// `{"jobs": {}}` (so lookups give null) when it is missing or not JSON.
nlohmann::json ReadJsonReport(const std::filesystem::path& path);

/// The report's `cleanup` object as it should read: `failed_job` and
/// `error` null unless given.
nlohmann::json CleanupEntry(int ran, int pending, int skipped, const std::string& failed_job = "",
                            const std::string& error = "");

/// Whether `result` is a refused command: exit status 2, nothing on stdout,
/// and exactly one stderr line that starts with "dojobber: " and contains
/// every one of `needles`.
::testing::AssertionResult IsUsageError(const ProcessResult& result,
                                        std::initializer_list<std::string_view> needles);

}  // namespace dojobber::e2e

#endif  // DOJOBBER_TESTS_E2E_E2E_SUPPORT_H_
