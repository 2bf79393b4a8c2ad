// Bad command lines and options: each is refused before anything runs, with
// exit status 2, one "dojobber: ..." line on stderr naming what is wrong,
// nothing on stdout, and no report file left behind. Malformed option values
// are swept in bad_input_options_test.cc.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

using ::testing::HasSubstr;

class UsageErrors : public ::testing::Test {
 protected:
  // `dojobber run --plugin movie --report <output>/r.json` then `args`.
  ProcessResult Run(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"run", "--plugin", "movie", "--report",
                                    (output_ / "r.json").string()};
    all.insert(all.end(), args.begin(), args.end());
    return RunDojobber(std::move(all));
  }

  void TearDown() override {
    EXPECT_EQ(output_.Entries(), std::vector<std::string>{}) << "left behind by a refused run";
  }

  TempDir output_;
};

TEST_F(UsageErrors, UnknownRoot) {
  EXPECT_TRUE(IsUsageError(Run({"--root", "WatchTV"}), {"'WatchTV'"}));
  EXPECT_TRUE(IsUsageError(RunDojobber({"graph", "--plugin", "movie", "--root", "WatchTV"}),
                           {"'WatchTV'"}));
  EXPECT_TRUE(
      IsUsageError(RunDojobber({"list", "--plugin", "movie", "--root", "WatchTV"}), {"'WatchTV'"}));
}

TEST_F(UsageErrors, ExistingReportIsLeftAsItWas) {
  TempDir dir;
  WriteFile(dir / "r.json", "previous report");
  const ProcessResult result = RunDojobber(
      {"run", "--plugin", "movie", "--root", "WatchTV", "--report", (dir / "r.json").string()});

  EXPECT_TRUE(IsUsageError(result, {"'WatchTV'"}));
  EXPECT_EQ(ReadFile(dir / "r.json"), "previous report");
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{"r.json"});
}

TEST_F(UsageErrors, MissingRoot) { EXPECT_TRUE(IsUsageError(Run({}), {"--root"})); }

TEST_F(UsageErrors, MissingPlugin) {
  EXPECT_TRUE(IsUsageError(
      RunDojobber({"run", "--root", "WatchMovie", "--report", (output_ / "r.json").string()}),
      {"--plugin"}));
}

TEST_F(UsageErrors, UnwritableReportPath) {
  const ProcessResult result = RunDojobber(
      {"run", "--plugin", "movie", "--root", "WatchMovie", "--report", "/nonexistent-dir/r.json"});
  EXPECT_TRUE(IsUsageError(result, {"/nonexistent-dir/r.json"}));
}

TEST_F(UsageErrors, ReportPathIsAFolder) {
  const ProcessResult result = RunDojobber(
      {"run", "--plugin", "movie", "--root", "WatchMovie", "--report", output_.path().string()});
  EXPECT_TRUE(IsUsageError(result, {output_.path().string()}));
}

TEST_F(UsageErrors, UnwritableDotPath) {
  EXPECT_TRUE(IsUsageError(Run({"--root", "WatchMovie", "--dot", "/nonexistent-dir/g.dot"}),
                           {"/nonexistent-dir/g.dot"}));
}

TEST_F(UsageErrors, UnwritableGraphOutputPath) {
  EXPECT_TRUE(
      IsUsageError(RunDojobber({"graph", "--plugin", "movie", "-o", "/nonexistent-dir/g.dot"}),
                   {"/nonexistent-dir/g.dot"}));
}

// The binary says "A subcommand is required" without naming "frob".
TEST_F(UsageErrors, ReportAndDotInOneFile) {
  const std::string path = (output_ / "out").string();
  const std::string other_spelling = (output_ / "." / "out").string();
  const std::string via_parent = (output_ / "missing" / ".." / "out").string();
  // "out" does not exist yet in any of these.
  for (const std::string& dot : {path, other_spelling, via_parent}) {
    EXPECT_TRUE(IsUsageError(RunDojobber({"run", "--plugin", "movie", "--root", "WatchMovie",
                                          "--report", path, "--dot", dot}),
                             {"--report and --dot name the same file", dot}));
  }
  ProcessOptions in_output;
  in_output.cwd = output_.path();
  EXPECT_TRUE(IsUsageError(RunDojobber({"run", "--plugin", "movie", "--root", "WatchMovie",
                                        "--report", "out", "--dot", "./out"},
                                       in_output),
                           {"same file", "./out"}));
}

TEST_F(UsageErrors, ReportAndDotMayShareADevice) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", "movie", "--root", "WatchMovie", "--default-retry-delay", "0",
                   "--report", "/dev/null", "--dot", "/dev/null"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
}

// Out of memory is a one-line error, never an abort: in registration
// ("registration failed: std::bad_alloc", 2) or later ("out of memory", 5).
// The cap is low (400 MB of address space, a third of what the jobs need)
// so that the debug build reaches it in seconds, not in a minute.
TEST(OutOfMemory, IsOneLineAndNoCrash) {
  if (DOJOBBER_SANITIZED) GTEST_SKIP() << "sanitizers need more address space than the cap";
  for (const char* command :
       {"list --plugin synth --arg n=3000000 --root J0",
        "run --plugin synth --arg n=3000000 --root Root --report /dev/null"}) {
    const ProcessResult result = RunProcess(
        {"/bin/sh", "-c",
         "ulimit -v 400000; exec " + DojobberBin().string() + " " + command + " 2>&1 >/dev/null"});
    SCOPED_TRACE(command);
    EXPECT_TRUE(result.exit_code == 2 || result.exit_code == 5) << result.exit_code;
    const std::vector<std::string> lines = Lines(result.out);  // Its stderr.
    ASSERT_EQ(lines.size(), 1u) << result.out;
    EXPECT_TRUE(lines[0] == "dojobber: out of memory" || lines[0].ends_with("std::bad_alloc"))
        << lines[0];
  }
}

TEST_F(UsageErrors, UnknownSubcommandIsNamed) {
  EXPECT_TRUE(IsUsageError(RunDojobber({"frob", "--plugin", "movie"}), {"frob"}));
}

TEST_F(UsageErrors, UnknownSubcommandIsRefused) {
  EXPECT_TRUE(IsUsageError(RunDojobber({"frob"}), {"subcommand"}));
}

TEST_F(UsageErrors, NoSubcommand) { EXPECT_TRUE(IsUsageError(RunDojobber({}), {"subcommand"})); }

TEST_F(UsageErrors, UnknownOption) {
  EXPECT_TRUE(IsUsageError(Run({"--root", "WatchMovie", "--frobnicate"}), {"--frobnicate"}));
}

TEST_F(UsageErrors, RunOnlyOptionOnGraph) {
  EXPECT_TRUE(IsUsageError(RunDojobber({"graph", "--plugin", "movie", "--no-act"}), {"--no-act"}));
}

TEST_F(UsageErrors, HelpIsNotAnError) {
  const ProcessResult result = RunDojobber({"run", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("--default-retry-delay"));
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace dojobber::e2e
