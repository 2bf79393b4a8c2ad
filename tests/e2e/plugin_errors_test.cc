// Plugins that cannot be used (bad plugin files: bad_input_plugins_test.cc):
// each refuses the run before anything executes, with exit status 2, one "dojobber: ..." line on
// stderr naming the file and the cause, nothing on stdout, and no report or DOT file left behind.

#include <filesystem>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class PluginErrors : public ::testing::Test {
 protected:
  // `dojobber run` with `plugins`, writing a report and a DOT file into an
  // output folder that must stay empty.
  ProcessResult Run(const std::vector<std::string>& plugins) {
    std::vector<std::string> args = {"run"};
    for (const std::string& plugin : plugins) {
      args.push_back("--plugin");
      args.push_back(plugin);
    }
    args.insert(args.end(), {"--root", "WatchMovie", "--default-retry-delay", "0", "--report",
                             (output_ / "r.json").string(), "--dot", (output_ / "g.dot").string()});
    return RunDojobber(std::move(args));
  }

  void TearDown() override {
    EXPECT_EQ(output_.Entries(), std::vector<std::string>{}) << "left behind by a refused run";
  }

  TempDir output_;
};

TEST_F(PluginErrors, UnknownName) {
  const ProcessResult result = Run({"no_such_plugin"});
  EXPECT_TRUE(IsUsageError(result, {"'no_such_plugin'", "not found", "no_such_plugin.so"}));
  // It says where it looked: the bundled plugin folder.
  EXPECT_THAT(result.err, HasSubstr(MoviePlugin().parent_path().filename().string()));
}

TEST_F(PluginErrors, EmptyValue) { EXPECT_TRUE(IsUsageError(Run({""}), {"--plugin"})); }

TEST_F(PluginErrors, ExecutableCannotBeLoaded) {
  const std::string path = fs::read_symlink("/proc/self/exe").string();
  EXPECT_TRUE(IsUsageError(Run({path}), {path}));
}

TEST_F(PluginErrors, RegistrationRejectingItsArguments) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", "movie", "--root", "WatchMovie", "--arg", "friends=nobody",
                   "--report", (output_ / "r.json").string()});
  EXPECT_TRUE(IsUsageError(result, {MoviePlugin().string(), "'friends'", "nobody"}));
}

TEST_F(PluginErrors, SameJobNameFromTwoPlugins) {
  const std::string dup = TestPlugin("dup_movie_job").string();
  EXPECT_TRUE(IsUsageError(Run({"movie", dup}), {"'TurnOnTV'", MoviePlugin().string(), dup}));
  EXPECT_TRUE(IsUsageError(Run({dup, "movie"}), {"'TurnOnTV'", MoviePlugin().string(), dup}));
}

TEST_F(PluginErrors, SamePluginGivenTwice) {
  EXPECT_TRUE(IsUsageError(Run({"movie", "movie"}), {MoviePlugin().string(), "twice"}));
  EXPECT_TRUE(IsUsageError(Run({"movie", MoviePlugin().string()}), {"movie.so", "twice"}));
}

TEST_F(PluginErrors, GraphAndListRefuseTheSameWay) {
  const std::string path = TestPlugin("bad_abi").string();
  for (const char* command : {"graph", "list"}) {
    EXPECT_TRUE(IsUsageError(RunDojobber({command, "--plugin", path}), {path, "ABI"})) << command;
  }
  const std::string dup = TestPlugin("dup_movie_job").string();
  EXPECT_TRUE(IsUsageError(RunDojobber({"graph", "--plugin", "movie", "--plugin", dup, "-o",
                                        (output_ / "g.dot").string()}),
                           {"'TurnOnTV'", dup}));
}

}  // namespace
}  // namespace dojobber::e2e
