#include "core/process_executor.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>

#include "core/fork_server.h"
#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::CheckThat;
using testing::Harness;
using Lines = std::vector<std::string>;

// Each try, and each cleanup, in a process of its own.
RunResult RunIsolated(Harness& h, std::string_view root, RunOptions options = {}) {
  h.executor = MakeIsolatedExecutor();
  return h.Run(root, options);
}

[[noreturn]] void Crash(int signal) {
  ::signal(signal, SIG_DFL);
  ::raise(signal);
  ::_exit(99);
}

TEST(ProcessExecutorTest, ACrashFailsOnlyItsTryWithTheCause) {
  Harness h;
  h.Add("Root").Deps({"Crashes", "Fine"});
  h.Add("Crashes", {[](Context&) { Crash(SIGSEGV); }, {}, {}}).Tries(2);
  h.Add("Fine");
  RunResult result = RunIsolated(h, "Root");
  ASSERT_FALSE(h.failure) << *h.failure;
  EXPECT_EQ(h.Job(result, "Crashes").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Crashes").tries, 2);
  EXPECT_EQ(h.Job(result, "Crashes").error, "killed by signal SIGSEGV");
  EXPECT_EQ(h.Job(result, "Fine").status, JobStatus::kOk);
  EXPECT_EQ(h.Job(result, "Root").status, JobStatus::kBlocked);
  EXPECT_EQ(h.observer.lines(),
            (Lines{"Crashes.check: fail", "Fine.check: pass", "Crashes.check: fail"}));
}

TEST(ProcessExecutorTest, ACrashInRunFailsTheRunPhase) {
  Harness h;
  h.Add("Dies", {CheckThat([](Context&) { return false; }), [](Context&) { ::_exit(3); }, {}})
      .Tries(1);
  RunResult result = RunIsolated(h, "Dies");
  EXPECT_EQ(h.Job(result, "Dies").error, "exited with status 3");
  EXPECT_EQ(h.observer.lines(), (Lines{"Dies.check: fail", "Dies.run: fail"}));
}

TEST(ProcessExecutorTest, OutcomeResultAndGlobalChangesComeBack) {
  Harness run;
  run.Add("Root").Deps({"Writer"});
  run.Add("Writer", {CheckThat([](Context& c) { return c.global().Contains("written"); }),
                     [](Context& c) {
                       c.global().Set("written", 1);
                       c.global().Erase("old");
                       c.SetResult({{"wrote", true}});
                     },
                     {}});
  auto graph = run.Build("Root");
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor();
  Engine engine(*graph, {}, &run.clock, &run.observer, executor.get());
  engine.global().Set("old", "gone soon");
  engine.global().Set("kept", "stays");
  RunResult result = engine.Run();
  const JobReport& writer = result.jobs[*graph->Find("Writer")];
  EXPECT_EQ(writer.status, JobStatus::kChanged);
  EXPECT_EQ(writer.result, (nlohmann::json{{"wrote", true}}));
  EXPECT_EQ(engine.global().Snapshot(), (nlohmann::json{{"written", 1}, {"kept", "stays"}}));
}

TEST(ProcessExecutorTest, CleanupRunsInAChildWithTheTrysLocalStorage) {
  Harness h;
  h.Add("Job", {CheckThat([](Context& c) { return c.is_recheck(); }),
                [](Context& c) { c.local()["made"] = "tmp-42"; },
                [](Context& c) {
                  c.global().Set("cleaned", c.local().value("made", std::string("nothing")));
                  c.log() << "cleaned " << c.local().value("made", std::string()) << '\n';
                }});
  auto graph = h.Build("Job");
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor();
  Engine engine(*graph, {}, &h.clock, &h.observer, executor.get());
  RunResult result = engine.Run();
  ASSERT_TRUE(result.cleanup);
  EXPECT_EQ(result.cleanup->ran, 1u);
  EXPECT_TRUE(result.cleanup->ok());
  EXPECT_EQ(engine.global().Get("cleaned"), "tmp-42");
  EXPECT_EQ(h.observer.logs(), (Lines{"Job: cleaned tmp-42"}));
  EXPECT_EQ(h.observer.lines().back(), "Job.cleanup: pass");
}

TEST(ProcessExecutorTest, LogLinesAndPrintedLinesComeBackWhole) {
  Harness h;
  h.Add("Talks", {[](Context& c) {
                    c.log() << "via log" << '\n';
                    std::printf("via printf\n");
                  },
                  {},
                  {}});
  RunIsolated(h, "Talks");
  EXPECT_EQ(h.observer.logs(), (Lines{"Talks: via log", "Talks: via printf"}));
}

TEST(ProcessExecutorTest, AHangIsKilledAtTheTimeout) {
  Harness h;
  h.Add("Hangs", {[](Context&) {
                    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
                  },
                  {},
                  {}})
      .Tries(1)
      .Timeout(0.2);
  RunResult result = RunIsolated(h, "Hangs");
  EXPECT_EQ(h.Job(result, "Hangs").error, "timed out after 0.2 s");
}

// The object was made before the child died in its first Check: the try is
// owed its Cleanup, with empty local storage.
TEST(ProcessExecutorTest, ATryThatDiesInItsFirstCheckIsStillCleanedUp) {
  Harness h;
  h.Add("Dies", {[](Context&) { Crash(SIGABRT); },
                 {},
                 [](Context& c) { c.global().Set("cleaned", c.local()); }})
      .Tries(2);
  auto graph = h.Build("Dies");
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor();
  Engine engine(*graph, {}, &h.clock, &h.observer, executor.get());
  RunResult result = engine.Run();
  EXPECT_EQ(result.jobs[0].error, "killed by signal SIGABRT");
  ASSERT_TRUE(result.cleanup);
  EXPECT_EQ(result.cleanup->ran, 2u);
  EXPECT_EQ(engine.global().Get("cleaned"), nlohmann::json::object());
  EXPECT_EQ(h.observer.lines(), (Lines{"Dies.check: fail", "Dies.check: fail", "Dies.cleanup: pass",
                                       "Dies.cleanup: pass"}));
}

TEST(ProcessExecutorTest, AnExceptionIsReportedAsInProcess) {
  Harness h;
  h.Add("Throws", {[](Context&) { throw 7; }, {}, {}}).Tries(1);
  RunResult result = RunIsolated(h, "Throws");
  EXPECT_EQ(h.Job(result, "Throws").error, "exception of type 'int'");
  EXPECT_EQ(h.observer.lines(), (Lines{"Throws.check: fail", "Throws.run: pass",
                                       "Throws.recheck: fail \"exception of type 'int'\""}));
}

}  // namespace
}  // namespace dojobber::core
