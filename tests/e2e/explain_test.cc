// Why a job is blocked: the status table names the failed jobs at the root of
// the blockage, the JSON report carries them, and `dojobber explain` walks
// from a job down to them, on the movie example.

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using Json = nlohmann::json;

// A movie run rooted at WatchMovie with its report in `dir`/r.json.
ProcessResult RunMovieReport(const TempDir& dir, std::vector<std::string> args = {}) {
  args.insert(args.end(), {"--report", (dir / "r.json").string()});
  return RunMovie("WatchMovie", args);
}

ProcessResult Explain(const std::string& job, const std::string& report) {
  return RunDojobber({"explain", job, "--report", report});
}

TEST(Explain, StatusTableNamesTheFailedJobAtTheRoot) {
  TempDir dir;
  const ProcessResult run = RunMovieReport(dir, {"--arg", "couch_space=true"});
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const std::vector<StatusRow> rows = ParseStatusTable(run.out);
  EXPECT_EQ(FindRow(rows, "WatchMovie").detail,
            "blocked: TurnOnTV failed (Remote batteries are dead.)");
  EXPECT_EQ(FindRow(rows, "StartMovie").detail,
            "blocked: TurnOnTV failed (Remote batteries are dead.)");

  const ProcessResult explained = Explain("WatchMovie", (dir / "r.json").string());
  EXPECT_EQ(explained.exit_code, 1) << explained.err;
  EXPECT_EQ(explained.out,
            "WatchMovie: blocked, 0 tries\n"
            "  StartMovie: blocked, 0 tries\n"
            "    TurnOnTV: failed, 3 tries: Remote batteries are dead.\n");
  EXPECT_EQ(explained.err, "");
}

TEST(Explain, ReportCarriesDirectBlockersAndRootCauses) {
  TempDir dir;
  ASSERT_EQ(RunMovieReport(dir).exit_code, 1);
  const Json report = ReadJsonReport(dir / "r.json");
  const Json& jobs = report["jobs"];
  EXPECT_EQ(jobs["WatchMovie"]["blocked_by"], Json::parse(R"(["StartMovie"])"));
  EXPECT_EQ(jobs["WatchMovie"]["root_causes"], Json::parse(R"(["TurnOnTV", "SitOnCouch"])"));
  EXPECT_EQ(jobs["WatchMovie"]["more_root_causes"], false);
  EXPECT_EQ(jobs["StartMovie"]["blocked_by"], Json::parse(R"(["TurnOnTV", "SitOnCouch"])"));
  EXPECT_EQ(jobs["StartMovie"]["root_causes"], Json::parse(R"(["TurnOnTV", "SitOnCouch"])"));
  for (const char* name : {"TurnOnTV", "FindTVRemote"}) {
    EXPECT_EQ(jobs[name]["blocked_by"], Json::array()) << name;
    EXPECT_EQ(jobs[name]["root_causes"], Json::array()) << name;
  }
}

TEST(Explain, WalksToEveryRootCause) {
  TempDir dir;
  ASSERT_EQ(RunMovieReport(dir, {"--arg", "pizza_success_try=4"}).exit_code, 1);
  const ProcessResult explained = Explain("WatchMovie", (dir / "r.json").string());
  EXPECT_EQ(explained.exit_code, 1) << explained.err;
  EXPECT_EQ(explained.out,
            "WatchMovie: blocked, 0 tries\n"
            "  StartMovie: blocked, 0 tries\n"
            "    TurnOnTV: failed, 3 tries: Remote batteries are dead.\n"
            "    SitOnCouch: failed, 3 tries: No space on couch.\n"
            "    Food: blocked, 0 tries\n"
            "      Pizza: failed, 3 tries: Giordano's did not arrive yet.\n");
}

TEST(Explain, SucceededAndFailedJobsAreOneLine) {
  TempDir dir;
  ASSERT_EQ(RunMovieReport(dir).exit_code, 1);
  const std::string report = (dir / "r.json").string();
  const ProcessResult remote = Explain("FindTVRemote", report);
  EXPECT_EQ(remote.exit_code, 0) << remote.err;
  EXPECT_EQ(remote.out, "FindTVRemote: ok, 1 try\n");
  const ProcessResult tv = Explain("TurnOnTV", report);
  EXPECT_EQ(tv.exit_code, 1) << tv.err;
  EXPECT_EQ(tv.out, "TurnOnTV: failed, 3 tries: Remote batteries are dead.\n");
}

TEST(Explain, ExitsZeroWhenTheJobSucceeded) {
  TempDir dir;
  ASSERT_EQ(RunMovieReport(dir, {"--arg", "battery_state=charged", "--arg", "couch_space=true"})
                .exit_code,
            0);
  const ProcessResult explained = Explain("WatchMovie", (dir / "r.json").string());
  EXPECT_EQ(explained.exit_code, 0) << explained.err;
  EXPECT_EQ(explained.out, "WatchMovie: ok, 1 try\n");
}

TEST(Explain, RefusesWhatItCannotRead) {
  TempDir dir;
  ASSERT_EQ(RunMovieReport(dir).exit_code, 1);
  const std::string report = (dir / "r.json").string();
  EXPECT_TRUE(IsUsageError(Explain("NoSuchJob", report), {"no job 'NoSuchJob'"}));
  EXPECT_TRUE(IsUsageError(Explain("WatchMovie", (dir / "absent.json").string()),
                           {"cannot read", "absent.json"}));
  EXPECT_TRUE(
      IsUsageError(Explain("WatchMovie", dir.path().string()), {"cannot read", "Is a directory"}));
  WriteFile(dir / "cut.json", ReadFile(dir / "r.json").substr(0, 100));
  EXPECT_TRUE(IsUsageError(Explain("WatchMovie", (dir / "cut.json").string()), {"not valid JSON"}));
  WriteFile(dir / "other.json", R"({"jobs": {"WatchMovie": {}}})");
  EXPECT_TRUE(IsUsageError(Explain("WatchMovie", (dir / "other.json").string()),
                           {"not a dojobber report"}));
  WriteFile(dir / "dangling.json",
            R"({"version": 1, "jobs": {"A": {"status": "blocked", "tries": 0, "deps": ["B"]}}})");
  EXPECT_TRUE(IsUsageError(Explain("A", (dir / "dangling.json").string()),
                           {"not a dojobber report", "'B'"}));
  EXPECT_TRUE(IsUsageError(RunDojobber({"explain", "WatchMovie"}), {"--report"}));
  // A named pipe that no process writes to would block the open for ever.
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  EXPECT_TRUE(IsUsageError(Explain("WatchMovie", (dir / "fifo").string()),
                           {"cannot read", "fifo", "not a regular file"}));
}

// Nothing to finish: the first stop signal ends `list` (and `explain`) at
// once. The listing goes to a pipe the test does not read, so once its first
// bytes arrive, dojobber is provably inside the command, writing.
TEST(FirstSignal, EndsListAtOnce) {
  TempDir dir;
  const std::filesystem::path fifo = dir / "out";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  ASSERT_GE(reader, 0);
  ProcessOptions options;
  options.stdout_path = fifo;
  RunningProcess list =
      StartDojobber({"list", "--plugin", "synth", "--arg", "n=20000", "--root", "Root"}, options);
  pollfd ready{.fd = reader, .events = POLLIN, .revents = 0};
  ASSERT_EQ(::poll(&ready, 1, 30000), 1);
  list.Signal(SIGINT);
  const ProcessResult result = list.Wait();
  ::close(reader);
  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(result.err, "dojobber: interrupted: exiting now\n");
}

}  // namespace
}  // namespace dojobber::e2e
