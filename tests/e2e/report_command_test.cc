// `dojobber report FILE.json`: a saved run shown again.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;

// Runs the movie with `extra` and --report, then `report` on that report:
// both print the status table, which must be the same text.
void ExpectSameTable(std::vector<std::string> extra, int run_exit) {
  TempDir dir;
  extra.insert(extra.end(), {"-q", "--report", (dir / "r.json").string()});
  const ProcessResult run = RunMovie("WatchMovie", extra);
  ASSERT_EQ(run.exit_code, run_exit) << run.err;
  // Not vacuous: the table has every job.
  ASSERT_EQ(ParseStatusTable(run.out).size(), MovieRunOrder().size()) << run.out;
  const ProcessResult report = RunDojobber({"report", (dir / "r.json").string()});
  EXPECT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(report.err, "");
  EXPECT_EQ(report.out, run.out);
}

TEST(ReportCommandTest, PrintsTheStatusTableAsTheRunPrintedIt) {
  ExpectSameTable({}, 1);
  ExpectSameTable({"--arg", "battery_state=charged", "--arg", "couch_space=true"}, 0);
  ExpectSameTable({"-j", "4"}, 1);
}

TEST(ReportCommandTest, PrintsADryRunsPlanAsTheRunPrintedIt) { ExpectSameTable({"--no-act"}, 1); }

TEST(ReportCommandTest, DrawsTheGraphColouredByStatus) {
  TempDir dir;
  const ProcessResult run = RunMovie("WatchMovie", {"-q", "--report", (dir / "r.json").string()});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const ProcessResult svg =
      RunDojobber({"report", (dir / "r.json").string(), "-o", (dir / "g.svg").string()});
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_EQ(svg.out, "");
  const std::string drawing = ReadFile(dir / "g.svg");
  EXPECT_TRUE(drawing.starts_with("<?xml")) << drawing.substr(0, 100);
  EXPECT_THAT(drawing, HasSubstr("</svg>"));
  EXPECT_THAT(drawing, HasSubstr("<title>TurnOnTV</title>"));
  for (const char* colour : {"fill=\"red\"", "fill=\"green\"", "fill=\"darkgreen\""}) {
    EXPECT_THAT(drawing, HasSubstr(colour));
  }
  // DOT, the same graph the run draws.
  const ProcessResult dot =
      RunDojobber({"report", (dir / "r.json").string(), "-o", (dir / "g.dot").string()});
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  const ProcessResult run_dot = RunMovie("WatchMovie", {"-q", "--dot", (dir / "run.dot").string()});
  EXPECT_EQ(ReadFile(dir / "g.dot"), ReadFile(dir / "run.dot"));
}

TEST(ReportCommandTest, RefusesWhatIsNoReadableReport) {
  TempDir dir;
  WriteFile(dir / "text.json", "hello");
  WriteFile(dir / "list.json", "[1, 2]");
  WriteFile(dir / "other.json", R"({"name": "x"})");
  WriteFile(dir / "future.json", R"({"version": 9, "jobs": {}})");
  const std::pair<std::string, std::string> cases[] = {
      {(dir / "none.json").string(),
       "cannot read " + (dir / "none.json").string() + ": No such file or directory"},
      {dir.path().string(), "cannot read " + dir.path().string() + ": Is a directory"},
      {(dir / "text.json").string(), (dir / "text.json").string() + ": not valid JSON"},
      {(dir / "list.json").string(), (dir / "list.json").string() + ": not a dojobber report"},
      {(dir / "other.json").string(), (dir / "other.json").string() + ": not a dojobber report"},
      {(dir / "future.json").string(),
       (dir / "future.json").string() + ": unsupported report version 9"},
  };
  for (const auto& [path, message] : cases) {
    for (std::vector<std::string> args : {std::vector<std::string>{"report", path},
                                          {"report", path, "--html", (dir / "o.html").string()},
                                          {"report", path, "-o", (dir / "o.svg").string()}}) {
      const ProcessResult result = RunDojobber(args);
      EXPECT_TRUE(IsUsageError(result, {message})) << path << "\n" << result.err;
    }
  }
  // No output was left behind.
  EXPECT_EQ(dir.Entries(),
            (std::vector<std::string>{"future.json", "list.json", "other.json", "text.json"}));
}

}  // namespace
}  // namespace dojobber::e2e
