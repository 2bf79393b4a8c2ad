// The test kit (<dojobber/testing.h>) on jobs registered by the test itself:
// retry delays on the fake clock, dry run, the trace, results and storage,
// what it refuses, and what a timeout means under the fake clock.

#include <dojobber/dojobber.h>
#include <dojobber/testing.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

/// Comes up at its 5th start: each Run counts a start in global storage.
class SlowService : public Job {
 public:
  void Check(Context& ctx) override {
    if (ctx.global().Value<std::int64_t>("starts", 0) < 5) throw Error("not up yet");
  }
  void Run(Context& ctx) override { ctx.global().Add("starts", 1); }
};

/// Five tries, a minute apart: four minutes of waiting.
JobSource SlowServiceJobs() {
  return JobSource::Function(
      [](Registry& registry) { registry.Add<SlowService>("SlowService").Tries(5).RetryDelay(60); });
}

/// Five tries, the delays left to the run's defaults.
JobSource SlowServiceJobs5Tries() {
  return JobSource::Function(
      [](Registry& registry) { registry.Add<SlowService>("SlowService").Tries(5); });
}

TEST(TestKit, WaitsOutFiveTriesSixtySecondsApartOnTheFakeClock) {
  // On the real clock this run would take four minutes, twice the test's
  // time limit (ctest TIMEOUT 120): finishing at all shows the fake clock.
  const RunResult run = RunGraph(SlowServiceJobs(), {.roots = {"SlowService"}});
  ASSERT_FALSE(run.error) << *run.error;
  const JobResult& service = run.job("SlowService");
  EXPECT_EQ(service.status, Status::kChanged);
  EXPECT_EQ(service.tries, 5);
  EXPECT_EQ(service.error, std::nullopt);
  EXPECT_TRUE(run.success);
  // Each try starts 60 fake seconds after the one before; tries take no time.
  EXPECT_EQ(service.start_s, 0);
  EXPECT_EQ(service.end_s, 240);
  EXPECT_EQ(run.seconds, 240);
  EXPECT_EQ(run.global["starts"], 5);
}

TEST(TestKit, WaitsOutRetryDelaysOnTheFakeClockWithSeveralWorkers) {
  const RunResult run = RunGraph(SlowServiceJobs(), {.roots = {"SlowService"}, .jobs = 4});
  ASSERT_FALSE(run.error) << *run.error;
  EXPECT_EQ(run.job("SlowService").status, Status::kChanged);
  EXPECT_EQ(run.job("SlowService").tries, 5);
  EXPECT_EQ(run.seconds, 240);
}

TEST(TestKit, ReportsAJobThatRunsOutOfTries) {
  const RunResult three =
      RunGraph(JobSource::Function([](Registry& registry) {
                 registry.Add<SlowService>("SlowService").Tries(3).RetryDelay(60);
               }),
               {.roots = {"SlowService"}});
  // The 5th start is never reached: the last recheck's message is the error.
  const JobResult& service = three.job("SlowService");
  EXPECT_EQ(service.status, Status::kFailed);
  EXPECT_EQ(service.tries, 3);
  EXPECT_EQ(service.error, "not up yet");
  EXPECT_FALSE(three.success);
  EXPECT_EQ(three.seconds, 120);
}

TEST(TestKit, GivesEachTryWithBackoffReadBackFromItsStart) {
  // Delays of 10 s, doubled after each try and capped at 30 s: 10, 20, 30, 30.
  const RunResult run = RunGraph(SlowServiceJobs5Tries(), {.roots = {"SlowService"},
                                                           .default_retry_delay = 10,
                                                           .default_retry_backoff = 2,
                                                           .default_retry_max_delay = 30});
  ASSERT_FALSE(run.error) << *run.error;
  const JobResult& service = run.job("SlowService");
  ASSERT_EQ(service.history.size(), 5u);
  std::vector<double> starts;
  for (std::size_t i = 0; i < service.history.size(); ++i) {
    EXPECT_EQ(service.history[i].try_number, static_cast<int>(i) + 1);
    starts.push_back(service.history[i].start_s);
  }
  EXPECT_THAT(starts, ElementsAre(0, 10, 30, 60, 90));
  EXPECT_EQ(service.history[0].error, "not up yet");
  EXPECT_EQ(service.history[4].error, std::nullopt);
}

std::vector<double> JitteredStarts(std::uint64_t seed) {
  const RunResult run = RunGraph(SlowServiceJobs5Tries(), {.roots = {"SlowService"},
                                                           .default_retry_delay = 10,
                                                           .default_retry_jitter = 0.5,
                                                           .seed = seed});
  std::vector<double> starts;
  for (const TryResult& attempt : run.job("SlowService").history) starts.push_back(attempt.start_s);
  return starts;
}

TEST(TestKit, DrawsTheJitterFromTheSeedGiven) {
  const std::vector<double> seven = JitteredStarts(7);
  ASSERT_EQ(seven.size(), 5u);
  EXPECT_EQ(JitteredStarts(7), seven);  // The same seed, the same delays.
  EXPECT_NE(JitteredStarts(8), seven);
  for (std::size_t i = 1; i < seven.size(); ++i) {
    EXPECT_GE(seven[i] - seven[i - 1], 5) << i;  // 10 s spread over [5, 15]
    EXPECT_LE(seven[i] - seven[i - 1], 15) << i;
  }
}

/// Run throws; the recheck then fails with its own message.
class BrokenInstall : public Job {
 public:
  void Check(Context&) override { throw Error("not installed"); }
  void Run(Context&) override { throw Error("cannot reach the mirror"); }
};

/// Its Check can never pass: a malformed setting.
class Misconfigured : public Job {
 public:
  void Check(Context&) override { throw Fatal("port 'http' is not a number"); }
  void Run(Context&) override {}
};

TEST(TestKit, GivesRunsErrorBesideTheRechecksAndMarksFatalFailures) {
  const RunResult run = RunGraph(JobSource::Function([](Registry& registry) {
                                   registry.Add<BrokenInstall>("BrokenInstall").Tries(2);
                                   registry.Add<Misconfigured>("Misconfigured").Tries(5);
                                 }),
                                 {.default_retry_delay = 60});
  ASSERT_FALSE(run.error) << *run.error;
  const JobResult& install = run.job("BrokenInstall");
  EXPECT_EQ(install.error, "not installed");
  EXPECT_EQ(install.run_error, "cannot reach the mirror");
  EXPECT_FALSE(install.fatal);
  ASSERT_EQ(install.history.size(), 2u);
  EXPECT_EQ(install.history[0].run_error, "cannot reach the mirror");
  const JobResult& misconfigured = run.job("Misconfigured");
  EXPECT_EQ(misconfigured.status, Status::kFailed);
  EXPECT_EQ(misconfigured.tries, 1);  // Not 5: no retry mends it.
  EXPECT_TRUE(misconfigured.fatal);
  EXPECT_EQ(misconfigured.error, "port 'http' is not a number");
  EXPECT_EQ(misconfigured.run_error, std::nullopt);
}

/// Writes a file in Run; its Check passes once the file is there.
class MakeFile : public Job {
 public:
  void Check(Context& ctx) override {
    if (!std::filesystem::exists(ctx.args().GetString("file"))) throw Error("no file yet");
    ctx.SetResult({{"file", ctx.args().GetString("file")}});
  }
  void Run(Context& ctx) override {
    ctx.log() << "making " << ctx.args().GetString("file") << '\n';
    e2e::WriteFile(ctx.args().GetString("file"), "made\n");
    ctx.global().Set("made", true);
  }
};

class Done : public DummyJob {};

JobSource FileJobs() {
  return JobSource::Function([](Registry& registry) {
    registry.Add<MakeFile>("MakeFile");
    registry.Add<Done>("Done").Deps({"MakeFile"});
  });
}

TEST(TestKit, TracesAsVerboseDoes) {
  e2e::TempDir dir;
  const std::string file = (dir / "f").string();
  const RunResult run = RunGraph(FileJobs(), {.roots = {"Done"}, .args = {{"file", file}}});
  ASSERT_FALSE(run.error) << *run.error;
  // The trace format of `dojobber run -v` (core/trace_writer.h), job log
  // lines included where the job wrote them.
  EXPECT_THAT(run.trace,
              ElementsAre("MakeFile.check: fail", "[MakeFile] making " + file, "MakeFile.run: pass",
                          "MakeFile.recheck: pass", "Done.check: pass"));
  EXPECT_EQ(run.job("MakeFile").status, Status::kChanged);
  EXPECT_EQ(run.job("MakeFile").result, nlohmann::json({{"file", file}}));
  EXPECT_EQ(run.job("Done").status, Status::kOk);
  EXPECT_EQ(run.global, nlohmann::json({{"made", true}}));
  EXPECT_EQ(e2e::ReadFile(file), "made\n");

  const RunResult again = RunGraph(FileJobs(), {.roots = {"Done"}, .args = {{"file", file}}});
  EXPECT_THAT(again.trace, ElementsAre("MakeFile.check: pass", "Done.check: pass"));
  EXPECT_EQ(again.job("MakeFile").status, Status::kOk);
  EXPECT_EQ(again.global, nlohmann::json::object());  // Each run has its own.
}

TEST(TestKit, DebugAddsEachFailuresTypeAndMessage) {
  const RunResult run = RunGraph(SlowServiceJobs(), {.roots = {"SlowService"}, .debug = true});
  ASSERT_GE(run.trace.size(), 4u);
  EXPECT_THAT(std::vector<std::string>(run.trace.begin(), run.trace.begin() + 4),
              ElementsAre("SlowService.check: fail", "    dojobber::Error: not up yet",
                          "SlowService.run: pass", "SlowService.recheck: fail \"not up yet\""));
}

TEST(TestKit, DryRunOnlyChecks) {
  e2e::TempDir dir;
  const std::string file = (dir / "f").string();
  const RunResult run =
      RunGraph(FileJobs(), {.roots = {"Done"}, .args = {{"file", file}}, .dry_run = true});
  ASSERT_FALSE(run.error) << *run.error;
  EXPECT_THAT(run.trace, ElementsAre("MakeFile.check: fail"));
  EXPECT_EQ(run.job("MakeFile").status, Status::kFailed);
  EXPECT_EQ(run.job("MakeFile").tries, 1);  // A dry run makes one try.
  EXPECT_EQ(run.job("MakeFile").error, "no file yet");
  EXPECT_EQ(run.job("Done").status, Status::kBlocked);
  EXPECT_EQ(run.job("Done").tries, 0);
  EXPECT_THAT(run.job("Done").blocked_by, ElementsAre("MakeFile"));
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_EQ(run.global, nlohmann::json::object());
}

TEST(TestKit, PassesPositionalArgumentsAndMakesJobsFromArguments) {
  const JobSource per_word = JobSource::Function([](Registry& registry) {
    for (const std::string& word : registry.args().positional()) {
      registry.Add("Say " + word, [] { return std::make_unique<Done>(); });
    }
  });
  const RunResult run = RunGraph(per_word, {.positional = {"hi", "there"}});
  ASSERT_FALSE(run.error) << *run.error;
  ASSERT_EQ(run.jobs.size(), 2u);
  EXPECT_EQ(run.jobs[0].name, "Say hi");
  EXPECT_EQ(run.jobs[1].name, "Say there");
}

/// Sleeps far past its time limit.
class Sleepy : public Job {
 public:
  void Check(Context& ctx) override {
    if (!ctx.local().contains("slept")) throw Error("not slept yet");
  }
  void Run(Context& ctx) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ctx.local()["slept"] = true;
  }
};

TEST(TestKit, DoesNotEnforceTimeoutsOnTheFakeClock) {
  // Run takes 50 ms of real time against a 1 ms limit; on the fake clock it
  // takes none, so it is never timed out.
  const RunResult run = RunGraph(JobSource::Function([](Registry& registry) {
                                   registry.Add<Sleepy>("Sleepy").Timeout(0.001).Tries(1);
                                 }),
                                 {.roots = {"Sleepy"}});
  ASSERT_FALSE(run.error) << *run.error;
  EXPECT_EQ(run.job("Sleepy").status, Status::kChanged);
  EXPECT_EQ(run.job("Sleepy").error, std::nullopt);
}

TEST(TestKit, RefusesWhatTheCommandLineRefuses) {
  const RunResult unknown_root = RunGraph(FileJobs(), {.roots = {"Nope"}});
  ASSERT_TRUE(unknown_root.error);
  EXPECT_THAT(*unknown_root.error, HasSubstr("Nope"));
  EXPECT_TRUE(unknown_root.jobs.empty());
  EXPECT_FALSE(unknown_root.success);
  EXPECT_THROW((void)unknown_root.job("MakeFile"), std::out_of_range);

  const RunResult bad_timeout = RunGraph(
      JobSource::Function([](Registry& registry) { registry.Add<Done>("Done").Timeout(-1); }), {});
  ASSERT_TRUE(bad_timeout.error);
  EXPECT_THAT(*bad_timeout.error, HasSubstr("timeout"));

  const RunResult no_tries = RunGraph(FileJobs(), {.default_tries = 0});
  ASSERT_TRUE(no_tries.error);
  EXPECT_THAT(*no_tries.error, HasSubstr("tries must be at least 1"));

  const RunResult no_workers = RunGraph(FileJobs(), {.jobs = 0});
  EXPECT_EQ(no_workers.error, "-j 0: must be at least 1");

  const RunResult throws =
      RunGraph(JobSource::Function([](Registry&) { throw Error("boom"); }), {});
  EXPECT_EQ(throws.error, "the test's registration function: registration failed: boom");

  const JobSource declares = JobSource::Function([](Registry& registry) {
    registry.Declare(Param::Int("port").Default(8080).Help("where to listen"));
    registry.Declare(Param::String("host").Required().Help("the host"));
    registry.Add<Done>("Done");
  });
  const RunResult typo = RunGraph(declares, {.args = {{"host", "h"}, {"prot", "1"}}});
  ASSERT_TRUE(typo.error);
  EXPECT_THAT(*typo.error, HasSubstr("did you mean 'port'?"));
  const RunResult no_host = RunGraph(declares, {});
  ASSERT_TRUE(no_host.error);
  EXPECT_THAT(*no_host.error, HasSubstr("argument 'host' is required"));
  const RunResult bad_port = RunGraph(declares, {.args = {{"host", "h"}, {"port", "x"}}});
  ASSERT_TRUE(bad_port.error);
  EXPECT_THAT(*bad_port.error, HasSubstr("port"));
  EXPECT_TRUE(RunGraph(declares, {.args = {{"host", "h"}}}).success);

  const std::filesystem::path missing = "/nonexistent/none.so";
  EXPECT_EQ(RunGraph(JobSource::Plugin(missing), {}).error,
            "plugin /nonexistent/none.so: no such file");
}

TEST(TestKit, SaysWhenNoPluginIsLinkedIntoTheProgram) {
  // This program compiles no DOJOBBER_PLUGIN in (tests/testing/movie_test.cc's does).
  const RunResult run = RunGraph(JobSource::Linked(), {});
  ASSERT_TRUE(run.error);
  EXPECT_THAT(*run.error, HasSubstr("no plugin is linked into this program"));
}

TEST(TestKit, JoinsSeveralSourcesIntoOneGraph) {
  const JobSource more = JobSource::Function(
      [](Registry& registry) { registry.Add<Done>("AfterMovie").Deps({"WatchMovie"}); });
  const RunResult run = RunGraph(
      {JobSource::Plugin(e2e::MoviePlugin()), more},
      {.roots = {"AfterMovie"}, .args = {{"battery_state", "charged"}, {"couch_space", "true"}}});
  ASSERT_FALSE(run.error) << *run.error;
  EXPECT_EQ(run.jobs.back().name, "AfterMovie");
  EXPECT_EQ(run.job("AfterMovie").status, Status::kOk);
  EXPECT_EQ(run.job("WatchMovie").status, Status::kOk);

  const JobSource duplicate =
      JobSource::Function([](Registry& registry) { registry.Add<Done>("Popcorn"); });
  const RunResult twice = RunGraph({JobSource::Plugin(e2e::MoviePlugin()), duplicate}, {});
  ASSERT_TRUE(twice.error);
  EXPECT_THAT(*twice.error, HasSubstr("duplicate job name 'Popcorn'"));
}

/// Its Cleanup always throws.
class BadCleanup : public Job {
 public:
  void Check(Context&) override {}
  void Run(Context&) override {}
  void Cleanup(Context&) override { throw Error("cannot clean"); }
};

TEST(TestKit, ReportsACleanupThatFailed) {
  const JobSource jobs =
      JobSource::Function([](Registry& registry) { registry.Add<BadCleanup>("BadCleanup"); });
  const RunResult run = RunGraph(jobs, {.roots = {"BadCleanup"}});
  ASSERT_TRUE(run.cleanup_failure);
  EXPECT_EQ(run.cleanup_failure->job, "BadCleanup");
  EXPECT_EQ(run.cleanup_failure->try_number, 1);
  EXPECT_EQ(run.cleanup_failure->error, "cannot clean");
  EXPECT_THAT(run.trace,
              ElementsAre("BadCleanup.check: pass", "BadCleanup.cleanup: fail \"cannot clean\""));

  const RunResult without = RunGraph(jobs, {.roots = {"BadCleanup"}, .cleanup = false});
  EXPECT_FALSE(without.cleanup_failure);
  EXPECT_THAT(without.trace, ElementsAre("BadCleanup.check: pass"));
}

}  // namespace
}  // namespace dojobber::testing
