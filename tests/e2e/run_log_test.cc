// `dojobber run --log FILE`: everything the run says, one line per event with
// an RFC 3339 UTC time, the try and the job, appended (core/run_log.h).

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;

// `TIME try N [Job] text`, or `TIME run: text`.
const std::regex kJobLine(
    R"(^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) try (\d+) \[([^\]]+)\] (.*)$)");
const std::regex kRunLine(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z run: (.*)$)");

struct JobLine {
  int try_number;
  std::string job;
  std::string text;
};

// The job lines of `log`; a line of neither form fails the test.
std::vector<JobLine> JobLines(const std::string& log) {
  std::vector<JobLine> lines;
  for (const std::string& line : Lines(log)) {
    std::smatch match;
    if (std::regex_match(line, match, kJobLine)) {
      lines.push_back({std::stoi(match[2]), match[3], match[4]});
    } else {
      EXPECT_TRUE(std::regex_match(line, kRunLine)) << "not a log line: " << line;
    }
  }
  return lines;
}

bool Has(const std::vector<JobLine>& lines, const std::string& job, int try_number,
         const std::string& text) {
  for (const JobLine& line : lines) {
    if (line.job == job && line.try_number == try_number && line.text == text) return true;
  }
  return false;
}

TEST(RunLog, HasEachJobsTriesPhasesAndLogLines) {
  TempDir dir;
  const std::string path = (dir / "run.log").string();
  const ProcessResult result = RunMovie("WatchMovie", {"--log", path, "-q"});
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const std::string log = ReadFile(path);
  const std::vector<JobLine> lines = JobLines(log);

  std::set<std::string> jobs;
  for (const JobLine& line : lines) jobs.insert(line.job);
  for (const std::string& job : MovieRunOrder()) {
    const bool blocked = job == "StartMovie" || job == "WatchMovie";
    EXPECT_EQ(jobs.count(job), blocked ? 0u : 1u) << job;
    if (!blocked) {
      EXPECT_TRUE(Has(lines, job, 1, "start")) << job;
    }
  }
  for (int n = 1; n <= 3; ++n) {
    EXPECT_TRUE(Has(lines, "TurnOnTV", n, "start")) << n;
    EXPECT_TRUE(
        Has(lines, "TurnOnTV", n, "recheck: fail \"Remote batteries are dead.\" (dojobber::Error)"))
        << log;
  }
  EXPECT_TRUE(Has(lines, "TurnOnTV", 1, "end: failed, to be retried")) << log;
  EXPECT_TRUE(Has(lines, "TurnOnTV", 3, "end: failed, no further try")) << log;
  EXPECT_TRUE(Has(lines, "ValidateMovie", 1, "check: pass")) << log;
  EXPECT_TRUE(Has(lines, "ValidateMovie", 1, "end: ok")) << log;
  // -q keeps the jobs' lines off stderr, not out of the log.
  EXPECT_TRUE(Has(lines, "PickTimeAndDate", 1, "log: Picked 2024-04-08 18:18 UTC.") ||
              Has(lines, "PickTimeAndDate", 1, "log: Picked 2099-09-14 16:57 UTC."))
      << log;  // One of its two start times, at random.
  EXPECT_TRUE(Has(lines, "CleanCouch", 1, "cleanup: pass")) << log;
  EXPECT_THAT(result.err, ::testing::Not(HasSubstr("Picked")));
  EXPECT_THAT(log, HasSubstr(" run: started, pid "));
  EXPECT_THAT(Lines(log).back(), ::testing::EndsWith(" run: ended, exit status 1"));
}

TEST(RunLog, AppendsSoEveryRunIsKept) {
  TempDir dir;
  const std::string path = (dir / "run.log").string();
  ASSERT_EQ(RunMovie("FindTVRemote", {"--log", path}).exit_code, 0);
  const std::string first = ReadFile(path);
  ASSERT_EQ(RunMovie("FindTVRemote", {"--log", path}).exit_code, 0);
  const std::string both = ReadFile(path);
  EXPECT_TRUE(both.starts_with(first)) << both;
  EXPECT_GT(both.size(), first.size());
  int starts = 0;
  for (const std::string& line : Lines(both))
    starts += line.find(" run: started") != std::string::npos;
  EXPECT_EQ(starts, 2) << both;
  EXPECT_EQ(JobLines(both).size(), 2 * JobLines(first).size());
}

TEST(RunLog, EscapesControlCharactersAsTheTraceDoes) {
  TempDir dir;
  const std::string path = (dir / "run.log").string();
  const ProcessResult result = RunDojobber(
      {"run", "--plugin", TestPlugin("text_jobs").string(), "--root", "Spoof", "--log", path});
  ASSERT_EQ(result.exit_code, 3) << result.err;
  const std::string log = ReadFile(path);
  EXPECT_EQ(log.find('\x1b'), std::string::npos) << log;
  EXPECT_EQ(log.find('\r'), std::string::npos) << log;
  const std::vector<JobLine> lines = JobLines(log);
  EXPECT_TRUE(Has(lines, "Spoof", 1, "log: \\x1b[31mred\\x1b[0m\\x0dok")) << log;
  EXPECT_TRUE(Has(lines, "Spoof", 1, "log: bad \\xff byte")) << log;
}

TEST(RunLog, AnUnwritableFileIsRefusedBeforeAnythingRuns) {
  TempDir dir;
  const std::string missing = (dir / "no" / "run.log").string();
  const ProcessResult result = RunMovie("WatchMovie", {"--log", missing});
  EXPECT_TRUE(IsUsageError(result, {"cannot write " + missing + ": "})) << result.err;
  EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--log", dir.path().string()}),
                           {"cannot write " + dir.path().string() + ": "}));
  // Checked before the plugins load: a plugin that is not there is not the error.
  const ProcessResult first = RunDojobber(
      {"run", "--plugin", (dir / "missing.so").string(), "--root", "A", "--log", missing});
  EXPECT_TRUE(IsUsageError(first, {"cannot write " + missing})) << first.err;
}

}  // namespace
}  // namespace dojobber::e2e
