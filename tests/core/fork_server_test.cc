#include "core/fork_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace dojobber::core {
namespace {

using testing::Harness;
using Lines = std::vector<std::string>;

// Runs `root` with each try in a process forked by the fork server.
RunResult RunForked(Harness& h, std::string_view root, RunOptions options = {}) {
  h.executor = MakeIsolatedExecutor(/*stop_grace_seconds=*/0.1);
  return h.Run(root, options);
}

[[noreturn]] void Crash(int signal) {
  ::signal(signal, SIG_DFL);  // Sanitizers catch some signals themselves.
  ::raise(signal);
  ::_exit(99);
}

std::size_t ThreadsOf(pid_t pid) {
  std::size_t count = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++count;
  }
  return count;
}

TEST(ForkServerTest, TriesAreForkedFromAProcessWithOneThread) {
  Harness h;
  h.Add("Root").Deps({"A", "B", "C", "D"});
  for (const char* name : {"A", "B", "C", "D"}) {
    h.Add(name, {[](Context& c) { c.SetResult(ThreadsOf(::getppid())); }, {}, {}});
  }
  // Four workers: the orchestrator has several threads while it forks.
  RunResult result = RunForked(h, "Root", {.jobs = 4});
  // ThreadSanitizer's runtime starts a background thread of its own in
  // every process, the fork server too; no thread of ours runs there.
#if defined(__SANITIZE_THREAD__)
  constexpr int kRuntimeThreads = 1;
#else
  constexpr int kRuntimeThreads = 0;
#endif
  for (const char* name : {"A", "B", "C", "D"}) {
    EXPECT_EQ(h.Job(result, name).status, JobStatus::kOk) << h.Job(result, name).error.value_or("");
    EXPECT_EQ(h.Job(result, name).result, 1 + kRuntimeThreads) << name;
  }
}

TEST(ForkServerTest, EachTryRunsInAProcessGroupOfItsOwn) {
  Harness h;
  h.Add("Job", {[](Context& c) {
                  c.SetResult(::getpgrp() == ::getpid() && ::getpgrp() != ::getpgid(::getppid()));
                },
                {},
                {}});
  RunResult result = RunForked(h, "Job");
  EXPECT_EQ(h.Job(result, "Job").result, true);
}

TEST(ForkServerTest, PrintedLinesComeBackInOrderAndALastLineWithoutNewline) {
  Harness h;
  h.Add("Talks", {[](Context&) {
                    std::printf("to stdout\n");
                    std::fflush(stdout);
                    std::fprintf(stderr, "to stderr\n");
                    std::printf("no newline");
                    std::fflush(stdout);
                  },
                  {},
                  {}});
  RunForked(h, "Talks");
  EXPECT_EQ(h.observer.logs(),
            (Lines{"Talks: to stdout", "Talks: to stderr", "Talks: no newline"}));
}

TEST(ForkServerTest, DescribesHowAProcessEnded) {
  Harness h;
  h.Add("Root").Deps({"Segv", "Abort", "Exits", "ExitsZero"});
  h.Add("Segv", {[](Context&) { Crash(SIGSEGV); }, {}, {}}).Tries(1);
  h.Add("Abort", {[](Context&) { Crash(SIGABRT); }, {}, {}}).Tries(1);
  h.Add("Exits", {[](Context&) { ::_exit(3); }, {}, {}}).Tries(1);
  h.Add("ExitsZero", {[](Context&) { ::_exit(0); }, {}, {}}).Tries(1);
  RunResult result = RunForked(h, "Root");
  EXPECT_EQ(h.Job(result, "Segv").error, "killed by signal SIGSEGV");
  EXPECT_EQ(h.Job(result, "Abort").error, "killed by signal SIGABRT");
  EXPECT_EQ(h.Job(result, "Exits").error, "exited with status 3");
  EXPECT_EQ(h.Job(result, "ExitsZero").error, "exited with status 0 before reporting an outcome");
}

TEST(ForkServerTest, CarriesMegabytesOfOutputWhole) {
  Harness h;
  const std::string line(1000, 'y');
  h.Add("Prints", {[&](Context&) {
                     for (int i = 0; i < 5000; ++i) std::printf("%d %s\n", i, line.c_str());
                     std::fflush(stdout);
                   },
                   {},
                   {}});
  RunForked(h, "Prints");
  const Lines logs = h.observer.logs();
  ASSERT_EQ(logs.size(), 5000u);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(logs[static_cast<std::size_t>(i)], "Prints: " + std::to_string(i) + " " + line);
  }
}

TEST(ForkServerTest, DoesNotWaitForAGrandchildHoldingThePipes) {
  Harness h;
  h.Add("Forks", {[](Context&) {
                    if (::fork() == 0) {  // Inherits stdout and stderr, and outlives its parent.
                      ::sleep(5);
                      ::_exit(0);
                    }
                  },
                  {},
                  {}});
  const auto started = std::chrono::steady_clock::now();
  RunResult result = RunForked(h, "Forks");
  EXPECT_EQ(h.Job(result, "Forks").status, JobStatus::kOk);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

TEST(ForkServerTest, TheServerEndsWithItsLauncher) {
  Harness h;
  h.Add("Job", {[](Context& c) { c.SetResult(static_cast<std::int64_t>(::getppid())); }, {}, {}});
  RunResult result = RunForked(h, "Job");
  const auto server = static_cast<pid_t>(h.Job(result, "Job").result.get<std::int64_t>());
  ASSERT_GT(server, 0);
  EXPECT_EQ(::kill(server, 0), 0);  // Alive while the engine may still clean up.
  h.engine.reset();
  h.executor.reset();  // Waits for the server.
  EXPECT_NE(::kill(server, 0), 0);
}

TEST(ForkServerTest, ALaunchWithoutAServerFailsTheTryWithTheCause) {
  Harness h;
  h.Add("Job").Tries(1);
  auto graph = h.Build("Job");
  ASSERT_TRUE(graph.ok());
  ForkLauncher launcher;  // Never started.
  LockedGlobalStorage global;
  RunEnvironment env{h.registry.args(), global, h.observer, false, {}, {}};
  WorkingDirectory working_directory;
  CleanupStack cleanups;
  const RunScope scope{*graph, env, cleanups, working_directory};
  auto process = launcher.Launch(scope, 0);
  ASSERT_FALSE(process.ok());
  EXPECT_EQ(process.message(), "cannot start the try's process: no fork server");
}

}  // namespace
}  // namespace dojobber::core
