#ifndef DOJOBBER_TESTS_E2E_HARDENING_SUPPORT_H_
#define DOJOBBER_TESTS_E2E_HARDENING_SUPPORT_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

// What the fault-injection suite and the bad-input sweep assert about every
// run, whatever went wrong in it: the run ended, with the documented exit
// status, its report is valid JSON or absent (never partial), and it left no
// temporary file and no process behind.
namespace dojobber::e2e {

/// One way to run a graph: in-process or isolated, one worker or four.
struct RunMode {
  std::string name;                ///< For test names: "j1", "j4", "isolate_j1", "isolate_j4".
  std::vector<std::string> flags;  ///< Appended to the command line, e.g. {"--isolate", "-j", "4"}.
};

/// The four modes every fault is driven through.
const std::vector<RunMode>& AllRunModes();
/// For INSTANTIATE_TEST_SUITE_P(..., testing::ValuesIn(AllRunModes()), RunModeName).
std::string RunModeName(const testing::TestParamInfo<RunMode>& info);

/// Makes this test process the subreaper of everything its children start
/// (prctl PR_SET_CHILD_SUBREAPER), so a process that outlives dojobber
/// becomes our child rather than init's and can be found. Construct before
/// starting dojobber; the destructor kills and reaps any such process left.
class OrphanWatch {
 public:
  OrphanWatch();
  ~OrphanWatch();
  OrphanWatch(const OrphanWatch&) = delete;
  OrphanWatch& operator=(const OrphanWatch&) = delete;

  /// Reaps the orphans that have ended, waiting up to `grace` for the
  /// others to end, then returns the pids of those still running. Call after
  /// the dojobber process has been waited for.
  std::vector<pid_t> Leftovers(std::chrono::milliseconds grace = std::chrono::seconds(2));
};

/// A wrapper for RunDojobberUnder under which no regular file can grow
/// (RLIMIT_FSIZE 0, SIGXFSZ ignored): opening a file works, writing to it
/// fails with EFBIG. Pipes and devices are not affected. For a write that
/// fails after the run, now that paths known to fail (/dev/full) are
/// refused at the start.
std::vector<std::string> NoFileCanGrow();

/// The files in `dir` whose names dojobber gives its temporaries
/// (".dojobber-*.tmp"), recursively.
std::vector<std::filesystem::path> TemporaryFiles(const std::filesystem::path& dir);

/// Whether `result` ended by itself (no timeout, no signal) with
/// `exit_code`, and `report` (when not empty) is either absent or a whole
/// JSON object with a "jobs" object; with `report_required`, absent fails.
testing::AssertionResult EndedWith(const ProcessResult& result, int exit_code,
                                   const std::filesystem::path& report = {},
                                   bool report_required = false);

/// Whether `result` is a refused command (IsUsageError with `needles`) that
/// left `dir` exactly as it was: `before` lists the entries it had (see
/// TempDir::Entries), so no report, no output and no temporary appeared.
testing::AssertionResult IsRefusedLeavingNothing(const ProcessResult& result, const TempDir& dir,
                                                 const std::vector<std::string>& before,
                                                 std::initializer_list<std::string_view> needles);

}  // namespace dojobber::e2e

#endif  // DOJOBBER_TESTS_E2E_HARDENING_SUPPORT_H_
