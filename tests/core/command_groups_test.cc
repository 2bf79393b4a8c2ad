#include "core/command_groups.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <dojobber/command.h>
#include <gtest/gtest.h>

namespace dojobber::core {
namespace {

// Runs `command` on another thread under `commands`, and waits until its
// group is registered (or the command has ended).
std::future<CommandResult> StartTracked(TryCommands& commands, Command command) {
  auto result = std::async(std::launch::async, [&commands, command] {
    return RunCommand(command, {.tracker = &commands});
  });
  while (commands.groups().empty() &&
         result.wait_for(std::chrono::milliseconds(5)) != std::future_status::ready) {
  }
  return result;
}

TEST(CommandGroupsTest, RegistersAGroupUntilItEnds) {
  TryCommands commands;
  EXPECT_TRUE(commands.Started(4242));
  EXPECT_EQ(commands.groups(), std::vector<pid_t>{4242});
  commands.Ended(4242);
  EXPECT_TRUE(commands.groups().empty());
}

TEST(CommandGroupsTest, RefusesTheGroupsThatNameAllOrInit) {
  TryCommands commands;
  EXPECT_FALSE(commands.Started(1));
  EXPECT_FALSE(commands.Started(0));
  EXPECT_FALSE(commands.Started(-5));
  EXPECT_TRUE(commands.groups().empty());
}

TEST(CommandGroupsTest, CancelEndsRunningCommandsAndRefusesNewOnes) {
  TryCommands commands;
  auto running = StartTracked(commands, {.argv = {"sleep", "600"}});
  ASSERT_EQ(commands.groups().size(), 1u);
  commands.Cancel();
  const CommandResult result = running.get();
  EXPECT_TRUE(result.stopped);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_TRUE(commands.groups().empty());
  EXPECT_TRUE(commands.cancelled());
  EXPECT_FALSE(commands.Started(4242));
}

TEST(CommandGroupsTest, KillAllKillsEveryRegisteredGroup) {
  TryCommands first;
  TryCommands second;
  auto one = StartTracked(first, {.argv = {"sleep", "600"}});
  auto two = StartTracked(second, {.argv = {"sleep", "600"}});
  ASSERT_EQ(first.groups().size(), 1u);
  ASSERT_EQ(second.groups().size(), 1u);
  KillAllCommandGroups();
  EXPECT_EQ(one.get().signal, SIGKILL);
  EXPECT_EQ(two.get().signal, SIGKILL);
}

TEST(CommandGroupsTest, EndProcessGroupsKillsWhatIgnoresSigtermAfterTheGrace) {
  const std::filesystem::path marker =
      std::filesystem::temp_directory_path() / ("dojobber-stubborn-" + std::to_string(getpid()));
  std::filesystem::remove(marker);
  TryCommands commands;
  auto stubborn = StartTracked(
      commands, Command::Shell("trap '' TERM; touch " + marker.string() + "; sleep 600"));
  ASSERT_EQ(commands.groups().size(), 1u);
  while (!std::filesystem::exists(marker)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // Until it ignores SIGTERM.
  }
  std::filesystem::remove(marker);
  EndProcessGroups(commands.groups(), 0.1);
  EXPECT_EQ(stubborn.get().signal, SIGKILL);
}

TEST(CommandGroupsTest, EndProcessGroupsTermsFirst) {
  TryCommands commands;
  auto polite = StartTracked(commands, {.argv = {"sleep", "600"}});
  ASSERT_EQ(commands.groups().size(), 1u);
  EndProcessGroups(commands.groups(), 30);
  EXPECT_EQ(polite.get().signal, SIGTERM);
}

}  // namespace
}  // namespace dojobber::core
