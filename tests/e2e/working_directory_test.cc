// Every Check and Run starts in the directory the run started in, however a
// job's code moved away (chdir, fchdir or std::filesystem from a plugin),
// in every run mode: the engine may skip its reset only when nothing moved.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

class WorkingDirectoryReset : public testing::TestWithParam<RunMode> {};

TEST_P(WorkingDirectoryReset, EveryPhaseAndTheNextJobStartWhereTheRunStarted) {
  TempDir dir;
  ProcessOptions options;
  options.cwd = dir.path();
  std::vector<std::string> args = {
      "run",          "--plugin", TestPlugin("faults").string(),      "--root",
      "AfterWanders", "--arg",    "start_dir=" + dir.path().string(), "-v",
      "--report",     "r.json"};
  args.insert(args.end(), GetParam().flags.begin(), GetParam().flags.end());
  const ProcessResult result = RunDojobber(args, options);
  ASSERT_TRUE(EndedWith(result, 0, dir / "r.json", true)) << result.err;
  EXPECT_EQ(PhaseLines(result.err),
            (std::vector<std::string>{"Wanders.check: fail", "Wanders.run: pass",
                                      "Wanders.recheck: pass", "AfterWanders.check: pass"}));
}

INSTANTIATE_TEST_SUITE_P(Modes, WorkingDirectoryReset, testing::ValuesIn(AllRunModes()),
                         RunModeName);

}  // namespace
}  // namespace dojobber::e2e
