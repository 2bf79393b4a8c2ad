// How `--plugin` values find their file: a value with a '/' is a path; any
// other value is a name looked up in DOJOBBER_PLUGIN_PATH, then in the
// bundled plugin folder, and never in the working directory.

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

// `dojobber list --plugin <plugin>`.
ProcessResult List(const std::string& plugin, ProcessOptions options = {}) {
  return RunDojobber({"list", "--plugin", plugin}, std::move(options));
}

ProcessOptions InDir(const fs::path& dir) {
  ProcessOptions options;
  options.cwd = dir;
  return options;
}

ProcessOptions WithPluginPath(const std::string& path) {
  ProcessOptions options;
  options.env["DOJOBBER_PLUGIN_PATH"] = path;
  return options;
}

TEST(PluginLookup, FindsTheBundledPluginByName) {
  const ProcessResult result = List("movie");

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\nWatchMovie "));
}

TEST(PluginLookup, FindsTheBundledPluginByFileName) {
  const ProcessResult result = List("movie.so");

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, List("movie").out);
}

TEST(PluginLookup, LoadsAnAbsolutePath) {
  const ProcessResult result = List(MoviePlugin().string());

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, List("movie").out);
}

TEST(PluginLookup, LoadsARelativePathFromTheWorkingDirectory) {
  const ProcessResult result = List("./movie.so", InDir(MoviePlugin().parent_path()));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, List("movie").out);
}

TEST(PluginLookup, RunsFromAnyWorkingDirectory) {
  TempDir dir;
  for (const fs::path& cwd : {fs::path("/"), dir.path()}) {
    const ProcessResult result = RunMovie("WatchMovie", {}, InDir(cwd));
    EXPECT_EQ(result.exit_code, 1) << cwd << ": " << result.err;
    EXPECT_THAT(result.out, HasSubstr("Result: FAILED (partial success)\n")) << cwd;
  }
}

TEST(PluginLookup, SearchesPluginPathBeforeTheBundledFolder) {
  TempDir dir;
  // A different plugin under the bundled plugin's name.
  fs::copy_file(TestPlugin("sdk_sample"), dir / "movie.so");
  const ProcessResult result = List("movie", WithPluginPath(dir.path().string()));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\nParty "));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("WatchMovie")));
}

TEST(PluginLookup, SearchesEveryFolderOfPluginPathInOrder) {
  TempDir empty;
  const std::string test_plugins = TestPlugin("sdk_sample").parent_path().string();
  const ProcessResult result =
      List("sdk_sample",
           WithPluginPath("/nonexistent-dir::" + empty.path().string() + ":" + test_plugins));

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\nParty "));
  // The bundled folder is still searched after DOJOBBER_PLUGIN_PATH.
  EXPECT_EQ(List("movie", WithPluginPath(empty.path().string())).exit_code, 0);
}

TEST(PluginLookup, NeverLooksUpABareNameInTheWorkingDirectory) {
  TempDir dir;
  fs::copy_file(TestPlugin("sdk_sample"), dir / "sdk_sample.so");

  for (const std::string name : {"sdk_sample", "sdk_sample.so"}) {
    const ProcessResult result = List(name, InDir(dir.path()));
    EXPECT_TRUE(IsUsageError(result, {"'" + name + "'", "not found"}));
  }
  // As a path, the same file loads.
  EXPECT_EQ(List("./sdk_sample.so", InDir(dir.path())).exit_code, 0);
}

TEST(PluginLookup, LoadsSeveralPluginsIntoOneGraph) {
  const ProcessResult result =
      RunDojobber({"run", "--plugin", "movie", "--plugin", TestPlugin("report_jobs").string(),
                   "--root", "Echo", "--default-retry-delay", "0"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("1 job: 0 ok, 1 changed, 0 failed, 0 blocked in "));
}

}  // namespace
}  // namespace dojobber::e2e
