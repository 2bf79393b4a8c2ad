// --executor slurm on a real cluster: the single-node one that
// scripts/slurm-cluster.sh starts (CI starts it; see
// docs/slurm-test-cluster.md). Without a reachable cluster these tests skip
// with the reason, except under CI, where that is a failure.

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

ProcessResult Shell(const std::string& command, ProcessOptions options = {}) {
  options.timeout = std::chrono::seconds(120);
  return RunProcess({"/bin/sh", "-c", command}, options);
}

// Why no cluster can be used, or empty when one answers.
std::string NoCluster() {
  const char* conf = std::getenv("SLURM_CONF");
  if (conf == nullptr || *conf == '\0') return "SLURM_CONF is not set";
  if (!fs::exists(conf)) return std::string("SLURM_CONF names no file: ") + conf;
  if (Shell("scontrol ping").exit_code != 0) return "no Slurm controller answers";
  return "";
}

class Slurm : public testing::Test {
 protected:
  void SetUp() override {
    static const std::string why = NoCluster();
    if (why.empty()) return;
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') FAIL() << "CI must start the Slurm test cluster: " << why;
    GTEST_SKIP() << "no Slurm test cluster (" << why
                 << "); start one with scripts/slurm-cluster.sh start";
  }

  // Runs dojobber with `args` inside an allocation of two tasks (salloc), as
  // a run on a cluster usually is: each try is a step of the allocation,
  // which starts in tens of milliseconds rather than the second a new job
  // can wait for on a busy node.
  ProcessResult RunInAllocation(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/usr/bin/salloc", "--quiet", "--nodes=1", "--ntasks=2",
                                     DojobberBin().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessOptions options;
    options.timeout = std::chrono::seconds(100);
    return RunProcess(argv, options);
  }

  std::vector<std::string> Args(const std::string& plugin, const std::string& root,
                                std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"run",    "--plugin", plugin,
                                     "--root", root,       "--executor",
                                     "slurm",  "--report", (dir_ / "report.json").string()};
    // The movie example declares its parameters, and no marker among them.
    if (std::filesystem::path(plugin).filename() != MoviePlugin().filename()) {
      args.insert(args.end(), {"--arg", "marker=" + (dir_ / "marker").string()});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  json Report() { return ReadJsonReport(dir_ / "report.json"); }
  std::string Marker() { return fs::exists(dir_ / "marker") ? ReadFile(dir_ / "marker") : ""; }

  // The job ids of the run of dojobber process `pid` still in squeue.
  static std::string Queued(int pid) {
    return Shell("squeue -h -o %i -n dojobber-" + std::to_string(pid)).out;
  }

  TempDir dir_;
};

std::vector<std::pair<std::string, std::string>> Statuses(const std::string& out) {
  std::vector<std::pair<std::string, std::string>> statuses;
  for (const StatusRow& row : ParseStatusTable(out)) statuses.emplace_back(row.name, row.status);
  return statuses;
}

TEST_F(Slurm, TheMovieEndsAsItDoesIsolated) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{},
        std::vector<std::string>{"--arg", "battery_state=charged", "--arg", "couch_space=true"}}) {
    // Four workers: the statuses do not depend on -j, and the steps' start-up
    // (slow in sanitizer builds) overlaps.
    args.insert(args.end(), {"-j", "4"});
    std::vector<std::string> isolated = {
        "run", "--plugin", MoviePlugin().string(), "--root", "WatchMovie", "--executor", "isolate"};
    isolated.insert(isolated.end(), args.begin(), args.end());
    const ProcessResult expected = RunDojobber(isolated);
    const ProcessResult result = RunInAllocation(Args(MoviePlugin().string(), "WatchMovie", args));
    EXPECT_EQ(result.exit_code, expected.exit_code) << result.out.substr(0, 2000);
    EXPECT_EQ(Statuses(result.out), Statuses(expected.out));
  }
}

TEST_F(Slurm, EachFaultFailsItsOwnTryWithItsCause) {
  const std::string faults = TestPlugin("faults").string();
  struct Case {
    std::string root;
    std::string error;  // A part of the job's error.
  };
  for (const Case& c :
       {Case{"Segfault", "killed by signal SIGSEGV"}, Case{"Exit3", "exited with status 3"},
        Case{"Hang", "timed out after 1 s"}}) {
    SCOPED_TRACE(c.root);
    const ProcessResult result = RunDojobber(Args(faults, c.root));
    EXPECT_EQ(result.exit_code, 1) << result.err;
    const std::string error = Report()["jobs"][c.root]["error"].get<std::string>();
    EXPECT_NE(error.find(c.error), std::string::npos) << error;
  }
  // Megabytes of output come back whole and the job succeeds.
  const ProcessResult chatty = RunDojobber(Args(faults, "Chatty"));
  EXPECT_EQ(chatty.exit_code, 0) << chatty.err.substr(0, 2000);
  EXPECT_EQ(Report()["jobs"]["Chatty"]["status"], "ok");
}

TEST_F(Slurm, GlobalStorageCountsEveryAdd) {
  const ProcessResult result = RunInAllocation(
      Args(TestPlugin("outcomes").string(), "Count", {"--arg", "count=60", "-j", "8", "-q"}));
  EXPECT_EQ(result.exit_code, 0) << result.out.substr(0, 2000);
  EXPECT_EQ(Report()["jobs"]["CountTotal"]["result"], (json{{"count", 60}, {"repos", 60}}));
}

TEST_F(Slurm, CleanupsRunNewestFirst) {
  const ProcessResult result = RunDojobber(Args(TestPlugin("outcomes").string(), "Cleanups"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Marker(), "CleanupB\nCleanupA\n");
}

TEST_F(Slurm, ACtrlCLeavesNothingInTheQueue) {
  RunningProcess run = StartDojobber(Args(TestPlugin("outcomes").string(), "WaitsForStop"));
  ASSERT_TRUE(
      run.WaitForStderrLine("[WaitsForStop] waiting for the stop", std::chrono::seconds(60)));
  EXPECT_NE(Queued(run.pid()), "");  // Its step is running.
  run.Signal(SIGINT);
  const ProcessResult result = run.Wait();
  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(Marker(), "stop seen\n");
  // A step that has ended can show for a moment as completing.
  std::string queued = Queued(run.pid());
  for (int i = 0; i < 100 && !queued.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    queued = Queued(run.pid());
  }
  EXPECT_EQ(queued, "");
}

TEST_F(Slurm, BadSetUpIsAUsageError) {
  const std::string movie = MoviePlugin().string();
  // No srun on PATH.
  ProcessOptions no_path;
  no_path.env["PATH"] = dir_.path().string();
  EXPECT_TRUE(IsUsageError(RunDojobber(Args(movie, "WatchMovie"), no_path), {"no 'srun' on PATH"}));
  // A controller that does not answer: a copy of the configuration whose
  // controller port nobody listens on.
  std::string conf = ReadFile(std::getenv("SLURM_CONF"));
  conf += "\nSlurmctldPort=1\n";
  WriteFile(dir_ / "slurm.conf", conf);
  ProcessOptions no_controller;
  no_controller.env["SLURM_CONF"] = (dir_ / "slurm.conf").string();
  EXPECT_TRUE(IsUsageError(RunDojobber(Args(movie, "WatchMovie"), no_controller),
                           {"no Slurm controller answers"}));
  // A plugin path that is not absolute.
  ProcessOptions in_plugin_dir;
  in_plugin_dir.cwd = MoviePlugin().parent_path();
  EXPECT_TRUE(IsUsageError(RunDojobber(Args("./movie.so", "WatchMovie"), in_plugin_dir),
                           {"plugin './movie.so' is not an absolute path"}));
  // An unknown partition.
  EXPECT_TRUE(
      IsUsageError(RunDojobber(Args(movie, "WatchMovie", {"--slurm-partition", "nosuchpartition"})),
                   {"no partition 'nosuchpartition'"}));
  // An srun option srun does not know.
  EXPECT_TRUE(IsUsageError(RunDojobber(Args(movie, "WatchMovie", {"--srun-arg=--bogus"})),
                           {"srun refuses the run's options", "--bogus"}));
  EXPECT_FALSE(fs::exists(dir_ / "report.json"));
}

TEST_F(Slurm, ResourceHintsReachSrun) {
  const std::string outcomes = TestPlugin("outcomes").string();
  ProcessResult result = RunDojobber(Args(outcomes, "Hinted"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Report()["jobs"]["Hinted"]["result"], (json{{"cpus", "2"}, {"mem", "100M"}}));
  // A step that asks for more than the cluster has cannot start: Slurm says why.
  result = RunDojobber(Args(outcomes, "TooBig"));
  EXPECT_EQ(result.exit_code, 1);
  const std::string error = Report()["jobs"]["TooBig"]["error"].get<std::string>();
  EXPECT_NE(error.find("srun: error"), std::string::npos) << error;
}

}  // namespace
}  // namespace dojobber::e2e
