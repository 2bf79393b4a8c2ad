// What comes back from a try, wherever it runs (tests/plugins/outcomes.cc):
// outcomes far larger than a pipe, bytes that are not UTF-8, global storage
// counts under parallel isolated runs, results nested too deep, and the
// stop as a job sees it. Each runs in process and isolated, with one
// worker and with eight.

#include <chrono>
#include <csignal>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using nlohmann::json;

using Mode = std::tuple<std::string, int>;  // executor, workers

class Outcomes : public testing::TestWithParam<Mode> {
 protected:
  std::vector<std::string> Args(const std::string& root, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run",
                                     "--plugin",
                                     TestPlugin("outcomes").string(),
                                     "--root",
                                     root,
                                     "--executor",
                                     executor(),
                                     "-j",
                                     std::to_string(workers()),
                                     "--report",
                                     (dir_ / "report.json").string(),
                                     "--arg",
                                     "marker=" + (dir_ / "marker").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  // Sanitizer builds take several times longer than the debug build's
  // seconds for the thousand isolated tries; the bound is a hang's, not a
  // speed target.
  ProcessResult Run(const std::string& root, std::vector<std::string> extra = {}) {
    ProcessOptions options;
    options.timeout = std::chrono::seconds(110);
    return RunDojobber(Args(root, std::move(extra)), options);
  }
  json Report() { return ReadJsonReport(dir_ / "report.json"); }
  std::string Marker() {
    return std::filesystem::exists(dir_ / "marker") ? ReadFile(dir_ / "marker") : "";
  }
  const std::string& executor() const { return std::get<0>(GetParam()); }
  int workers() const { return std::get<1>(GetParam()); }

  TempDir dir_;
};

TEST_P(Outcomes, ResultStorageAndLogLinesFarLargerThanAPipeComeBackWhole) {
  const std::string big(1000000, 'b');
  ProcessResult result = Run("Big", {"--arg", "size=1000000"});
  ASSERT_EQ(result.exit_code, 0) << result.err.substr(0, 2000);
  EXPECT_EQ(Report()["jobs"]["Big"]["status"], "changed");
  EXPECT_EQ(Report()["jobs"]["Big"]["result"], big);
  EXPECT_EQ(CountLines(result.err, "[Big] " + big), 1);
}

TEST_P(Outcomes, AnErrorMessageFarLargerThanAPipeComesBackWhole) {
  ProcessResult result = Run("BigError", {"--arg", "size=1000000"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(Report()["jobs"]["BigError"]["error"], std::string(1000000, 'b'));
}

TEST_P(Outcomes, BytesThatAreNotUtf8ReachLaterJobsAndTheCleanupUnchanged) {
  ProcessResult result = Run("Bytes");
  EXPECT_EQ(result.exit_code, 0) << result.out;
  static constexpr char kExpected[] = "/tmp/\xff\xfe\x80 \xc3\x28 \0 end\n";
  EXPECT_EQ(Marker(), std::string(kExpected, sizeof kExpected - 1));
}

TEST_P(Outcomes, EveryAddAndUpdateCounts) {
  ProcessResult result = Run("Count", {"--arg", "count=1000", "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.out.substr(0, 2000);
  EXPECT_EQ(Report()["jobs"]["CountTotal"]["result"], (json{{"count", 1000}, {"repos", 1000}}));
}

TEST_P(Outcomes, AResultNestedTooDeepFailsItsJobAndTheReportIsWritten) {
  ProcessResult result = Run("Deep");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(Report()["jobs"]["Deep"]["error"], "the job's result nests deeper than 511 levels");
}

TEST_P(Outcomes, AJobSeesTheStopAndNoRunStartsAfterIt) {
  RunningProcess run = StartDojobber(Args("WaitsForStop"));
  ASSERT_TRUE(run.WaitForStderrLine("[WaitsForStop] waiting for the stop"));
  run.Signal(SIGINT);
  ProcessResult result = run.Wait();
  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(Marker(), "stop seen\n");
  EXPECT_EQ(Report()["jobs"]["WaitsForStop"]["error"],
            "interrupted: stopped after the Check failed, before Run");
}

std::string ModeName(const testing::TestParamInfo<Mode>& info) {
  return std::get<0>(info.param) + "_j" + std::to_string(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Executors, Outcomes,
                         testing::Combine(testing::Values("local", "isolate"),
                                          testing::Values(1, 8)),
                         ModeName);

}  // namespace
}  // namespace dojobber::e2e
