#include "core/child_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

class Collect final : public ChildListener {
 public:
  void OnMessage(const nlohmann::json& message) override { messages.push_back(message); }
  void OnOutputLine(std::string_view line) override { lines.emplace_back(line); }
  std::vector<nlohmann::json> messages;
  std::vector<std::string> lines;
};

[[noreturn]] void Crash(int signal) {
  ::signal(signal, SIG_DFL);
  ::raise(signal);
  ::_exit(99);
}

TEST(ChildProcessTest, PassesMessagesAndOutputLinesInOrder) {
  Collect collect;
  ChildEnd end = RunInChild(
      [](int channel) {
        SendToParent(channel, {{"n", 1}});
        std::printf("to stdout\n");
        std::fflush(stdout);
        (void)!::write(STDERR_FILENO, "to stderr\n", 10);
        SendToParent(channel, {{"n", 2}, {"text", "two\nlines"}});
      },
      {}, collect);
  ASSERT_TRUE(end.start_error.empty()) << end.start_error;
  ASSERT_TRUE(WIFEXITED(end.wait_status));
  EXPECT_EQ(WEXITSTATUS(end.wait_status), 0);
  ASSERT_EQ(collect.messages.size(), 2u);
  EXPECT_EQ(collect.messages[0]["n"], 1);
  EXPECT_EQ(collect.messages[1]["text"], "two\nlines");
  EXPECT_EQ(collect.lines, (std::vector<std::string>{"to stdout", "to stderr"}));
}

TEST(ChildProcessTest, KeepsALastLineWithoutNewline) {
  Collect collect;
  RunInChild(
      [](int) {
        std::printf("no newline");
        std::fflush(stdout);
      },
      {}, collect);
  EXPECT_EQ(collect.lines, (std::vector<std::string>{"no newline"}));
}

TEST(ChildProcessTest, DescribesHowTheChildEnded) {
  Collect collect;
  EXPECT_EQ(RunInChild([](int) { Crash(SIGSEGV); }, {}, collect).Describe(0),
            "killed by signal SIGSEGV");
  EXPECT_EQ(RunInChild([](int) { Crash(SIGABRT); }, {}, collect).Describe(0),
            "killed by signal SIGABRT");
  EXPECT_EQ(RunInChild([](int) { ::_exit(3); }, {}, collect).Describe(0), "exited with status 3");
}

TEST(ChildProcessTest, KillsAChildAtItsTimeout) {
  Collect collect;
  const auto started = std::chrono::steady_clock::now();
  ChildEnd end = RunInChild(
      [](int) {
        while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
      },
      {.timeout_seconds = 0.2}, collect);
  EXPECT_TRUE(end.timed_out);
  EXPECT_EQ(end.Describe(0.2), "timed out after 0.2 s");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
}

TEST(ChildProcessTest, KillsAChildAfterTheGracePeriodOfAStop) {
  Collect collect;
  std::stop_source stop;
  stop.request_stop();
  ChildEnd end = RunInChild(
      [](int) {
        while (true) std::this_thread::sleep_for(std::chrono::seconds(1));
      },
      {.stop = stop.get_token(), .stop_grace_seconds = 0.1}, collect);
  EXPECT_TRUE(end.stopped);
  EXPECT_EQ(end.Describe(0), "interrupted: killed at the end of the grace period");
}

TEST(ChildProcessTest, AChildThatFinishesWithinTheGraceIsNotKilled) {
  Collect collect;
  std::stop_source stop;
  stop.request_stop();
  ChildEnd end = RunInChild(
      [](int channel) {
        SendToParent(channel, {{"done", true}});
      },
      {.stop = stop.get_token(), .stop_grace_seconds = 30}, collect);
  EXPECT_FALSE(end.stopped);
  ASSERT_EQ(collect.messages.size(), 1u);
}

TEST(ChildProcessTest, CarriesMegabytesOfOutputWhole) {
  Collect collect;
  const std::string line(1000, 'y');
  RunInChild(
      [&](int) {
        for (int i = 0; i < 5000; ++i) std::printf("%d %s\n", i, line.c_str());
        std::fflush(stdout);
      },
      {}, collect);
  ASSERT_EQ(collect.lines.size(), 5000u);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(collect.lines[static_cast<std::size_t>(i)], std::to_string(i) + " " + line);
  }
}

TEST(ChildProcessTest, DoesNotWaitForAGrandchildHoldingThePipes) {
  Collect collect;
  const auto started = std::chrono::steady_clock::now();
  ChildEnd end = RunInChild(
      [](int) {
        if (::fork() == 0) {  // Inherits stdout and stderr, and outlives its parent.
          ::sleep(5);
          ::_exit(0);
        }
      },
      {}, collect);
  EXPECT_TRUE(WIFEXITED(end.wait_status));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

}  // namespace
}  // namespace dojobber::core
