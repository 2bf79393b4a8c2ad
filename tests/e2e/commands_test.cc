// Commands that jobs run through the SDK's helper (<dojobber/command.h>),
// through the real CLI in every run mode: their output reaches the job's
// log and only it, a failed command names itself, and a command is ended
// with its try (a timeout, Ctrl-C), leaving no process behind.
#include <signal.h>

#include <chrono>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class Commands : public testing::TestWithParam<RunMode> {
 protected:
  std::vector<std::string> Args(const std::string& root) const {
    std::vector<std::string> args = {
        "run",      "--plugin",       TestPlugin("commands").string(), "--root", root,
        "--report", report().string()};
    args.insert(args.end(), GetParam().flags.begin(), GetParam().flags.end());
    return args;
  }
  ProcessOptions Options() const {
    ProcessOptions options;
    options.cwd = dir_.path();
    options.timeout = std::chrono::seconds(60);
    return options;
  }
  std::filesystem::path report() const { return dir_ / "report.json"; }
  // Runs `root`, whose command logs "sleeping", and sends SIGINT once it has.
  ProcessResult InterruptOnceSleeping(const std::string& root) const {
    ProcessOptions options = Options();
    options.timeout = std::chrono::seconds(30);
    RunningProcess dojobber = StartDojobber(Args(root), options);
    EXPECT_TRUE(dojobber.WaitForStderrLine("[" + root + "] sleeping"));
    dojobber.Signal(SIGINT);
    return dojobber.Wait();
  }
  json Job(const std::string& name) const { return ReadJsonReport(report()).at("jobs").at(name); }

  TempDir dir_;
};

TEST_P(Commands, OutputGoesToTheJobsLogAndNotToStdout) {
  const ProcessResult result = RunDojobber(Args("Echoes"), Options());
  ASSERT_TRUE(EndedWith(result, 0, report(), /*report_required=*/true)) << result.err;
  EXPECT_THAT(result.err, HasSubstr("[Echoes] first line\n[Echoes] second line\n"));
  EXPECT_THAT(result.err, HasSubstr("[Echoes] on stderr\n"));
  EXPECT_THAT(result.err, HasSubstr("[Echoes] no newline\n"));
  for (const char* raw : {"first line", "second line", "on stderr", "no newline"}) {
    EXPECT_THAT(result.out, Not(HasSubstr(raw)));
  }
  EXPECT_EQ(Job("Echoes").at("status"), "changed");
}

TEST_P(Commands, AFailedCommandNamesItselfItsStatusAndItsStderr) {
  const ProcessResult result = RunDojobber(Args("Fails"), Options());
  ASSERT_TRUE(EndedWith(result, 1, report(), /*report_required=*/true)) << result.err;
  EXPECT_EQ(Job("Fails").at("error"),
            "command `sh -c 'echo bad thing >&2; exit 4'` exited with status 4; "
            "stderr ends: bad thing");
}

TEST_P(Commands, ATimeoutEndsTheCommandsWholeGroup) {
  OrphanWatch watch;
  const ProcessResult result = RunDojobber(Args("Sleeper"), Options());
  ASSERT_TRUE(EndedWith(result, 1, report(), /*report_required=*/true)) << result.err;
  EXPECT_THAT(result.err, HasSubstr("[Sleeper] sleeping\n"));  // The command ran.
  EXPECT_EQ(Job("Sleeper").at("error"), "timed out after 2 s");
  EXPECT_TRUE(watch.Leftovers().empty());
}

TEST_P(Commands, CtrlCEndsTheCommandsWholeGroup) {
  OrphanWatch watch;
  const ProcessResult result = InterruptOnceSleeping("Napper");
  ASSERT_TRUE(EndedWith(result, 130, report(), /*report_required=*/true)) << result.err;
  EXPECT_THAT(Job("Napper").at("error").get<std::string>(),
              ::testing::StartsWith(
                  "command `/bin/sh -c 'echo sleeping; sleep 600'` stopped: the run was asked"));
  EXPECT_TRUE(watch.Leftovers().empty());
}

// Cleanups run to their end after a stop: so do the commands they run.
TEST_P(Commands, ACleanupsCommandRunsToItsEndAfterCtrlC) {
  OrphanWatch watch;
  const ProcessResult result = InterruptOnceSleeping("Undoer");
  ASSERT_TRUE(EndedWith(result, 130, report(), /*report_required=*/true)) << result.err;
  EXPECT_THAT(result.err, HasSubstr("[Undoer] undo: exited with status 0\n"));
  EXPECT_EQ(ReadFile(dir_ / "undone"), "undone\n");
  EXPECT_TRUE(watch.Leftovers().empty());
}

INSTANTIATE_TEST_SUITE_P(Modes, Commands, testing::ValuesIn(AllRunModes()), RunModeName);

// A job that calls exit() in-process ends dojobber at once, with the status
// it gave; the command another try runs at that moment goes with it.
TEST(CommandsInProcess, AJobsExitEndsTheCommandsOfOtherTries) {
  OrphanWatch watch;
  TempDir dir;
  ProcessOptions options;
  options.cwd = dir.path();
  options.timeout = std::chrono::seconds(60);
  const ProcessResult result = RunDojobber({"run", "--plugin", TestPlugin("commands").string(),
                                            "--root", "Marker", "--root", "Exiter", "-j", "2"},
                                           options);
  EXPECT_FALSE(result.timed_out) << result.err;
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "napping"));  // Its command ran.
  EXPECT_TRUE(watch.Leftovers().empty());
}

// The plugin guide's "Running commands" example is tests/plugins/unpack.cc,
// and does what the guide says.
TEST(PluginGuideCommandsExample, ShowsThePluginTheTestsBuild) {
  const std::filesystem::path source = SourceDir();
  const std::string plugin = ReadFile(source / "tests/plugins/unpack.cc");
  const std::string code = plugin.substr(plugin.find("#include <dojobber/dojobber.h>"));
  EXPECT_NE(ReadFile(source / "docs/plugin-guide.md").find("```cpp\n" + code + "```\n"),
            std::string::npos)
      << "docs/plugin-guide.md's Running commands example differs from tests/plugins/unpack.cc";
}

TEST(PluginGuideCommandsExample, UnpacksWithTarAndLogsItsOutput) {
  TempDir dir;
  WriteFile(dir / "VERSION", "1.0\n");
  ASSERT_EQ(RunProcess({"/bin/tar", "-czf", (dir / "app.tar.gz").string(), "-C",
                        dir.path().string(), "VERSION"})
                .exit_code,
            0);
  auto run = [&](const std::filesystem::path& archive) {
    std::vector<std::string> args = {"run",
                                     "--plugin",
                                     TestPlugin("unpack").string(),
                                     "--root",
                                     "Unpacked",
                                     "--arg",
                                     "archive=" + archive.string(),
                                     "--arg",
                                     "dir=" + (dir / "app").string(),
                                     "--report",
                                     (dir / "report.json").string()};
    return RunDojobber(args);
  };
  const ProcessResult unpacked = run(dir / "app.tar.gz");
  ASSERT_TRUE(EndedWith(unpacked, 0, dir / "report.json", true)) << unpacked.err;
  EXPECT_EQ(unpacked.err, "[Unpacked] VERSION\n");  // tar -v's listing, as the job's log.
  EXPECT_EQ(ReadFile(dir / "app" / "VERSION"), "1.0\n");

  std::filesystem::remove_all(dir / "app");
  // tar's complaint reaches the job's log; the job's error is its recheck's.
  const ProcessResult failed = run(dir / "missing.tar.gz");
  ASSERT_TRUE(EndedWith(failed, 1, dir / "report.json", true)) << failed.err;
  EXPECT_THAT(failed.err, HasSubstr("[Unpacked] tar (child): " + (dir / "missing.tar.gz").string() +
                                    ": Cannot open"));
  EXPECT_EQ(ReadJsonReport(dir / "report.json").at("jobs").at("Unpacked").at("error"),
            "not unpacked yet");
}

}  // namespace
}  // namespace dojobber::e2e
