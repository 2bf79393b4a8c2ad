#include "core/process_executor.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/fork_server.h"
#include "core/global_storage.h"
#include "core/wire.h"
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
  EXPECT_FALSE(h.Job(result, "Crashes").failed_by_check) << "a crash is no Check's verdict";
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
  EXPECT_TRUE(h.Job(result, "Throws").failed_by_check) << "the recheck's verdict came back";
  EXPECT_EQ(h.observer.lines(), (Lines{"Throws.check: fail", "Throws.run: pass",
                                       "Throws.recheck: fail \"exception of type 'int'\""}));
}

// Outcomes of any size come back whole: each part past the 64 KiB that the
// old line-framed channel carried.
TEST(ProcessExecutorTest, OutcomesLargerThanAPipeComeBackWhole) {
  const std::string big(3 * 1024 * 1024, 'x');
  Harness h;
  h.Add("Root").Deps({"Big", "BigError"});
  h.Add("Big", {CheckThat([](Context& c) { return c.is_recheck(); }),
                [&](Context& c) {
                  c.SetResult(big);
                  c.local()["kept"] = big;
                  c.global().Set("shared", big);
                  c.log() << big << '\n';
                },
                [&](Context& c) { c.global().Set("cleaned", c.local()["kept"] == big); }});
  h.Add("BigError", {[&](Context&) { throw Error(big); }, {}, {}}).Tries(1);
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor();
  Engine engine(*graph, {}, &h.clock, &h.observer, executor.get());
  RunResult result = engine.Run();
  const JobReport& job = result.jobs[*graph->Find("Big")];
  EXPECT_EQ(job.status, JobStatus::kChanged) << job.error.value_or("");
  EXPECT_EQ(job.result, big);
  EXPECT_EQ(result.jobs[*graph->Find("BigError")].error, big);
  EXPECT_EQ(engine.global().Get("shared"), big);
  EXPECT_EQ(engine.global().Get("cleaned"), true);
  EXPECT_EQ(h.observer.logs(), (Lines{"Big: " + big}));
}

// Strings are bytes: whatever a job stores comes back byte for byte.
TEST(ProcessExecutorTest, BytesThatAreNotUtf8SurviveEveryWay) {
  static constexpr char kBytes[] = "/tmp/\xff\xfe\x80 \xc3\x28 \0 end";
  const std::string bytes(kBytes, sizeof kBytes - 1);
  Harness h;
  h.Add("Root").Deps({"Writes"});
  h.Add("Writes", {CheckThat([](Context& c) { return c.is_recheck(); }),
                   [&](Context& c) {
                     c.local()[bytes] = bytes;
                     c.global().Set(bytes, bytes);
                     c.SetResult(bytes);
                   },
                   [&](Context& c) {
                     c.global().Set("cleanup saw", c.local().value(bytes, std::string()));
                   }});
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor();
  Engine engine(*graph, {}, &h.clock, &h.observer, executor.get());
  RunResult result = engine.Run();
  EXPECT_EQ(result.jobs[*graph->Find("Writes")].result.get<std::string>(), bytes);
  EXPECT_EQ(engine.global().Get(bytes).get<std::string>(), bytes);
  EXPECT_EQ(engine.global().Get("cleanup saw").get<std::string>(), bytes);
}

// Every Add and Update is one atomic step on the orchestrator's storage,
// however many processes make them at once.
TEST(ProcessExecutorTest, GlobalStorageIsAsAtomicAsInProcess) {
  constexpr int kJobs = 200;
  Harness h;
  std::vector<std::string> names;
  for (int i = 0; i < kJobs; ++i) {
    names.push_back("J" + std::to_string(i));
    h.Add(names.back(),
          {[name = names.back()](Context& c) {
             c.global().Add("count", 1);
             c.global().Update([&](nlohmann::json& all) { all["seen"][name] = true; });
           },
           {},
           {}});
  }
  h.Add("Root").Deps(names);
  auto graph = h.Build("Root");
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor();
  Engine engine(*graph, {.jobs = 8}, &h.clock, &h.observer, executor.get());
  RunResult result = engine.Run();
  EXPECT_TRUE(result.success);
  EXPECT_EQ(engine.global().Get("count"), kJobs);
  EXPECT_EQ(engine.global().Get("seen").size(), static_cast<std::size_t>(kJobs));
}

// A process that dies while it holds the storage's lock frees it and
// changes nothing; the jobs after it go on.
TEST(ProcessExecutorTest, AProcessThatDiesInsideAnUpdateChangesNothing) {
  Harness h;
  h.Add("Root").Deps({"Dies", "After"});
  h.Add("Dies", {[](Context& c) {
                   c.global().Update([](nlohmann::json& all) {
                     all["half"] = "written";
                     Crash(SIGKILL);
                   });
                 },
                 {},
                 {}})
      .Tries(1);
  h.Add("After", {[](Context& c) { c.global().Add("after", 1); }, {}, {}}).Deps({"Dies"});
  h.Add("Other", {[](Context& c) { c.global().Add("other", 1); }, {}, {}});
  auto graph = h.Build(std::nullopt);
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor();
  Engine engine(*graph, {}, &h.clock, &h.observer, executor.get());
  RunResult result = engine.Run();
  EXPECT_EQ(result.jobs[*graph->Find("Dies")].error, "killed by signal SIGKILL");
  EXPECT_FALSE(engine.global().Contains("half"));
  EXPECT_EQ(engine.global().Get("other"), 1);
}

TEST(ProcessExecutorTest, AnUpdateThatThrowsChangesNothingAsInProcess) {
  for (bool isolated : {false, true}) {
    SCOPED_TRACE(isolated ? "isolated" : "in-process");
    Harness h;
    h.Add("Job", {[](Context& c) {
                    c.global().Set("a", 1);
                    try {
                      c.global().Update([](nlohmann::json& all) {
                        all["a"] = 2;
                        all["b"] = 3;
                        throw Error("boom in update");
                      });
                    } catch (const Error&) {
                    }
                    c.SetResult(c.global().Snapshot());
                  },
                  {},
                  {}});
    if (isolated) h.executor = MakeIsolatedExecutor();
    RunResult result = h.Run("Job");
    EXPECT_EQ(h.Job(result, "Job").result, (nlohmann::json{{"a", 1}}));
  }
}

TEST(ProcessExecutorTest, AResultNestedTooDeepFailsItsJobAlone) {
  Harness h;
  h.Add("Root").Deps({"Deep", "Fine"});
  h.Add("Deep", {[](Context& c) {
                   nlohmann::json value = 1;
                   for (int i = 0; i < 50000; ++i)
                     value = nlohmann::json::array({std::move(value)});
                   c.SetResult(std::move(value));
                 },
                 {},
                 {}})
      .Tries(1);
  h.Add("Fine");
  RunResult result = RunIsolated(h, "Root");
  EXPECT_EQ(h.Job(result, "Deep").status, JobStatus::kFailed);
  EXPECT_EQ(h.Job(result, "Deep").error, "the job's result nests deeper than 511 levels");
  EXPECT_FALSE(h.Job(result, "Deep").failed_by_check);
  EXPECT_EQ(h.Job(result, "Fine").status, JobStatus::kOk);
}

TEST(ProcessExecutorTest, AStopReachesTheTrysProcessAndNoRunStartsAfterIt) {
  Harness h;
  std::stop_source stop;
  // The Check waits for the stop, as a long job that polls would; it is
  // sent to the process, which sees it through the Context.
  h.Add("Waits", {[](Context& c) {
                    for (int i = 0; i < 3000 && !c.stop_requested(); ++i) {
                      std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    }
                    c.log() << "stop seen: " << c.stop_requested()
                            << ", token: " << c.stop_token().stop_requested() << '\n';
                    throw Error("not yet");
                  },
                  [](Context& c) { c.log() << "ran\n"; },
                  {}})
      .Tries(1);
  auto graph = h.Build("Waits");
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor(/*stop_grace_seconds=*/60);
  Engine engine(*graph, {.stop = stop.get_token()}, &h.clock, &h.observer, executor.get());
  std::jthread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop.request_stop();
  });
  RunResult result = engine.Run();
  EXPECT_EQ(result.jobs[0].error, "interrupted: stopped after the Check failed, before Run");
  EXPECT_EQ(h.observer.logs(), (Lines{"Waits: stop seen: 1, token: 1"}));
  EXPECT_TRUE(result.interrupted);
}

TEST(ProcessExecutorTest, AProcessStuckPastTheGracePeriodIsKilled) {
  Harness h;
  std::stop_source stop;
  stop.request_stop();
  h.Add("Stuck", {[](Context&) {
                    while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
                  },
                  {},
                  {}});
  auto graph = h.Build("Stuck");
  ASSERT_TRUE(graph.ok());
  auto executor = MakeIsolatedExecutor(/*stop_grace_seconds=*/0.1);
  // The stop came before the run: no try starts at all.
  Engine engine(*graph, {.stop = stop.get_token()}, &h.clock, &h.observer, executor.get());
  RunResult result = engine.Run();
  EXPECT_EQ(result.jobs[0].tries, 0);
  // A try already running when the stop comes is killed after the grace.
  TryRequest request{0, 1, 0};
  RunEnvironment env{h.registry.args(), engine.global(), h.observer, false, stop.get_token(), {}};
  WorkingDirectory working_directory;
  CleanupStack cleanups;
  const RunScope scope{*graph, env, cleanups, working_directory};
  ASSERT_TRUE(executor->Start(scope));
  TryOutcome outcome = executor->RunTry(scope, request);
  EXPECT_EQ(outcome.error, "interrupted: killed at the end of the grace period");
  EXPECT_TRUE(outcome.killed_by_stop);
  EXPECT_FALSE(outcome.failed_by_check);
}

TEST(ProcessExecutorTest, AJobTheProcessDoesNotKnowFailsWithTheReason) {
  Harness h;
  h.Add("Known");
  auto graph = h.Build("Known");
  ASSERT_TRUE(graph.ok());
  // The fork server knows the jobs of the graph it was started with; a
  // graph with another job is refused job by job, not by a crash.
  Harness other;
  other.Add("Unknown").Tries(1);
  auto other_graph = other.Build("Unknown");
  ASSERT_TRUE(other_graph.ok());
  LockedGlobalStorage global;
  RunEnvironment env{h.registry.args(), global, h.observer, false, {}, {}};
  WorkingDirectory working_directory;
  CleanupStack cleanups;
  auto executor = MakeIsolatedExecutor();
  ASSERT_TRUE(executor->Start(RunScope{*graph, env, cleanups, working_directory}));
  const RunScope scope{*other_graph, env, cleanups, working_directory};
  TryOutcome outcome = executor->RunTry(scope, {0, 1, 0});
  EXPECT_EQ(outcome.error, "job 'Unknown' is not registered in the try's process");
}

// A process that wrote everything and ended before the orchestrator read a
// byte: every message is still handled, whatever order poll() reports the
// channel's end and the process's end in.
class FinishedProcess final : public TryProcess {
 public:
  Expected<int> WaitStatus() override { return 0; }
  void Kill() override {}
};

class FinishedLauncher final : public Launcher {
 public:
  explicit FinishedLauncher(std::vector<nlohmann::json> messages)
      : messages_(std::move(messages)) {}
  Status Start(const RunScope&) override { return {}; }
  Expected<std::unique_ptr<TryProcess>> Launch(const RunScope&, JobId) override {
    // A file holds what the process wrote: poll() finds it readable at
    // once, to its end.
    char path[] = "/tmp/dojobber-channel-XXXXXX";
    const int file = ::mkstemp(path);
    if (file < 0) return Failure{"no temporary file"};
    ::unlink(path);
    for (const nlohmann::json& message : messages_) (void)wire::WriteMessage(file, message);
    ::lseek(file, 0, SEEK_SET);
    int ended[2];
    if (::pipe(ended) != 0) return Failure{"no pipe"};
    ::close(ended[1]);  // Already ended.
    const int channel[1] = {file};
    auto process = std::make_unique<FinishedProcess>();
    process->channel_in = channel[0];
    process->channel_out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    process->ended = ended[0];
    return std::unique_ptr<TryProcess>(std::move(process));
  }

 private:
  std::vector<nlohmann::json> messages_;
};

// The try of job "Job" (one try) in a process that wrote `messages`; `h`
// sees its trace and log lines.
TryOutcome TryOfFinishedProcess(Harness& h, std::vector<nlohmann::json> messages, bool no_act) {
  h.Add("Job").Tries(1);
  auto graph = h.Build("Job");
  EXPECT_TRUE(graph.ok());
  ProcessExecutor executor(std::make_unique<FinishedLauncher>(std::move(messages)), {});
  LockedGlobalStorage global;
  RunEnvironment env{h.registry.args(), global, h.observer, no_act, {}, {}};
  WorkingDirectory working_directory;
  CleanupStack cleanups;
  const RunScope scope{*graph, env, cleanups, working_directory};
  EXPECT_TRUE(executor.Start(scope));
  return executor.RunTry(scope, {0, 1, 0});
}

TEST(ProcessExecutorTest, EveryMessageSentBeforeTheEndIsHandled) {
  const std::string big(1 << 20, 'e');
  Harness h;
  TryOutcome outcome = TryOfFinishedProcess(
      h,
      std::vector<nlohmann::json>{
          {{"type", "hello"}, {"version", wire::kVersion}},
          {{"type", "log"}, {"line", big}},
          {{"type", "phase"}, {"phase", "check"}, {"passed", false}, {"error", big}},
          {{"type", "end"}, {"status", "failed"}, {"error", big}, {"result", big}}},
      true);
  EXPECT_EQ(outcome.status, JobStatus::kFailed);
  EXPECT_EQ(outcome.error, big);
  EXPECT_EQ(outcome.result, big);
  EXPECT_EQ(h.observer.logs(), (Lines{"Job: " + big}));
  ASSERT_EQ(h.observer.events().size(), 1u);
  EXPECT_EQ(h.observer.events()[0].error, big);
}

// The try of `hello`'s process, which checks, fails, runs and rechecks.
TryOutcome TryWithHello(nlohmann::json hello) {
  Harness h;
  return TryOfFinishedProcess(
      h,
      std::vector<nlohmann::json>{std::move(hello),
                                  {{"type", "phase"}, {"phase", "check"}, {"passed", false}},
                                  {{"type", "phase"}, {"phase", "run"}, {"passed", true}},
                                  {{"type", "phase"}, {"phase", "recheck"}, {"passed", true}},
                                  {{"type", "end"}, {"status", "changed"}}},
      false);
}

TEST(ProcessExecutorTest, NamesTheWorkerFromItsHelloAndKeepsItsPhases) {
  const TryOutcome by_pid =
      TryWithHello({{"type", "hello"}, {"version", wire::kVersion}, {"pid", 4711}});
  EXPECT_EQ(by_pid.worker, "pid 4711");
  EXPECT_EQ(by_pid.phases.check, PhaseResult::kFailed);
  EXPECT_EQ(by_pid.phases.run, PhaseResult::kPassed);
  EXPECT_EQ(by_pid.phases.recheck, PhaseResult::kPassed);
  EXPECT_FALSE(by_pid.timed_out);
  const TryOutcome by_where = TryWithHello({{"type", "hello"},
                                            {"version", wire::kVersion},
                                            {"pid", 4711},
                                            {"where", "slurm job 678 step 2 on node1"}});
  EXPECT_EQ(by_where.worker, "slurm job 678 step 2 on node1");
  EXPECT_EQ(TryWithHello({{"type", "hello"}, {"version", wire::kVersion}}).worker, "");
}

TEST(ProcessExecutorTest, ATimedOutTryFailsThePhaseItWasIn) {
  Harness h;
  h.Add("Hangs", {CheckThat([](Context&) { return false; }),
                  [](Context&) { std::this_thread::sleep_for(std::chrono::seconds(30)); },
                  {}})
      .Tries(1)
      .Timeout(0.5);
  RunResult result = RunIsolated(h, "Hangs");
  const JobReport& job = h.Job(result, "Hangs");
  EXPECT_TRUE(job.last_try.timed_out);
  EXPECT_EQ(job.last_try.phases.check, PhaseResult::kFailed);
  EXPECT_EQ(job.last_try.phases.run, PhaseResult::kFailed);
  EXPECT_EQ(job.last_try.phases.recheck, PhaseResult::kNotReached);
  EXPECT_NE(job.last_try.worker, 0u);
  EXPECT_TRUE(result.worker_names[job.last_try.worker].starts_with("pid "))
      << result.worker_names[job.last_try.worker];
}

}  // namespace
}  // namespace dojobber::core
