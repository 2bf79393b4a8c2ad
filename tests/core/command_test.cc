// The SDK's command helper (<dojobber/command.h>), without an engine.
#include <dojobber/command.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dojobber {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

CommandResult Exec(Command command, CommandHooks hooks = {}) { return RunCommand(command, hooks); }

// Whether `pid` is still a live process (not gone, not a zombie). A process
// that was sent SIGKILL takes a moment to die: waits for that, up to 30 s.
bool StillRuns(pid_t pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const std::size_t paren = line.rfind(')');
    if (paren == std::string::npos || paren + 2 >= line.size()) return false;
    const char state = line[paren + 2];
    if (state == 'Z' || state == 'X') return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

// Records what RunCommand tells the engine.
class RecordingTracker final : public CommandTracker {
 public:
  explicit RecordingTracker(bool accept = true) : accept_(accept) {}
  bool Started(pid_t group) override {
    std::lock_guard lock(mutex_);
    events_.push_back("started " + std::to_string(group));
    started_ = group;
    return accept_;
  }
  void Ended(pid_t group) override {
    std::lock_guard lock(mutex_);
    events_.push_back("ended " + std::to_string(group));
  }
  bool cancelled() const override { return cancelled_; }

  std::vector<std::string> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  pid_t started() const {
    std::lock_guard lock(mutex_);
    return started_;
  }
  std::atomic<bool> cancelled_{false};

 private:
  bool accept_;
  mutable std::mutex mutex_;
  std::vector<std::string> events_;
  pid_t started_ = 0;
};

TEST(CommandTest, ReportsTheExitStatus) {
  const CommandResult failed = Exec({.argv = {"sh", "-c", "exit 3"}});
  EXPECT_EQ(failed.exit_status, 3);
  EXPECT_EQ(failed.signal, 0);
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.Describe(), "exited with status 3");

  const CommandResult passed = Exec({.argv = {"true"}});
  EXPECT_EQ(passed.exit_status, 0);
  EXPECT_TRUE(passed.ok());
}

TEST(CommandTest, ReportsTheSignalThatEndedIt) {
  const CommandResult result = Exec({.argv = {"sh", "-c", "kill -KILL $$"}});
  EXPECT_EQ(result.signal, SIGKILL);
  EXPECT_EQ(result.exit_status, -1);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.Describe(), "killed by signal SIGKILL");
}

TEST(CommandTest, CapturesStdoutAndStderrApart) {
  const CommandResult result = Exec(Command::Shell("echo out; echo err >&2"));
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_EQ(result.command, "/bin/sh -c 'echo out; echo err >&2'");
}

TEST(CommandTest, KeepsTheLastBytesUpToTheLimitAndCountsTheRest) {
  std::string expected;
  for (int i = 1; i <= 50000; ++i) expected += std::to_string(i) + "\n";
  const CommandResult result = Exec({.argv = {"seq", "1", "50000"}, .output_limit = 1000});
  ASSERT_EQ(result.out.size(), 1000u);
  EXPECT_EQ(result.out, expected.substr(expected.size() - 1000));
  EXPECT_EQ(result.out_dropped, expected.size() - 1000);
  EXPECT_EQ(result.err_dropped, 0u);
}

TEST(CommandTest, WritesTheInputToStdin) {
  EXPECT_EQ(Exec({.argv = {"cat"}, .input = "hello\nworld\n"}).out, "hello\nworld\n");
  // More than a pipe holds: written as the command reads it.
  const CommandResult counted = Exec({.argv = {"wc", "-c"}, .input = std::string(1 << 20, 'x')});
  EXPECT_EQ(counted.out, "1048576\n");
}

TEST(CommandTest, InputTheCommandDoesNotReadIsDroppedWithoutASignal) {
  // `true` exits without reading: the write fails with EPIPE, and no
  // SIGPIPE (which would end this test binary) is left pending or raised.
  const CommandResult result = Exec({.argv = {"true"}, .input = std::string(1 << 20, 'x')});
  EXPECT_TRUE(result.ok());
  sigset_t pending;
  sigpending(&pending);
  EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);
}

TEST(CommandTest, WithoutInputStdinIsEmpty) { EXPECT_EQ(Exec({.argv = {"wc", "-c"}}).out, "0\n"); }

TEST(CommandTest, AddsAndReplacesEnvironmentVariables) {
  const CommandResult result =
      Exec({.argv = {"sh", "-c", "printf '%s|%s' \"$DOJOBBER_TEST_ADDED\" \"$HOME\""},
            .environment = {{"DOJOBBER_TEST_ADDED", "a b"}, {"HOME", "/nowhere"}}});
  EXPECT_EQ(result.out, "a b|/nowhere");
}

TEST(CommandTest, LooksTheProgramUpInTheCommandsPath) {
  const fs::path dir = fs::temp_directory_path() / ("dojobber-command-" + std::to_string(getpid()));
  fs::create_directories(dir);
  {
    std::ofstream script(dir / "hello-dojobber");
    script << "#!/bin/sh\necho found\n";
  }
  fs::permissions(dir / "hello-dojobber", fs::perms::owner_all);
  const CommandResult result = Exec(
      {.argv = {"hello-dojobber"}, .environment = {{"PATH", dir.string() + ":/usr/bin:/bin"}}});
  EXPECT_EQ(result.out, "found\n");
  fs::remove_all(dir);
}

TEST(CommandTest, RunsInTheWorkingDirectory) {
  const fs::path dir = fs::canonical(fs::temp_directory_path());
  EXPECT_EQ(Exec({.argv = {"pwd"}, .working_directory = dir.string()}).out, dir.string() + "\n");
}

TEST(CommandTest, ThrowsWhenItCannotStart) {
  try {
    Exec({.argv = {"pwd"}, .working_directory = "/no/such/dir"});
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "cannot run `pwd`: cannot enter /no/such/dir: No such file or directory");
  }
  EXPECT_THROW(Exec({.argv = {"no-such-program-dojobber"}}), Error);
  EXPECT_THROW(Exec({.argv = {}}), Error);
}

// What the kernel would cut short (a NUL byte) or misread is refused, and
// nothing runs: the file the command would make is not made.
TEST(CommandTest, RefusesAMalformedCommandAndRunsNothing) {
  const auto refusal = [](const Command& command) -> std::string {
    try {
      Exec(command);
    } catch (const Error& error) {
      return error.what();
    }
    return "no exception";
  };
  const fs::path dir =
      fs::temp_directory_path() / ("dojobber-command-malformed-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string touch = (dir / "ran").string();
  EXPECT_EQ(refusal({.argv = {"touch", touch + std::string("\0x", 2)}}),
            "cannot run `touch '" + touch + "\\0x'`: argv[1] contains a NUL byte");
  EXPECT_THAT(refusal({.argv = {"touch", touch}, .working_directory = std::string("/\0tmp", 5)}),
              HasSubstr("its working directory contains a NUL byte"));
  EXPECT_THAT(refusal({.argv = {"touch", touch}, .environment = {{"", "x"}}}),
              HasSubstr("environment variable name '' is empty or contains '='"));
  EXPECT_THAT(refusal({.argv = {"touch", touch}, .environment = {{"A=B", "x"}}}),
              HasSubstr("environment variable name A=B is empty or contains '='"));
  EXPECT_THAT(refusal({.argv = {"touch", touch}, .environment = {{"A", std::string("x\0y", 3)}}}),
              HasSubstr("environment variable A contains a NUL byte"));
  for (const double bad : {-1.0, std::nan(""), HUGE_VAL}) {
    EXPECT_THAT(refusal({.argv = {"touch", touch}, .timeout_seconds = bad}),
                HasSubstr("timeout_seconds must be a finite number of seconds, 0 or more"))
        << bad;
  }
  EXPECT_FALSE(fs::exists(dir / "ran"));
  EXPECT_EQ(refusal({.argv = {"touch", touch}, .timeout_seconds = 1e9}), "no exception");
  EXPECT_TRUE(fs::exists(dir / "ran"));
  fs::remove_all(dir);
}

TEST(CommandTest, EndsAtTheTimeout) {
  const CommandResult result = Exec({.argv = {"sleep", "600"}, .timeout_seconds = 0.2});
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_EQ(result.Describe(), "timed out after 0.2 s (killed by signal SIGTERM)");
}

TEST(CommandTest, EndsItsWholeGroup) {
  // Stopped once the shell has started its sleep and said so.
  const fs::path marker =
      fs::temp_directory_path() / ("dojobber-command-group-" + std::to_string(getpid()));
  fs::remove(marker);
  const CommandResult result =
      Exec({.argv = {"sh", "-c", "sleep 600 & echo $! > " + marker.string() + "; wait"}},
           {.stop_requested = [&] { return fs::exists(marker) && fs::file_size(marker) > 0; }});
  EXPECT_TRUE(result.stopped);
  std::ifstream pid_file(marker);
  pid_t sleeper = 0;
  ASSERT_TRUE(pid_file >> sleeper);
  EXPECT_FALSE(StillRuns(sleeper));
  fs::remove(marker);
}

TEST(CommandTest, KillsAGroupThatIgnoresSigtermAfterTheGrace) {
  const CommandResult result =
      Exec({.argv = {"sh", "-c", "trap '' TERM; sleep 600"}, .timeout_seconds = 0.1});
  EXPECT_TRUE(result.timed_out);
  EXPECT_EQ(result.signal, SIGKILL);
}

TEST(CommandTest, KillsWhatTheCommandLeftRunningInItsGroup) {
  const CommandResult result = Exec({.argv = {"sh", "-c", "sleep 600 & echo $!"}});
  EXPECT_TRUE(result.ok());
  EXPECT_FALSE(StillRuns(std::stoi(result.out)));
}

TEST(CommandTest, EndsAtAStopRequest) {
  const CommandResult result =
      Exec({.argv = {"sleep", "600"}}, {.stop_requested = [] { return true; }});
  EXPECT_TRUE(result.stopped);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.signal, SIGTERM);
}

TEST(CommandTest, TellsTheTrackerOfItsGroupBeforeItEnds) {
  RecordingTracker tracker;
  const CommandResult result =
      Exec({.argv = {"sh", "-c", "echo $$; ps -o pgid= -p $$"}}, {.tracker = &tracker});
  std::istringstream out(result.out);
  pid_t pid = 0;
  pid_t group = 0;
  out >> pid >> group;
  EXPECT_EQ(pid, group);  // A group of its own, named by its leader.
  EXPECT_NE(group, getpgrp());
  EXPECT_EQ(tracker.events(), (std::vector<std::string>{"started " + std::to_string(group),
                                                        "ended " + std::to_string(group)}));
}

TEST(CommandTest, DoesNotStartWhenTheTrackerRefuses) {
  const fs::path marker =
      fs::temp_directory_path() / ("dojobber-command-refused-" + std::to_string(getpid()));
  RecordingTracker tracker(/*accept=*/false);
  const CommandResult result = Exec({.argv = {"touch", marker.string()}}, {.tracker = &tracker});
  EXPECT_TRUE(result.stopped);
  EXPECT_FALSE(fs::exists(marker));
}

TEST(CommandTest, EndsWhenTheTrackerIsCancelled) {
  RecordingTracker tracker;
  tracker.cancelled_ = true;
  const CommandResult result = Exec({.argv = {"sleep", "600"}}, {.tracker = &tracker});
  EXPECT_TRUE(result.stopped);
  EXPECT_EQ(result.signal, SIGTERM);
}

TEST(CommandTest, PassesWholeLinesToTheLog) {
  std::ostringstream log;
  Exec(Command::Shell("printf 'one\\ntwo\\nno newline'"), {.log = &log});
  EXPECT_EQ(log.str(), "one\ntwo\nno newline\n");
  std::ostringstream errors;
  Exec(Command::Shell("echo oops >&2"), {.log = &errors});
  EXPECT_EQ(errors.str(), "oops\n");
  std::ostringstream quiet;
  Exec({.argv = {"echo", "hidden"}, .log_output = false}, {.log = &quiet});
  EXPECT_EQ(quiet.str(), "");
}

// A line longer than the limit is logged in pieces of exactly the limit,
// every byte kept; a line of exactly the limit stays one.
TEST(CommandTest, LogsALongLineInPiecesOfTheLimit) {
  const std::size_t limit = kCommandLogLineLimit;
  std::ostringstream log;
  Exec(Command::Shell("head -c " + std::to_string(2 * limit + 10) + " /dev/zero | tr '\\0' y; " +
                      "echo; head -c " + std::to_string(limit) + " /dev/zero | tr '\\0' z; echo"),
       {.log = &log});
  const std::string expected = std::string(limit, 'y') + "\n" + std::string(limit, 'y') + "\n" +
                               std::string(10, 'y') + "\n" + std::string(limit, 'z') + "\n";
  EXPECT_TRUE(log.str() == expected)
      << "got " << log.str().size() << " bytes, expected " << expected.size();
}

// However the reads split it: a line of exactly the limit is one line, the
// newline right after a full piece ends it without an empty line.
TEST(CommandTest, SplitsLinesTheSameWhereverTheReadsEnd) {
  const std::size_t limit = kCommandLogLineLimit;
  const std::string whole = std::string(limit, 'z') + "\n" + std::string(limit + 1, 'y') + "\nend";
  const std::string expected =
      std::string(limit, 'z') + "\n" + std::string(limit, 'y') + "\ny\nend\n";
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{7}, limit, limit + 1, whole.size()}) {
    std::ostringstream log;
    detail::LineSplitter lines(&log);
    for (std::size_t at = 0; at < whole.size(); at += chunk) {
      lines.Add(std::string_view(whole).substr(at, chunk));
    }
    lines.Finish();
    EXPECT_TRUE(log.str() == expected) << "chunks of " << chunk << ": got " << log.str().size()
                                       << " bytes, expected " << expected.size();
  }
}

TEST(CommandTest, PassesNoneOfOurDescriptors) {
  const int inherited = dup2(STDIN_FILENO, 900);  // Not close-on-exec.
  ASSERT_EQ(inherited, 900);
  const CommandResult result =
      Exec(Command::Shell("test -e /proc/$$/fd/900 && echo open || echo closed"));
  close(inherited);
  EXPECT_EQ(result.out, "closed\n");
}

TEST(CommandTest, StartsWithDefaultSignalHandling) {
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &usr1, &old_mask);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_action {};
  sigaction(SIGUSR2, &ignore, &old_action);
  const CommandResult result = Exec({.argv = {"grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"}});
  sigaction(SIGUSR2, &old_action, nullptr);
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  EXPECT_EQ(result.out, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
}

TEST(CommandTest, ErrorNamesTheCommandHowItEndedAndTheLastLinesOfStderr) {
  const CommandResult result =
      Exec(Command::Shell("for w in one two three four; do echo $w >&2; done; exit 2"));
  EXPECT_STREQ(CommandError(result).what(),
               "command `/bin/sh -c 'for w in one two three four; do echo $w >&2; done; exit 2'` "
               "exited with status 2; stderr ends: two | three | four");
  EXPECT_STREQ(CommandError(Exec({.argv = {"false"}})).what(),
               "command `false` exited with status 1");
  EXPECT_STREQ(CommandError(Exec({.argv = {"sleep", "600"}, .timeout_seconds = 0.1})).what(),
               "command `sleep 600` timed out after 0.1 s (killed by signal SIGTERM)");
}

}  // namespace
}  // namespace dojobber
