// The process runner the end-to-end tests rely on, checked with /bin/sh.

#include "tests/e2e/run_process.h"

#include <chrono>
#include <csignal>
#include <string>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

namespace dojobber::e2e {
namespace {

ProcessResult Shell(const std::string& script, ProcessOptions options = {}) {
  return RunProcess({"/bin/sh", "-c", script}, options);
}

TEST(RunProcess, CapturesStdoutAndStderrSeparately) {
  const ProcessResult result = Shell("printf out; printf err >&2; exit 7");

  EXPECT_EQ(result.exit_code, 7);
  EXPECT_EQ(result.out, "out");
  EXPECT_EQ(result.err, "err");
  EXPECT_FALSE(result.timed_out);
}

TEST(RunProcess, FullStderrPipeDoesNotDeadlock) {
  // Far more than a pipe holds, on stderr first, then on stdout.
  const ProcessResult result =
      Shell("head -c 1000000 /dev/zero | tr '\\0' e >&2; head -c 1000000 /dev/zero | tr '\\0' o");

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, std::string(1000000, 'e'));
  EXPECT_EQ(result.out, std::string(1000000, 'o'));
}

TEST(RunProcess, StdinIsEmpty) { EXPECT_EQ(Shell("cat").out, ""); }

TEST(RunProcess, SetsAndRemovesEnvironmentVariables) {
  ProcessOptions options;
  options.env["DOJOBBER_E2E_SET"] = "a value";
  options.env["HOME"] = std::nullopt;
  const ProcessResult result =
      Shell(R"(printf '%s|%s' "$DOJOBBER_E2E_SET" "${HOME-unset}")", options);

  EXPECT_EQ(result.out, "a value|unset");
}

TEST(RunProcess, RunsInTheGivenWorkingDirectory) {
  ProcessOptions options;
  options.cwd = "/";
  EXPECT_EQ(Shell("pwd", options).out, "/\n");
}

TEST(RunProcess, SignalDeathIsReportedAs128PlusTheSignal) {
  EXPECT_EQ(Shell("kill -KILL $$").exit_code, 128 + 9);
}

TEST(RunProcess, TimeoutKillsTheChildAndFailsTheTest) {
  ProcessResult result;
  EXPECT_NONFATAL_FAILURE(
      {
        ProcessOptions options;
        options.timeout = std::chrono::milliseconds(200);
        result = Shell("printf started; exec sleep 600", options);
      },
      "timed out");
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.exit_code, -1);
  EXPECT_EQ(result.out, "started");
}

TEST(RunProcess, StdoutCanGoToAFile) {
  ProcessOptions options;
  options.stdout_path = "/dev/null";
  const ProcessResult result = Shell("printf gone; printf kept >&2", options);

  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "kept");
}

TEST(RunningProcess, WaitsForAStderrLineThenSignals) {
  RunningProcess child(
      {"/bin/sh", "-c", "printf 'rea'; echo 'dy!' >&2; echo ready >&2; exec sleep 60"});
  // Only a whole line counts: "ready!" is not "ready".
  ASSERT_TRUE(child.WaitForStderrLine("ready"));
  EXPECT_EQ(child.err(), "dy!\nready\n");
  // A line that already arrived is found again.
  EXPECT_TRUE(child.WaitForStderrLine("dy!"));
  child.Signal(SIGTERM);
  const ProcessResult result = child.Wait();

  EXPECT_EQ(result.exit_code, 128 + SIGTERM);
  EXPECT_EQ(result.out, "rea");
  EXPECT_EQ(result.err, "dy!\nready\n");
}

TEST(RunningProcess, MissingLineFailsTheTestWhenTheOutputEnds) {
  RunningProcess child({"/bin/sh", "-c", "echo other >&2"});
  bool arrived = true;
  EXPECT_NONFATAL_FAILURE(arrived = child.WaitForStderrLine("wanted"), "before its output ended");
  EXPECT_FALSE(arrived);
  EXPECT_EQ(child.Wait().exit_code, 0);
}

TEST(RunningProcess, MissingLineFailsTheTestAtItsTimeout) {
  RunningProcess child({"/bin/sh", "-c", "exec sleep 60"});
  bool arrived = true;
  EXPECT_NONFATAL_FAILURE(
      arrived = child.WaitForStderrLine("wanted", std::chrono::milliseconds(100)), "in time");
  EXPECT_FALSE(arrived);
  // Destroyed unwaited: killed and reaped.
}

// Whatever this process ignores, the child starts with the default actions.
TEST(RunningProcess, ChildDiesOfSigintEvenWhenTheParentIgnoresIt) {
  struct sigaction ignore {};
  struct sigaction previous {};
  ignore.sa_handler = SIG_IGN;
  ::sigemptyset(&ignore.sa_mask);
  ASSERT_EQ(::sigaction(SIGINT, &ignore, &previous), 0);
  RunningProcess child({"/bin/sh", "-c", "echo ready >&2; exec sleep 60"});
  ::sigaction(SIGINT, &previous, nullptr);
  ASSERT_TRUE(child.WaitForStderrLine("ready"));
  child.Signal(SIGINT);
  EXPECT_EQ(child.Wait().exit_code, 128 + SIGINT);
}

}  // namespace
}  // namespace dojobber::e2e
