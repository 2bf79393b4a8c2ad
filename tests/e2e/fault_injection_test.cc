// Fault injection: job code that throws, crashes, exits, times out or ends
// its own thread (pthread_exit), in every run mode (in-process and isolated,
// one worker and four). Whatever the job does, the run ends with its
// documented exit status, its report is whole and names the failed try's
// cause, dependents are blocked, and nothing is left behind: no temporary
// file, no process.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

using nlohmann::json;

// What the report must say of one job.
struct Expected {
  std::string job;
  std::string status;
  int tries;
  std::optional<std::string> error;  // The try's cause; nullopt: no error.
};

// One run of one plugin's root, with what it must end with.
struct Fault {
  std::string plugin;
  std::string root;
  std::vector<std::string> extra;  // More flags.
  int exit_code;                   // README.md: 1 a job failed, 3 a Cleanup failed.
  std::vector<Expected> jobs;
  std::optional<std::string> cleanup_error;  // The report's cleanup.error.
};

constexpr std::string_view kThreadEnded = "the job ended its thread (pthread_exit)";

const std::vector<Expected> kThreadExitJobs = {
    {"Fine", "ok", 1, std::nullopt},
    {"ExitsInCheck", "failed", 1, std::string(kThreadEnded)},
    {"AfterExitsInCheck", "blocked", 0, std::nullopt},
    {"ExitsInRun", "failed", 1, std::string(kThreadEnded)},
    {"ExitsInCleanup", "ok", 1, std::nullopt},
    {"Retries", "failed", 3, std::string(kThreadEnded)},
    {"ExitsAll", "blocked", 0, std::nullopt},
};

const std::vector<Expected> kExceptionJobs = {
    {"Survivor", "ok", 1, std::nullopt},
    {"ThrowsStd", "failed", 1, "std failure"},
    {"ThrowsInt", "failed", 1, "exception of type 'int'"},
    {"ThrowsInConstructor", "failed", 1, "cannot create the job: no resources"},
    {"Hang", "failed", 1, "timed out after 1 s"},
    {"SleepsPastTimeout", "failed", 1, "timed out after 1 s"},
    {"Survivable", "blocked", 0, std::nullopt},
};

const std::vector<Expected> kBrokenWhatJobs = {
    {"Survivor", "ok", 1, std::nullopt},
    {"ThrowsNullWhat", "failed", 1,
     "exception of type 'faults::NullWhat' (its what() returned null)"},
    {"ThrowsThrowingWhat", "failed", 1,
     "exception of type 'dojobber::testing::ThrowingWhat' (its what() threw)"},
    {"BrokenWhat", "blocked", 0, std::nullopt},
};

const std::vector<Expected> kCrashJobs = {
    {"Segfault", "failed", 1, "killed by signal SIGSEGV"},
    {"Abort", "failed", 1, "killed by signal SIGABRT"},
    {"Terminate", "failed", 1, "killed by signal SIGABRT"},
    {"Exit3", "failed", 1, "exited with status 3"},
    {"ThrowsStd", "failed", 1, "std failure"},
    {"Hang", "failed", 1, "timed out after 1 s"},
    {"All", "blocked", 0, std::nullopt},
};

bool Isolated(const RunMode& mode) {
  for (const std::string& flag : mode.flags) {
    if (flag == "--isolate") return true;
  }
  return false;
}

class FaultInjection : public testing::TestWithParam<RunMode> {
 protected:
  // Runs `fault` in this mode in a fresh directory and checks everything
  // the suite promises about it.
  void Expect(const Fault& fault) {
    TempDir dir;
    const std::filesystem::path report = dir / "report.json";
    OrphanWatch watch;
    std::vector<std::string> args = {"run",    "--plugin", TestPlugin(fault.plugin).string(),
                                     "--root", fault.root, "--default-retry-delay",
                                     "0",      "--report", report.string(),
                                     "-q"};
    args.insert(args.end(), fault.extra.begin(), fault.extra.end());
    args.insert(args.end(), GetParam().flags.begin(), GetParam().flags.end());
    ProcessOptions options;
    options.cwd = dir.path();
    options.timeout = std::chrono::seconds(30);
    const ProcessResult result = RunDojobber(args, options);

    ASSERT_TRUE(EndedWith(result, fault.exit_code, report, /*report_required=*/true));
    EXPECT_TRUE(TemporaryFiles(dir.path()).empty());
    EXPECT_TRUE(watch.Leftovers().empty());
    const json parsed = ReadJsonReport(report);
    EXPECT_EQ(parsed["exit_code"], fault.exit_code);
    for (const Expected& want : fault.jobs) {
      SCOPED_TRACE(want.job);
      ASSERT_TRUE(parsed["jobs"].contains(want.job)) << parsed.dump(2);
      const json& job = parsed["jobs"][want.job];
      EXPECT_EQ(job["status"], want.status);
      EXPECT_EQ(job["tries"], want.tries);
      EXPECT_EQ(job["error"], want.error ? json(*want.error) : json(nullptr));
    }
    const json& cleanup = parsed["cleanup"];
    EXPECT_EQ(cleanup["error"], fault.cleanup_error ? json(*fault.cleanup_error) : json(nullptr));
  }
};

TEST_P(FaultInjection, ThreadExitFailsItsTryAndTheRunEnds) {
  Expect({"thread_exits", "ExitsAll", {}, 3, kThreadExitJobs, std::string(kThreadEnded)});
}

// With a time limit an in-process try runs on a thread of its own, which
// the waiter must hear about when the job ends it.
TEST_P(FaultInjection, ThreadExitFailsATimedTry) {
  Expect({"thread_exits",
          "ExitsAll",
          {"--default-timeout", "30"},
          3,
          kThreadExitJobs,
          std::string(kThreadEnded)});
}

TEST_P(FaultInjection, ExceptionsAndTimeoutsFailTheirTry) {
  Expect({"faults", "Survivable", {}, 1, kExceptionJobs, std::nullopt});
}

TEST_P(FaultInjection, BrokenWhatFailsItsTry) {
  Expect({"faults", "BrokenWhat", {}, 1, kBrokenWhatJobs, std::nullopt});
}

// In-process, a crash or exit() ends dojobber itself (faults_test covers
// that); isolated, it fails its try alone. ThrowsInCleanup makes it 3.
// Hang has a time limit of its own (1 s); the default one only bounds a job
// that would hang by mistake, and is far above what a try takes even in a
// sanitizer build on a loaded machine (a 1 s default failed Exit3 there).
TEST_P(FaultInjection, CrashesAndExitsFailTheirIsolatedTry) {
  if (!Isolated(GetParam())) GTEST_SKIP() << "in-process, a crash ends dojobber";
  Expect(
      {"faults", "All", {"--default-timeout", "20"}, 3, kCrashJobs, std::string("cannot unmount")});
}

INSTANTIATE_TEST_SUITE_P(Modes, FaultInjection, testing::ValuesIn(AllRunModes()), RunModeName);

}  // namespace
}  // namespace dojobber::e2e
