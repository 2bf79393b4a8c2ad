// Tests of the hello plugin (../hello_plugin/hello.cc, compiled into this
// test program), run by the dojobber test kit of an installed dojobber.

#include <dojobber/testing.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;
using dojobber::testing::JobSource;
using dojobber::testing::RunGraph;
using dojobber::testing::RunResult;
using dojobber::testing::Status;

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class HelloTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "hello-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    prefix_ = pattern;
  }
  void TearDown() override { fs::remove_all(prefix_); }

  fs::path prefix_;
};

TEST_F(HelloTest, DeploysThenChangesNothing) {
  const dojobber::Arguments::Keywords args = {
      {"prefix", prefix_.string()}, {"greeting", "Hi"}, {"users", "ann"}};
  const RunResult first = RunGraph(JobSource::Linked(), {.roots = {"Deploy"}, .args = args});
  ASSERT_FALSE(first.error) << *first.error;
  EXPECT_TRUE(first.success);
  EXPECT_EQ(first.job("HelloConfig").status, Status::kChanged);
  EXPECT_EQ(first.job("HelloUser ann").status, Status::kChanged);
  EXPECT_EQ(first.job("Deploy").status, Status::kOk);
  EXPECT_EQ(Read(prefix_ / "hello" / "users" / "ann"), "Hi, ann!\n");
  const std::vector<std::string>& trace = first.trace;
  EXPECT_NE(std::find(trace.begin(), trace.end(), "[HelloService] restarting hello"), trace.end());

  const RunResult again = RunGraph(JobSource::Linked(), {.roots = {"Deploy"}, .args = args});
  for (const dojobber::testing::JobResult& job : again.jobs) {
    EXPECT_EQ(job.status, Status::kOk) << job.name;
  }
}

TEST_F(HelloTest, RetriesFiveTimesAMinuteApartOnTheFakeClock) {
  // Without `prefix` every try of HelloDir fails. Five tries 60 s apart
  // would take four minutes, more than this test may take (ctest TIMEOUT):
  // only the fake clock lets it end.
  const RunResult run = RunGraph(
      JobSource::Linked(), {.roots = {"Deploy"}, .default_tries = 5, .default_retry_delay = 60});
  ASSERT_FALSE(run.error) << *run.error;
  const dojobber::testing::JobResult& dir = run.job("HelloDir");
  EXPECT_EQ(dir.status, Status::kFailed);
  EXPECT_EQ(dir.tries, 5);
  EXPECT_EQ(dir.error, "argument 'prefix' is required (--arg prefix=VALUE)");
  EXPECT_EQ(dir.end_s, 240);
  EXPECT_EQ(run.job("Deploy").status, Status::kBlocked);
  EXPECT_EQ(run.job("Deploy").blocked_by, std::vector<std::string>{"HelloDir"});
}

TEST_F(HelloTest, DryRunChangesNothing) {
  const RunResult run =
      RunGraph(JobSource::Linked(),
               {.roots = {"Deploy"}, .args = {{"prefix", prefix_.string()}}, .dry_run = true});
  EXPECT_EQ(run.job("HelloDir").status, Status::kFailed);
  EXPECT_EQ(run.trace, std::vector<std::string>{"HelloDir.check: fail"});
  EXPECT_FALSE(fs::exists(prefix_ / "hello"));
}

}  // namespace
