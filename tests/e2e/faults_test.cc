// The fault matrix: what each job of tests/plugins/faults.cc (jobs that
// throw, crash, exit, hang and chatter) does to a run, with and without
// --isolate, with one worker and with four; and --default-timeout.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Long enough for the slowest sanitizer build to start, run two 1-second
// timeouts one after the other and end; far below a hang (Hang never
// returns) or the 3 s that SleepsPastTimeout would take if it were waited
// for, per job.
constexpr std::chrono::seconds kPrompt{10};

ProcessResult RunFaults(const std::string& root, std::vector<std::string> extra,
                        ProcessOptions options = {}) {
  std::vector<std::string> args = {"run", "--plugin", TestPlugin("faults").string(), "--root",
                                   root};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunDojobber(std::move(args), std::move(options));
}

std::string WorkersName(const testing::TestParamInfo<int>& param) {
  return "j" + std::to_string(param.param);
}

// What one job ends with: its status row and its JSON report entry.
struct Outcome {
  std::string name;
  std::string status;
  int tries = 0;
  std::optional<std::string> error;  // Also the status row's DETAIL.
};

// The same in-process and isolated: Survivor and the jobs that throw, in
// run order; then the two that time out.
const std::vector<Outcome> kExceptionOutcomes = {
    {"Survivor", "ok", 1, std::nullopt},
    {"ThrowsStd", "failed", 1, "std failure"},
    {"ThrowsInt", "failed", 1, "exception of type 'int'"},
    {"ThrowsInConstructor", "failed", 1, "cannot create the job: no resources"},
};
// Their -v trace, in run order.
const std::vector<std::string> kExceptionTrace = {
    "Survivor.check: pass",
    "ThrowsStd.check: fail",
    "ThrowsStd.run: pass",
    "ThrowsStd.recheck: fail \"std failure\"",
    "ThrowsInt.check: fail",
    "ThrowsInt.run: pass",
    "ThrowsInt.recheck: fail \"exception of type 'int'\"",
    "ThrowsInConstructor.check: fail",
};
const std::vector<Outcome> kTimeoutOutcomes = {
    {"Hang", "failed", 1, "timed out after 1 s"},
    {"SleepsPastTimeout", "failed", 1, "timed out after 1 s"},
};

void ExpectOutcome(const std::vector<StatusRow>& rows, const json& report, const Outcome& want) {
  SCOPED_TRACE(want.name);
  const StatusRow row = FindRow(rows, want.name);
  EXPECT_EQ(row.status, want.status);
  EXPECT_EQ(row.tries, want.tries);
  if (want.status != "blocked") {
    EXPECT_EQ(row.detail, want.error.value_or(""));
  }

  ASSERT_TRUE(report.at("jobs").contains(want.name));
  const json& job = report.at("jobs").at(want.name);
  EXPECT_EQ(job.at("status"), want.status);
  EXPECT_EQ(job.at("tries"), want.tries);
  EXPECT_EQ(job.at("error"), want.error ? json(*want.error) : json(nullptr));
  EXPECT_EQ(job.at("result"), json(nullptr));
  EXPECT_EQ(job.at("interrupted"), false);
  if (want.tries > 0) {
    ASSERT_TRUE(job.at("start_s").is_number()) << job;
    ASSERT_TRUE(job.at("end_s").is_number()) << job;
    EXPECT_LE(job.at("start_s").get<double>(), job.at("end_s").get<double>());
  } else {
    EXPECT_EQ(job.at("start_s"), json(nullptr));
    EXPECT_EQ(job.at("end_s"), json(nullptr));
  }
}

// The counts line without its duration: "13 jobs: 3 ok, ... blocked".
std::string Counts(const std::vector<std::string>& summary) {
  if (summary.empty()) return "";
  return summary[0].substr(0, summary[0].find(" in "));
}

// stderr without Chatty's 8192 lines.
std::vector<std::string> LinesExceptChatty(const std::string& err) {
  std::vector<std::string> lines = Lines(err);
  std::erase_if(lines, [](const std::string& line) { return line.starts_with("[Chatty] "); });
  return lines;
}

std::vector<std::string> Sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

// --- --isolate: every fault fails its own try ---

class IsolatedFaults : public testing::TestWithParam<int> {};

TEST_P(IsolatedFaults, EveryJobEndsWithItsOwnCause) {
  TempDir dir;
  const ProcessResult result =
      RunFaults("All", {"--isolate", "-j", std::to_string(GetParam()), "-v", "--report",
                        (dir / "r.json").string(), "--arg", "marker=" + (dir / "m").string()});

  // The cleanup of ThrowsInCleanup fails: status 3 over 1.
  EXPECT_EQ(result.exit_code, 3) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const json report = ReadJsonReport(dir / "r.json");
  std::vector<Outcome> outcomes = kExceptionOutcomes;
  outcomes.insert(outcomes.end(), {{"ThrowsInCleanup", "ok", 1, std::nullopt},
                                   {"Segfault", "failed", 1, "killed by signal SIGSEGV"},
                                   {"Abort", "failed", 1, "killed by signal SIGABRT"},
                                   {"Terminate", "failed", 1, "killed by signal SIGABRT"},
                                   {"Exit3", "failed", 1, "exited with status 3"}});
  outcomes.insert(outcomes.end(), kTimeoutOutcomes.begin(), kTimeoutOutcomes.end());
  outcomes.insert(outcomes.end(),
                  {{"Chatty", "ok", 1, std::nullopt}, {"All", "blocked", 0, std::nullopt}});
  ASSERT_EQ(rows.size(), outcomes.size()) << result.out;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    EXPECT_EQ(rows[i].name, outcomes[i].name);  // Run order.
    ExpectOutcome(rows, report, outcomes[i]);
  }
  EXPECT_EQ(FindRow(rows, "All").detail,
            "blocked: ThrowsStd failed (std failure); ThrowsInt failed (exception of type 'int'); "
            "ThrowsInConstructor failed (cannot create the job: no resources) and 6 more");
  // A try killed at its timeout took at least the timeout.
  EXPECT_GE(report["jobs"]["Hang"]["duration_s"].get<double>(), 1.0);

  EXPECT_EQ(report["success"], false);
  EXPECT_EQ(report["partial_success"], true);
  EXPECT_EQ(report["interrupted"], false);
  EXPECT_EQ(report["exit_code"], 3);
  EXPECT_EQ(report["counts"], json({{"ok", 3}, {"changed", 0}, {"failed", 9}, {"blocked", 1}}));

  // Cleanups run newest first and stop at ThrowsInCleanup's. With one
  // worker Survivor's try is older, so its Cleanup is never called. With
  // four, Survivor and ThrowsInCleanup may run side by side and an isolated
  // try joins the cleanups when it ends, so either may be the newer: the
  // report, the trace and the marker must agree on which.
  const json& cleanup = report["cleanup"];
  EXPECT_EQ(cleanup["failed_job"], "ThrowsInCleanup");
  EXPECT_EQ(cleanup["error"], "cannot unmount");
  EXPECT_EQ(cleanup["skipped"], 0);
  EXPECT_EQ(cleanup["ran"].get<int>() + cleanup["pending"].get<int>(), 2) << cleanup;
  if (GetParam() == 1) {
    EXPECT_EQ(cleanup["ran"], 1);
  }
  const bool survivor_cleaned = cleanup["ran"] == 2;
  EXPECT_EQ(fs::exists(dir / "m"), survivor_cleaned);
  if (survivor_cleaned) {
    EXPECT_EQ(ReadFile(dir / "m"), "Survivor cleaned up\n");
  }

  const std::vector<std::string> summary = SummaryLines(result.out);
  ASSERT_EQ(summary.size(), 3u) << result.out;
  EXPECT_EQ(Counts(summary), "13 jobs: 3 ok, 0 changed, 9 failed, 1 blocked");
  EXPECT_EQ(summary[1], "Cleanup of ThrowsInCleanup (try 1) failed: cannot unmount" +
                            std::string(survivor_cleaned ? "." : "; 1 cleanup not run."));
  EXPECT_EQ(summary[2], "Result: FAILED (partial success), CLEANUP FAILED");

  // The trace: a try whose child died fails the phase it was in, here the
  // first Check; the child's own stderr comes back as a job log line.
  std::vector<std::string> trace = kExceptionTrace;
  trace.insert(trace.end(), {
                                "ThrowsInCleanup.check: pass",
                                "Segfault.check: fail",
                                "Abort.check: fail",
                                "[Terminate] terminate called without an active exception",
                                "Terminate.check: fail",
                                "Exit3.check: fail",
                                "Hang.check: fail",
                                "SleepsPastTimeout.check: fail",
                                "Chatty.check: pass",
                                "ThrowsInCleanup.cleanup: fail \"cannot unmount\"",
                            });
  if (GetParam() == 1) {
    EXPECT_EQ(LinesExceptChatty(result.err), trace);
  } else {
    if (survivor_cleaned) trace.insert(trace.end() - 1, "Survivor.cleanup: pass");
    EXPECT_EQ(Sorted(LinesExceptChatty(result.err)), Sorted(trace));
  }
}

INSTANTIATE_TEST_SUITE_P(Workers, IsolatedFaults, testing::Values(1, 4), WorkersName);

TEST(IsolatedFaults, DebugTraceGivesTheCause) {
  const ProcessResult result = RunFaults("Segfault", {"--isolate", "-d"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "Segfault.check: fail\n    killed by signal SIGSEGV\n");
}

TEST(IsolatedFaults, JobTimeoutWinsOverTheDefault) {
  const ProcessResult result = RunFaults("Hang", {"--isolate", "--default-timeout", "0.5"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(FindRow(ParseStatusTable(result.out), "Hang").detail, "timed out after 1 s");
}

// A crashed try is cleaned up by a fresh object in a child, with empty
// local storage: what the try stored died with its child.
TEST(IsolatedFaults, CrashedTryIsCleanedUpWithEmptyLocalStorage) {
  TempDir dir;
  const ProcessResult result =
      RunFaults("CrashInRunWithCleanup", {"--isolate", "-v", "--report", (dir / "r.json").string(),
                                          "--arg", "marker=" + (dir / "m").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "CrashInRunWithCleanup.check: fail\n"
            "CrashInRunWithCleanup.run: fail\n"
            "CrashInRunWithCleanup.cleanup: pass\n");
  EXPECT_EQ(ReadFile(dir / "m"), "CrashInRunWithCleanup cleaned up, local storage {}\n");
  const json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["jobs"]["CrashInRunWithCleanup"]["error"], "killed by signal SIGSEGV");
  EXPECT_EQ(report["cleanup"]["ran"], 1);
}

// A try killed in its first Check had created its object: it is cleaned
// up too, with empty local storage.
TEST(IsolatedFaults, TryKilledInItsFirstCheckIsCleanedUp) {
  TempDir dir;
  const ProcessResult result =
      RunFaults("HangWithCleanup", {"--isolate", "-v", "--report", (dir / "r.json").string(),
                                    "--arg", "marker=" + (dir / "m").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "HangWithCleanup.check: fail\nHangWithCleanup.cleanup: pass\n");
  EXPECT_TRUE(fs::exists(dir / "m"));
  if (fs::exists(dir / "m")) {
    EXPECT_EQ(ReadFile(dir / "m"), "HangWithCleanup cleaned up, local storage {}\n");
  }
  EXPECT_EQ(ReadJsonReport(dir / "r.json")["cleanup"]["ran"], 1);
}

// --- In-process: exceptions and timeouts fail one try, crashes end the run ---

class InProcessFaults : public testing::TestWithParam<int> {};

TEST_P(InProcessFaults, ExceptionsAndTimeoutsFailOnlyTheirJob) {
  TempDir dir;
  ProcessOptions options;
  options.timeout = kPrompt;  // The abandoned tries do not hold the run up.
  const ProcessResult result =
      RunFaults("Survivable",
                {"-j", std::to_string(GetParam()), "-v", "--report", (dir / "r.json").string(),
                 "--arg", "marker=" + (dir / "m").string()},
                options);

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const json report = ReadJsonReport(dir / "r.json");
  std::vector<Outcome> outcomes = kExceptionOutcomes;
  outcomes.insert(outcomes.end(), kTimeoutOutcomes.begin(), kTimeoutOutcomes.end());
  outcomes.push_back({"Survivable", "blocked", 0, std::nullopt});
  ASSERT_EQ(rows.size(), outcomes.size()) << result.out;
  for (const Outcome& outcome : outcomes) ExpectOutcome(rows, report, outcome);
  EXPECT_GE(report["jobs"]["Hang"]["duration_s"].get<double>(), 1.0);
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["counts"], json({{"ok", 1}, {"changed", 0}, {"failed", 5}, {"blocked", 1}}));
  // The timed-out jobs have no Cleanup, so nothing is skipped.
  EXPECT_EQ(report["cleanup"], CleanupEntry(1, 0, 0));
  EXPECT_EQ(ReadFile(dir / "m"), "Survivor cleaned up\n");
  EXPECT_EQ(SummaryLines(result.out).back(), "Result: FAILED (partial success)");

  // A timed-out try traces the phase it was in as failed, and nothing
  // after: its thread's later lines are dropped.
  const std::vector<std::string> trace = Lines(result.err);
  std::vector<std::string> expected = kExceptionTrace;
  expected.insert(expected.end(), {
                                      "Hang.check: fail",
                                      "SleepsPastTimeout.check: fail",
                                      "Survivor.cleanup: pass",
                                  });
  if (GetParam() == 1) {
    EXPECT_EQ(trace, expected);
  } else {
    EXPECT_EQ(Sorted(trace), Sorted(expected));
  }
}

// In-process, a crash, abort or exit() in a job ends dojobber itself: no
// status report, no JSON report (not even a temporary file), no
// cleanups.
TEST_P(InProcessFaults, CrashesAndExitEndTheWholeProcess) {
  struct Case {
    const char* root;
    int exit_code;  // 128 + N for death by signal N.
    const char* err;
  };
  for (const Case& c :
       {Case{"Segfault", 128 + SIGSEGV, ""}, Case{"Abort", 128 + SIGABRT, ""},
        Case{"Terminate", 128 + SIGABRT, "terminate called without an active exception\n"},
        Case{"Exit3", 3, ""}}) {
    SCOPED_TRACE(c.root);
    TempDir dir;
    const ProcessResult result = RunFaults(
        c.root, {"-j", std::to_string(GetParam()), "-v", "--report", (dir / "r.json").string()});
    EXPECT_EQ(result.exit_code, c.exit_code);
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, c.err);
    EXPECT_EQ(dir.Entries(), std::vector<std::string>{}) << "a report was written";
  }
}

TEST_P(InProcessFaults, CrashTakesTheOtherJobsAndTheirCleanupsWithIt) {
  TempDir dir;
  const ProcessResult result =
      RunFaults("All", {"-j", std::to_string(GetParam()), "--report", (dir / "r.json").string(),
                        "--arg", "marker=" + (dir / "m").string()});
  if (GetParam() == 1) {
    // Segfault is the first of the fatal jobs in run order.
    EXPECT_EQ(result.exit_code, 128 + SIGSEGV);
  } else {
    // Whichever fatal job gets there first.
    EXPECT_TRUE(result.exit_code == 128 + SIGSEGV || result.exit_code == 128 + SIGABRT ||
                result.exit_code == 3)
        << result.exit_code;
  }
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{}) << "a report or cleanup marker exists";
}

// An abandoned try keeps its job object: its Cleanup is skipped, and said so.
TEST_P(InProcessFaults, TimedOutTryIsNotCleanedUp) {
  TempDir dir;
  ProcessOptions options;
  options.timeout = kPrompt;
  const ProcessResult result =
      RunFaults("HangWithCleanup",
                {"-j", std::to_string(GetParam()), "--report", (dir / "r.json").string(), "--arg",
                 "marker=" + (dir / "m").string()},
                options);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(FindRow(ParseStatusTable(result.out), "HangWithCleanup").detail,
            "timed out after 0.5 s");
  const std::vector<std::string> summary = SummaryLines(result.out);
  ASSERT_EQ(summary.size(), 3u) << result.out;
  EXPECT_EQ(summary[1], "1 cleanup skipped: timed-out tries still running.");
  EXPECT_EQ(summary[2], "Result: FAILED");
  EXPECT_EQ(ReadJsonReport(dir / "r.json")["cleanup"], CleanupEntry(0, 0, 1));
  EXPECT_FALSE(fs::exists(dir / "m"));
}

INSTANTIATE_TEST_SUITE_P(Workers, InProcessFaults, testing::Values(1, 4), WorkersName);

// With -v, an in-process try that times out traces the phase it was in as
// failed, as an isolated one does; -d adds the cause.
TEST(InProcessFaults, TimedOutTryIsTraced) {
  ProcessOptions options;
  options.timeout = kPrompt;
  const ProcessResult result = RunFaults("Hang", {"-d"}, options);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "Hang.check: fail\n    timed out after 1 s\n");
}

// --- An exception whose what() returns null or throws fails its try alone ---

class BrokenWhat : public testing::TestWithParam<bool> {};

TEST_P(BrokenWhat, FailsItsJobWithAMessageNamingTheType) {
  TempDir dir;
  std::vector<std::string> args = {"-v", "--report", (dir / "r.json").string(), "--arg",
                                   "marker=" + (dir / "m").string()};
  if (GetParam()) args.push_back("--isolate");
  const ProcessResult result = RunFaults("BrokenWhat", args);

  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::string null_what = "exception of type 'faults::NullWhat' (its what() returned null)";
  const std::string throwing_what =
      "exception of type 'dojobber::testing::ThrowingWhat' (its what() threw)";
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const json report = ReadJsonReport(dir / "r.json");
  ASSERT_EQ(rows.size(), 4u) << result.out;
  ExpectOutcome(rows, report, {"Survivor", "ok", 1, std::nullopt});
  ExpectOutcome(rows, report, {"ThrowsNullWhat", "failed", 1, null_what});
  ExpectOutcome(rows, report, {"ThrowsThrowingWhat", "failed", 1, throwing_what});
  ExpectOutcome(rows, report, {"BrokenWhat", "blocked", 0, std::nullopt});
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["counts"], json({{"ok", 1}, {"changed", 0}, {"failed", 2}, {"blocked", 1}}));
  EXPECT_EQ(SummaryLines(result.out).back(), "Result: FAILED (partial success)");

  // Every try was cleaned up, newest first.
  EXPECT_EQ(report["cleanup"], CleanupEntry(3, 0, 0));
  EXPECT_EQ(ReadFile(dir / "m"),
            "ThrowsThrowingWhat cleaned up\nThrowsNullWhat cleaned up\nSurvivor cleaned up\n");
  EXPECT_EQ(Lines(result.err), (std::vector<std::string>{
                                   "Survivor.check: pass",
                                   "ThrowsNullWhat.check: fail",
                                   "ThrowsNullWhat.run: pass",
                                   "ThrowsNullWhat.recheck: fail \"" + null_what + "\"",
                                   "ThrowsThrowingWhat.check: fail",
                                   "ThrowsThrowingWhat.run: pass",
                                   "ThrowsThrowingWhat.recheck: fail \"" + throwing_what + "\"",
                                   "ThrowsThrowingWhat.cleanup: pass",
                                   "ThrowsNullWhat.cleanup: pass",
                                   "Survivor.cleanup: pass",
                               }));
}

INSTANTIATE_TEST_SUITE_P(Modes, BrokenWhat, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& param) {
                           return std::string(param.param ? "Isolated" : "InProcess");
                         });

// --- Cleanup order: newest first; a failing Cleanup stops the older ones ---

struct CleanupCase {
  bool isolate;
  int workers;
};

class CleanupOrder : public testing::TestWithParam<CleanupCase> {
 protected:
  ProcessResult Run(const std::string& root, const TempDir& dir) {
    std::vector<std::string> args = {
        "-j",    std::to_string(GetParam().workers), "-v", "--report", (dir / "r.json").string(),
        "--arg", "marker=" + (dir / "m").string()};
    if (GetParam().isolate) args.push_back("--isolate");
    return RunFaults(root, args);
  }
};

TEST_P(CleanupOrder, FailingCleanupStopsTheOlderOnes) {
  TempDir dir;
  const ProcessResult result = Run("ThrowsInCleanupAfterSurvivor", dir);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(result.err,
            "Survivor.check: pass\n"
            "ThrowsInCleanupAfterSurvivor.check: pass\n"
            "ThrowsInCleanupAfterSurvivor.cleanup: fail \"cannot unmount\"\n");
  EXPECT_FALSE(fs::exists(dir / "m"));
  EXPECT_EQ(ReadJsonReport(dir / "r.json")["cleanup"],
            CleanupEntry(1, 1, 0, "ThrowsInCleanupAfterSurvivor", "cannot unmount"));
  const std::vector<std::string> summary = SummaryLines(result.out);
  ASSERT_EQ(summary.size(), 3u) << result.out;
  EXPECT_EQ(summary[1],
            "Cleanup of ThrowsInCleanupAfterSurvivor (try 1) failed: cannot unmount; 1 cleanup "
            "not run.");
  EXPECT_EQ(summary[2], "Result: SUCCESS, CLEANUP FAILED");
}

TEST_P(CleanupOrder, NewerCleanupsRunBeforeTheFailingOne) {
  TempDir dir;
  const ProcessResult result = Run("SurvivorAfterThrowsInCleanup", dir);
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_EQ(result.err,
            "ThrowsInCleanup.check: pass\n"
            "SurvivorAfterThrowsInCleanup.check: pass\n"
            "SurvivorAfterThrowsInCleanup.cleanup: pass\n"
            "ThrowsInCleanup.cleanup: fail \"cannot unmount\"\n");
  EXPECT_EQ(ReadFile(dir / "m"), "Survivor cleaned up\n");
  EXPECT_EQ(ReadJsonReport(dir / "r.json")["cleanup"],
            CleanupEntry(2, 0, 0, "ThrowsInCleanup", "cannot unmount"));
}

std::string CleanupCaseName(const testing::TestParamInfo<CleanupCase>& param) {
  return std::string(param.param.isolate ? "Isolated" : "InProcess") + "_j" +
         std::to_string(param.param.workers);
}

INSTANTIATE_TEST_SUITE_P(Modes, CleanupOrder,
                         testing::Values(CleanupCase{false, 1}, CleanupCase{false, 4},
                                         CleanupCase{true, 1}, CleanupCase{true, 4}),
                         CleanupCaseName);

// --- Chatty: 4 MiB of output arrives whole ---

// Checks that `lines` are exactly `<prefix>0 xxx...` to `<prefix>4095
// xxx...` in order, each with its 1023 x.
void ExpectNumberedLines(const std::vector<std::string>& lines, const std::string& prefix) {
  const std::string tail = " " + std::string(1023, 'x');
  ASSERT_EQ(lines.size(), 4096u) << prefix;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] != prefix + std::to_string(i) + tail) {
      ADD_FAILURE() << "line " << i << " of " << prefix
                    << "... is torn or out of order: " << lines[i].substr(0, 80) << " ("
                    << lines[i].size() << " bytes)";
      return;
    }
  }
}

std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines = Lines(text);
  std::erase_if(lines, [&](const std::string& line) { return !line.starts_with(prefix); });
  return lines;
}

TEST(Chatty, InProcessLogLinesAndStdoutArriveWhole) {
  const ProcessResult result = RunFaults("Chatty", {});
  EXPECT_EQ(result.exit_code, 0);
  // The log lines go to stderr; what the job prints goes to dojobber's own
  // stdout, ahead of the status report.
  EXPECT_EQ(Lines(result.err).size(), 4096u);
  ExpectNumberedLines(LinesStartingWith(result.err, "[Chatty] "), "[Chatty] ");
  ExpectNumberedLines(LinesStartingWith(result.out, "out "), "out ");
  EXPECT_EQ(FindRow(ParseStatusTable(result.out), "Chatty").status, "ok");
}

TEST(Chatty, IsolatedLogLinesAndStdoutArriveWholeOnStderr) {
  const ProcessResult result = RunFaults("Chatty", {"--isolate"});
  EXPECT_EQ(result.exit_code, 0);
  // The child's stdout comes back as log lines too; the two streams may
  // interleave, but each keeps its order and every line stays whole.
  EXPECT_EQ(Lines(result.err).size(), 8192u);
  ExpectNumberedLines(LinesStartingWith(result.err, "[Chatty] out "), "[Chatty] out ");
  std::vector<std::string> log = LinesStartingWith(result.err, "[Chatty] ");
  std::erase_if(log, [](const std::string& line) { return line.starts_with("[Chatty] out "); });
  ExpectNumberedLines(log, "[Chatty] ");
  EXPECT_TRUE(LinesStartingWith(result.out, "out ").empty());
  EXPECT_EQ(FindRow(ParseStatusTable(result.out), "Chatty").status, "ok");
}

// --- --default-timeout ---

TEST(DefaultTimeout, IsolatedChildIsKilledAtTheDefaultTimeout) {
  TempDir dir;
  ProcessOptions options;
  options.timeout = kPrompt;
  const ProcessResult result =
      RunFaults("Slow",
                {"--isolate", "--default-timeout", "0.5", "-v", "--arg", "slow_ms=3000", "--report",
                 (dir / "r.json").string(), "--arg", "marker=" + (dir / "m").string()},
                options);
  EXPECT_EQ(result.exit_code, 1);
  // Killed in Run: that phase fails.
  EXPECT_EQ(result.err, "Slow.check: fail\n[Slow] sleeping\nSlow.run: fail\n");
  EXPECT_EQ(FindRow(ParseStatusTable(result.out), "Slow").detail, "timed out after 0.5 s");
  const json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["jobs"]["Slow"]["error"], "timed out after 0.5 s");
  EXPECT_GE(report["jobs"]["Slow"]["duration_s"].get<double>(), 0.5);
  EXPECT_FALSE(fs::exists(dir / "m")) << "Slow's Run finished";
}

TEST(DefaultTimeout, InProcessTryIsAbandonedAtTheDefaultTimeout) {
  TempDir dir;
  ProcessOptions options;
  options.timeout = kPrompt;
  const ProcessResult result =
      RunFaults("Slow",
                {"--default-timeout", "0.5", "--arg", "slow_ms=3000", "--report",
                 (dir / "r.json").string(), "--arg", "marker=" + (dir / "m").string()},
                options);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(FindRow(ParseStatusTable(result.out), "Slow").detail, "timed out after 0.5 s");
  EXPECT_EQ(ReadJsonReport(dir / "r.json")["jobs"]["Slow"]["error"], "timed out after 0.5 s");
  // dojobber ended with the run, long before the abandoned Run could finish.
  EXPECT_FALSE(fs::exists(dir / "m")) << "Slow's Run finished";
}

TEST(DefaultTimeout, MustBeAFiniteNumberOfSecondsAboveZero) {
  for (const char* bad : {"0", "-1", "nan", "abc", "inf", "0.0", "1s"}) {
    EXPECT_TRUE(IsUsageError(RunFaults("Slow", {"--default-timeout", bad}),
                             {"--default-timeout", bad, "is not a number of seconds > 0"}))
        << bad;
  }
}

}  // namespace
}  // namespace dojobber::e2e
