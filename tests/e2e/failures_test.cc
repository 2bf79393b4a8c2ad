// Why a job failed, a failure that is never retried, and the retry delays,
// through the CLI on the failures test plugin: what the status table and
// the JSON report say (docs/report-format.md), in every executor.

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// `run --plugin failures --root <root> --report <dir>/r.json`, then `extra`.
ProcessResult RunFailures(const TempDir& dir, const std::string& root,
                          std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run", "--plugin", TestPlugin("failures").string(), "--root",
                                   root,  "--report", (dir / "r.json").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunDojobber(args);
}

// The `history` starts of `job`, in order.
std::vector<double> Starts(const Json& job) {
  std::vector<double> starts;
  for (const Json& entry : job["history"]) starts.push_back(entry["start"].get<double>());
  return starts;
}

TEST(RunError, TheTableAndTheReportGiveTheRechecksErrorThenRuns) {
  TempDir dir;
  const ProcessResult result = RunFailures(dir, "RunThenRecheck", {"-v"});
  ASSERT_TRUE(EndedWith(result, 1, dir / "r.json", true)) << result.err;
  EXPECT_EQ(FindRow(ParseStatusTable(result.out), "RunThenRecheck").detail,
            "no config (Run failed: cannot create directories: No such file or directory)");
  const Json job = ReadJsonReport(dir / "r.json")["jobs"]["RunThenRecheck"];
  EXPECT_EQ(job["error"], "no config");
  EXPECT_EQ(job["run_error"], "cannot create directories: No such file or directory");
  EXPECT_EQ(job["fatal"], false);
  // Each try keeps its own errors.
  ASSERT_EQ(job["history"].size(), 2u) << job;
  for (std::size_t n = 0; n < 2; ++n) {
    EXPECT_EQ(job["history"][n]["try"], n + 1);
    EXPECT_EQ(job["history"][n]["error"], "no config");
    EXPECT_EQ(job["history"][n]["run_error"], job["run_error"]);
  }
  // The -v trace is the original's: the recheck's message only.
  const std::vector<std::string> once = {"RunThenRecheck.check: fail", "RunThenRecheck.run: fail",
                                         "RunThenRecheck.recheck: fail \"no config\""};
  std::vector<std::string> twice = once;
  twice.insert(twice.end(), once.begin(), once.end());
  EXPECT_EQ(PhaseLines(result.err), twice);
}

TEST(RunError, AJobWhoseRunReturnedHasNone) {
  TempDir dir;
  const ProcessResult result = RunFailures(dir, "Plain", {"--default-retry-delay", "0"});
  ASSERT_TRUE(EndedWith(result, 1, dir / "r.json", true)) << result.err;
  EXPECT_EQ(FindRow(ParseStatusTable(result.out), "Plain").detail, "still failing");
  const Json job = ReadJsonReport(dir / "r.json")["jobs"]["Plain"];
  EXPECT_EQ(job["run_error"], nullptr);
  EXPECT_EQ(job["history"].size(), 3u);
}

class Fatal : public testing::TestWithParam<RunMode> {};

TEST_P(Fatal, StopsTheRetriesAtOnceWhereverItIsThrown) {
  struct Case {
    std::string root;
    std::string error;
    std::vector<std::string> phases;  // The -v trace.
  };
  for (const Case& c :
       {Case{"FatalCheck", "malformed argument 'x'", {"FatalCheck.check: fail"}},
        Case{"FatalRun", "licence refused", {"FatalRun.check: fail", "FatalRun.run: fail"}},
        Case{"FatalRecheck",
             "wrong version installed",
             {"FatalRecheck.check: fail", "FatalRecheck.run: pass",
              "FatalRecheck.recheck: fail \"wrong version installed\""}},
        Case{"FatalCtor", "cannot create the job: no such account", {"FatalCtor.check: fail"}},
        Case{"FatalCtx", "bad name", {"FatalCtx.check: fail"}}}) {
    SCOPED_TRACE(c.root);
    TempDir dir;
    std::vector<std::string> extra = {"-v"};
    extra.insert(extra.end(), GetParam().flags.begin(), GetParam().flags.end());
    const ProcessResult result = RunFailures(dir, c.root, extra);
    ASSERT_TRUE(EndedWith(result, 1, dir / "r.json", true)) << result.err;
    const StatusRow row = FindRow(ParseStatusTable(result.out), c.root);
    EXPECT_EQ(row.tries, 1);  // Of 5.
    EXPECT_EQ(row.detail.substr(0, 7 + c.error.size()), "fatal: " + c.error);
    const Json job = ReadJsonReport(dir / "r.json")["jobs"][c.root];
    EXPECT_EQ(job["status"], "failed");
    EXPECT_EQ(job["tries"], 1);
    EXPECT_EQ(job["fatal"], true);
    EXPECT_EQ(job["error"], c.error);
    EXPECT_EQ(job["history"].size(), 1u);
    EXPECT_EQ(PhaseLines(result.err), c.phases);
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, Fatal, testing::ValuesIn(AllRunModes()), RunModeName);

// --executor slurm through a stand-in for srun that runs the worker command
// it is given right here: the worker's side of the protocol (dojobber
// worker) carries the fatal mark and Run's error as on a cluster.
TEST(FatalOnTheWorkerPath, CrossesTheProtocol) {
  TempDir dir;
  // srun's own options come first, then dojobber's path and `worker`.
  const std::string fake =
      "#!/bin/sh\n"
      "case \"$*\" in *--test-only*) exit 0;; esac\n"
      "while [ $# -gt 1 ] && [ \"$2\" != worker ]; do shift; done\n"
      "exec \"$@\"\n";
  for (const char* tool : {"srun", "scontrol", "scancel"}) {
    WriteFile(dir / tool, std::string(tool) == "srun" ? fake : "#!/bin/sh\nexit 0\n");
    ASSERT_EQ(::chmod((dir / tool).c_str(), 0755), 0);
  }
  ProcessOptions options;
  options.env["PATH"] = dir.path().string() + ":/usr/bin:/bin";
  for (const std::string root : {"FatalRun", "RunThenRecheck"}) {
    SCOPED_TRACE(root);
    const ProcessResult result =
        RunDojobber({"run", "--plugin", TestPlugin("failures").string(), "--root", root,
                     "--executor", "slurm", "--report", (dir / "r.json").string()},
                    options);
    ASSERT_TRUE(EndedWith(result, 1, dir / "r.json", true)) << result.err;
    const Json job = ReadJsonReport(dir / "r.json")["jobs"][root];
    if (root == "FatalRun") {
      EXPECT_EQ(job["tries"], 1);
      EXPECT_EQ(job["fatal"], true);
      EXPECT_EQ(job["run_error"], "licence refused");
    } else {
      EXPECT_EQ(job["tries"], 2);
      EXPECT_EQ(job["fatal"], false);
      EXPECT_EQ(job["error"], "no config");
      EXPECT_EQ(job["run_error"], "cannot create directories: No such file or directory");
    }
  }
}

// Each try's start, read back from the report, is at least the formula's
// delay after the previous one: min(0.05 * 2^(n-1), 0.3). The scheduler
// waits on the same steady clock that times the report, so a shorter gap
// is impossible, and with the delays growing a fixed delay would show.
TEST(Backoff, DelaysReadBackFromTheReportFollowTheFormula) {
  for (const RunMode& mode : AllRunModes()) {
    SCOPED_TRACE(mode.name);
    TempDir dir;
    const ProcessResult result = RunFailures(dir, "Backoff", mode.flags);
    ASSERT_TRUE(EndedWith(result, 1, dir / "r.json", true)) << result.err;
    const Json job = ReadJsonReport(dir / "r.json")["jobs"]["Backoff"];
    const std::vector<double> starts = Starts(job);
    ASSERT_EQ(starts.size(), 5u) << job;
    const std::vector<double> delays = {0.05, 0.1, 0.2, 0.3};  // The 4th: 0.4 capped.
    for (std::size_t n = 1; n < starts.size(); ++n) {
      // The report's offsets are rounded to the shortest exact double each:
      // a nanosecond covers their difference.
      EXPECT_GE(starts[n] - starts[n - 1], delays[n - 1] - 1e-9) << "delay " << n;
      const Json& entry = job["history"][n - 1];
      EXPECT_GE(entry["end"].get<double>(), entry["start"].get<double>());
      EXPECT_LE(entry["end"].get<double>(), starts[n]);  // One try at a time.
    }
    EXPECT_EQ(job["start_s"], job["history"][0]["start"]);
    EXPECT_EQ(job["end_s"], job["history"][4]["end"]);
  }
}

TEST(Backoff, RunWideDefaultsApplyToJobsWithoutTheirOwn) {
  TempDir dir;
  const ProcessResult result =
      RunFailures(dir, "Plain",
                  {"--default-tries", "4", "--default-retry-delay", "0.04",
                   "--default-retry-backoff", "3", "--default-retry-max-delay", "0.2"});
  ASSERT_TRUE(EndedWith(result, 1, dir / "r.json", true)) << result.err;
  const std::vector<double> starts = Starts(ReadJsonReport(dir / "r.json")["jobs"]["Plain"]);
  ASSERT_EQ(starts.size(), 4u);
  const std::vector<double> delays = {0.04, 0.12, 0.2};  // 0.36 capped.
  for (std::size_t n = 1; n < starts.size(); ++n) {
    EXPECT_GE(starts[n] - starts[n - 1], delays[n - 1] - 1e-9) << "delay " << n;
  }
}

TEST(Jitter, DelaysKeepTheirLowerBoundAndTheReportGivesTheSeed) {
  TempDir dir;
  const ProcessResult result = RunFailures(dir, "Jittered", {"--seed", "12345"});
  ASSERT_TRUE(EndedWith(result, 1, dir / "r.json", true)) << result.err;
  const Json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["seed"], 12345);
  const std::vector<double> starts = Starts(report["jobs"]["Jittered"]);
  ASSERT_EQ(starts.size(), 4u);
  for (std::size_t n = 1; n < starts.size(); ++n) {
    const double backoff = 0.05 * std::pow(2.0, static_cast<double>(n - 1));
    EXPECT_GE(starts[n] - starts[n - 1], backoff * 0.5 - 1e-9) << "delay " << n;
  }
}

TEST(Jitter, ARunWithoutASeedReportsTheOneItDrew) {
  TempDir dir;
  std::vector<Json> seeds;
  for (int i = 0; i < 2; ++i) {
    const ProcessResult result = RunFailures(dir, "FatalCheck");
    ASSERT_TRUE(EndedWith(result, 1, dir / "r.json", true)) << result.err;
    seeds.push_back(ReadJsonReport(dir / "r.json")["seed"]);
    ASSERT_TRUE(seeds.back().is_number_unsigned()) << seeds.back();
    EXPECT_LE(seeds.back().get<std::uint64_t>(),
              static_cast<std::uint64_t>(std::numeric_limits<int>::max()));
  }
  // 2^31 seeds: two runs draw the same one once in two billion.
  EXPECT_NE(seeds[0], seeds[1]);
}

TEST(Backoff, ListShowsEachJobsBackoffAndJitter) {
  const ProcessResult result =
      RunDojobber({"list", "--plugin", TestPlugin("failures").string(), "--root", "Backoff",
                   "--root", "Jittered", "--root", "Plain"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::vector<std::string> lines = Lines(result.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines[0], HasSubstr("BACKOFF"));
  EXPECT_THAT(lines[0], HasSubstr("JITTER"));
  auto line_of = [&](const std::string& name) {
    for (const std::string& line : lines) {
      if (line.starts_with(name + " ")) return line;
    }
    ADD_FAILURE() << "no line for " << name << " in:\n" << result.out;
    return std::string();
  };
  EXPECT_THAT(line_of("Backoff"), HasSubstr("x2 max 0.3s"));
  EXPECT_THAT(line_of("Jittered"), HasSubstr("x2 max 10s"));
  EXPECT_THAT(line_of("Jittered"), HasSubstr("50%"));
  const std::string plain = line_of("Plain");
  EXPECT_THAT(plain, ::testing::Not(HasSubstr("%")));
  EXPECT_THAT(plain, ::testing::Not(HasSubstr("x")));
}

TEST(Backoff, ABadValueFromAPluginIsAGraphError) {
  for (const auto& [root, message] :
       {std::pair<std::string, std::string>{
            "BadBackoff", "job 'BadBackoff': retry backoff must be a finite factor >= 1 (got 0.5)"},
        std::pair<std::string, std::string>{
            "BadJitter", "job 'BadJitter': retry jitter must be a fraction from 0 to 1 (got 1.5)"},
        std::pair<std::string, std::string>{
            "BadMaxDelay",
            "job 'BadMaxDelay': maximum retry delay must be a number of seconds >= 0 (got -1)"}}) {
    TempDir dir;
    EXPECT_TRUE(IsUsageError(RunFailures(dir, root), {message}));
    EXPECT_FALSE(std::filesystem::exists(dir / "r.json"));
  }
}

}  // namespace
}  // namespace dojobber::e2e
