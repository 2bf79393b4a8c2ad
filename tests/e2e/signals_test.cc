// Ctrl-C (SIGINT) and SIGTERM sent to the real binary while it runs. The
// first signal starts no new tries, lets the running ones finish (an
// isolated child for at most 2 s), runs the cleanups, writes the reports
// with the unsettled jobs marked interrupted and exits with 130; a second
// one more than 250 ms later exits at once with 130, while signals within
// 250 ms of the first (`timeout` sends two) are the same stop.
//
// Each test signals only once a given line is on dojobber's stderr, so
// nothing depends on timing: the faults plugin's SlowChain graph is
//
//   SlowChain                    (DummyJob)
//   |-- Retried                  fails every try; retry delay 60 s here
//   `-- AfterSlow                leaves "AfterSlow tried" in the marker
//       |-- Survivor             its Cleanup leaves "Survivor cleaned up"
//       `-- Slow                 logs "sleeping", sleeps slow_ms, then
//                                leaves "Slow finished"
//
// run in the order Retried, Survivor, Slow, AfterSlow, SlowChain. When
// "[Slow] sleeping" appears, Retried has had its one try and Survivor has
// succeeded (also with -j 4: workers take ready jobs in run order, and Slow
// is the last of the three), and AfterSlow waits for Slow.
//
// The one exception is `timeout`, which signals 2 s after the start: Slow
// sleeps 5 s there, so that it is surely sleeping by then.

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/e2e_support.h"
#include "tests/e2e/hardening_support.h"

namespace dojobber::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kStopping =
    "dojobber: interrupted: starting no new tries; letting running ones finish, then cleaning up "
    "(interrupt again to exit at once)";
constexpr const char* kExitingNow = "dojobber: interrupted again: exiting now";

// Bounds every run here; the runs that are stopped must end far sooner
// than the 60 s their Slow would sleep.
constexpr std::chrono::seconds kDeadline{20};

RunningProcess Start(const std::string& root, const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args = {"run",
                                   "--plugin",
                                   TestPlugin("faults").string(),
                                   "--root",
                                   root,
                                   "--default-retry-delay",
                                   "60",
                                   "--report",
                                   (dir / "r.json").string(),
                                   "--arg",
                                   "marker=" + (dir / "m").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  ProcessOptions options;
  options.timeout = kDeadline;
  return StartDojobber(std::move(args), options);
}

std::string Marker(const TempDir& dir) {
  return fs::exists(dir / "m") ? ReadFile(dir / "m") : std::string();
}

void ExpectJob(const std::vector<StatusRow>& rows, const json& report, const std::string& name,
               const std::string& status, int tries, const std::string& detail, bool interrupted) {
  SCOPED_TRACE(name);
  const StatusRow row = FindRow(rows, name);
  EXPECT_EQ(row.status, status);
  EXPECT_EQ(row.tries, tries);
  EXPECT_EQ(row.detail, detail);
  ASSERT_TRUE(report.at("jobs").contains(name));
  const json& job = report.at("jobs").at(name);
  EXPECT_EQ(job.at("status"), status);
  EXPECT_EQ(job.at("tries"), tries);
  EXPECT_EQ(job.at("interrupted"), interrupted);
  EXPECT_EQ(job.at("start_s").is_null(), tries == 0);
}

struct StopCase {
  int signal;
  bool isolate;
  int workers;
};

class FirstSignal : public testing::TestWithParam<StopCase> {};

// The running try finishes (an isolated one well within its grace period),
// nothing new starts, the cleanups run and the reports say what is left.
TEST_P(FirstSignal, LetsTheRunningTryFinishThenCleansUpAndReports) {
  TempDir dir;
  std::vector<std::string> extra = {"-j", std::to_string(GetParam().workers), "--arg",
                                    "slow_ms=1500"};
  if (GetParam().isolate) extra.push_back("--isolate");
  RunningProcess dojobber = Start("SlowChain", dir, extra);
  ASSERT_TRUE(dojobber.WaitForStderrLine("[Slow] sleeping"));
  dojobber.Signal(GetParam().signal);
  const ProcessResult result = dojobber.Wait();

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(result.err, "[Slow] sleeping\n" + std::string(kStopping) + "\n");
  // Slow's Run went on to the end; AfterSlow never started; Survivor was
  // cleaned up after the run.
  EXPECT_EQ(Marker(dir), "Slow finished\nSurvivor cleaned up\n");

  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const json report = ReadJsonReport(dir / "r.json");
  ASSERT_EQ(rows.size(), 5u) << result.out;
  // Retried's one try runs beside Slow's: with several workers the signal
  // can come between its failed Check and its Run, which then never starts.
  // Both are the same outcome, told apart in the detail.
  const std::string not_yet = "not yet (interrupted with tries left)";
  const std::string before_run =
      "interrupted: stopped after the Check failed, before Run (interrupted with tries left)";
  const std::string retried = FindRow(rows, "Retried").detail;
  ExpectJob(rows, report, "Retried", "failed", 1,
            GetParam().workers > 1 && retried == before_run ? before_run : not_yet, true);
  ExpectJob(rows, report, "Survivor", "ok", 1, "", false);
  ExpectJob(rows, report, "Slow", "changed", 1, "", false);
  ExpectJob(rows, report, "AfterSlow", "blocked", 0, "not tried: interrupted", true);
  ExpectJob(rows, report, "SlowChain", "blocked", 0, "not tried: interrupted", true);

  const std::vector<std::string> summary = SummaryLines(result.out);
  ASSERT_EQ(summary.size(), 3u) << result.out;
  EXPECT_TRUE(summary[0].starts_with("5 jobs: 1 ok, 1 changed, 1 failed, 2 blocked in "))
      << summary[0];
  EXPECT_EQ(summary[1], "Interrupted: 3 jobs left unsettled.");
  EXPECT_EQ(summary[2], "Result: INTERRUPTED, FAILED (partial success)");

  EXPECT_EQ(report["interrupted"], true);
  EXPECT_EQ(report["exit_code"], 130);
  EXPECT_EQ(report["success"], false);
  EXPECT_EQ(report["partial_success"], true);
  EXPECT_EQ(report["cleanup"], CleanupEntry(1, 0, 0));
}

std::string StopCaseName(const testing::TestParamInfo<StopCase>& param) {
  const int signal = param.param.signal;
  return std::string(signal == SIGINT    ? "Sigint"
                     : signal == SIGTERM ? "Sigterm"
                                         : "Sighup") +
         (param.param.isolate ? "_Isolated" : "_InProcess") + "_j" +
         std::to_string(param.param.workers);
}

INSTANTIATE_TEST_SUITE_P(Signals, FirstSignal,
                         testing::Values(StopCase{SIGINT, false, 1}, StopCase{SIGTERM, false, 4},
                                         StopCase{SIGINT, true, 4}, StopCase{SIGTERM, true, 1},
                                         StopCase{SIGHUP, false, 1}),
                         StopCaseName);

// An isolated try that outlives the grace period is killed; it counts as
// that job's failed try. Slow has one try, so it has failed for good: it
// and the jobs it blocks are settled, not interrupted.
TEST(FirstSignal, KillsAnIsolatedTryAtTheEndOfTheGracePeriod) {
  TempDir dir;
  RunningProcess dojobber = Start("SlowChain", dir, {"--isolate", "--arg", "slow_ms=60000"});
  ASSERT_TRUE(dojobber.WaitForStderrLine("[Slow] sleeping"));
  dojobber.Signal(SIGINT);
  const ProcessResult result = dojobber.Wait();  // Fails the test past kDeadline.

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(result.err, "[Slow] sleeping\n" + std::string(kStopping) + "\n");
  EXPECT_EQ(Marker(dir), "Survivor cleaned up\n");

  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const json report = ReadJsonReport(dir / "r.json");
  const std::string killed = "interrupted: killed at the end of the grace period";
  ExpectJob(rows, report, "Retried", "failed", 1, "not yet (interrupted with tries left)", true);
  ExpectJob(rows, report, "Survivor", "ok", 1, "", false);
  ExpectJob(rows, report, "Slow", "failed", 1, killed, false);
  ExpectJob(rows, report, "AfterSlow", "blocked", 0, "blocked: Slow failed (" + killed + ")",
            false);
  ExpectJob(rows, report, "SlowChain", "blocked", 0,
            "blocked: Retried failed (not yet); Slow failed (" + killed + ")", false);
  EXPECT_EQ(report["jobs"]["Slow"]["error"], killed);
  // It was signalled after it had started and then had 2 s.
  EXPECT_GE(report["jobs"]["Slow"]["duration_s"].get<double>(), 2.0);

  const std::vector<std::string> summary = SummaryLines(result.out);
  ASSERT_EQ(summary.size(), 3u) << result.out;
  EXPECT_EQ(summary[1], "Interrupted: 1 job left unsettled.");
  EXPECT_EQ(summary[2], "Result: INTERRUPTED, FAILED (partial success)");
  EXPECT_EQ(report["interrupted"], true);
  EXPECT_EQ(report["exit_code"], 130);
  EXPECT_EQ(report["cleanup"]["ran"], 1);
}

// A stop cuts a retry delay short: no worker waits it out.
class SignalDuringRetryDelay : public testing::TestWithParam<int> {};

// Signalled right after a line is written, when a ThreadSanitizer build
// used to lose the stop now and then; hence a few rounds.
TEST_P(SignalDuringRetryDelay, EndsTheRunAtOnce) {
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    TempDir dir;
    RunningProcess dojobber = Start("Retried", dir, {"-v", "-j", std::to_string(GetParam())});
    ASSERT_TRUE(dojobber.WaitForStderrLine("Retried.recheck: fail \"not yet\""));
    dojobber.Signal(SIGINT);
    const ProcessResult result = dojobber.Wait();  // Far sooner than the 60 s delay.

    EXPECT_EQ(result.exit_code, 130);
    const std::vector<StatusRow> rows = ParseStatusTable(result.out);
    const json report = ReadJsonReport(dir / "r.json");
    ExpectJob(rows, report, "Retried", "failed", 1, "not yet (interrupted with tries left)", true);
    EXPECT_EQ(report["interrupted"], true);
    EXPECT_EQ(report["exit_code"], 130);
    EXPECT_EQ(SummaryLines(result.out).back(), "Result: INTERRUPTED, FAILED");
  }
}

std::string WorkersName(const testing::TestParamInfo<int>& param) {
  return "j" + std::to_string(param.param);
}

INSTANTIATE_TEST_SUITE_P(Workers, SignalDuringRetryDelay, testing::Values(1, 4), WorkersName);

// The signals blocked by one thread of `pid` (SigBlk in its /proc status).
// The thread's blocked signals; nullopt when it has ended meanwhile.
std::optional<std::uint64_t> BlockedSignals(pid_t pid, const std::string& tid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/task/" + tid + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("SigBlk:")) return std::stoull(line.substr(7), nullptr, 16);
  }
  return std::nullopt;
}

bool Blocks(std::uint64_t mask, int signal) { return (mask >> (signal - 1)) & 1; }

#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
constexpr bool kThreadSanitizer = true;
#else
constexpr bool kThreadSanitizer = false;
#endif
#else
constexpr bool kThreadSanitizer = false;
#endif

// The system call a thread is blocked in: the first field of its
// /proc/PID/task/TID/syscall. -1 when it is in none, when it is on a CPU
// (the file then says "running") or when the file cannot be read.
long CurrentSyscall(pid_t pid, const std::string& tid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/task/" + tid + "/syscall");
  std::string first;
  file >> first;
  if (first.empty() || std::isdigit(static_cast<unsigned char>(first[0])) == 0) return -1;
  return std::stol(first);
}

bool IsPoll(long syscall) {
#ifdef SYS_poll
  return syscall == SYS_poll || syscall == SYS_ppoll;
#else
  return syscall == SYS_ppoll;
#endif
}

// The main thread waits for stop requests in poll() and takes the stop
// signals there. No thread blocks them, so the commands a job starts can be
// interrupted as usual; only a ThreadSanitizer build blocks them everywhere
// and reads them from a signalfd (see cli/interrupts.cc: it can lose a
// handler's run).
TEST(FirstSignal, TheMainThreadWaitsInPollAndNoThreadBlocksTheStopSignals) {
  TempDir dir;
  RunningProcess dojobber = Start("Retried", dir, {"-v"});
  ASSERT_TRUE(dojobber.WaitForStderrLine("Retried.recheck: fail \"not yet\""));
  const pid_t pid = dojobber.pid();
  const std::string main_tid = std::to_string(pid);
  // The main thread starts the worker, then enters poll(), and leaves it
  // only when a byte arrives on its pipe: a stop or the end, neither of
  // which comes during Retried's 60 s retry delay. But the worker may write
  // the line before the main thread has got into poll(), and a thread on its
  // way there reads as "running" (which a single read once took for 0,
  // read()'s number). So the file is read until it says poll; the generous
  // bound only turns a main thread that never gets there into a failure.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  long syscall = CurrentSyscall(pid, main_tid);
  while (!IsPoll(syscall) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    syscall = CurrentSyscall(pid, main_tid);
  }
  EXPECT_TRUE(IsPoll(syscall)) << "still in system call " << syscall << " after 10 s";
  int other_threads = 0;
  for (const auto& task : fs::directory_iterator("/proc/" + main_tid + "/task")) {
    const std::string tid = task.path().filename().string();
    // glibc blocks every signal in a thread while it starts and while it
    // ends: a thread caught in that moment (one that runs a pass, a timed
    // try) is read again once it is past it, or skipped when it is gone.
    std::optional<std::uint64_t> read = BlockedSignals(pid, tid);
    for (int again = 0; read && !kThreadSanitizer && Blocks(*read, SIGINT) && again < 20; ++again) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      read = BlockedSignals(pid, tid);
    }
    if (!read) continue;
    const std::uint64_t blocked = *read;
    other_threads += tid == main_tid ? 0 : 1;
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
      EXPECT_EQ(Blocks(blocked, signal), kThreadSanitizer)
          << "thread " << tid << ", signal " << signal;
    }
  }
  EXPECT_GE(other_threads, 1);  // The one that runs the jobs.
  dojobber.Signal(SIGINT);
  EXPECT_EQ(dojobber.Wait().exit_code, 130);
}

// A stop requested while the last job runs, which then succeeds, still
// ends with 130, and the reports say the run was interrupted.
TEST(FirstSignal, ReportAgreesWithTheExitStatusWhenEveryJobSucceeded) {
  TempDir dir;
  RunningProcess dojobber = Start("Slow", dir, {"--arg", "slow_ms=1500"});
  ASSERT_TRUE(dojobber.WaitForStderrLine("[Slow] sleeping"));
  dojobber.Signal(SIGINT);
  const ProcessResult result = dojobber.Wait();

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(Marker(dir), "Slow finished\n");
  const json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["exit_code"], 130);
  EXPECT_EQ(report["interrupted"], true);
  EXPECT_TRUE(SummaryLines(result.out).back().starts_with("Result: INTERRUPTED")) << result.out;
}

// A named pipe whose reading end this test holds, so that it decides when
// dojobber's writes to it can go on. Its buffer is made one page (4 KiB),
// so a write of more than that surely waits for the test.
class HeldPipe {
 public:
  explicit HeldPipe(fs::path path) : path_(std::move(path)) {
    if (::mkfifo(path_.c_str(), 0600) != 0) ADD_FAILURE() << "mkfifo " << path_;
    fd_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);  // Needs no writer.
    if (fd_ < 0) ADD_FAILURE() << "open " << path_;
    ::fcntl(fd_, F_SETPIPE_SZ, 4096);
  }
  ~HeldPipe() { ::close(fd_); }
  HeldPipe(const HeldPipe&) = delete;
  HeldPipe& operator=(const HeldPipe&) = delete;

  const fs::path& path() const { return path_; }

  /// Waits (up to 30 s) until the first bytes arrive, unread.
  bool WaitForBytes() {
    pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
    return ::poll(&ready, 1, 30'000) == 1 && (ready.revents & POLLIN) != 0;
  }

  /// Reads everything until the writer closes it (or 30 s pass with nothing).
  std::string ReadToEnd() {
    std::string text;
    char buffer[4096];
    pollfd ready{.fd = fd_, .events = POLLIN, .revents = 0};
    while (::poll(&ready, 1, 30'000) == 1) {
      const ssize_t count = ::read(fd_, buffer, sizeof buffer);
      if (count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR)) break;
      if (count > 0) text.append(buffer, static_cast<std::size_t>(count));
    }
    return text;
  }

 private:
  fs::path path_;
  int fd_ = -1;
};

// A first signal that comes while the outputs are written still ends the
// run with 130, and the report, not yet in place, says so. To be surely
// inside the writing, the DOT file is a pipe that this test holds: dojobber
// writes it after the report (and before putting the report in place), and
// a thousand jobs' DOT (about 90 KB) cannot fit in the pipe, so once its
// first bytes arrive dojobber is writing it and cannot finish until the
// test reads the rest.
TEST(FirstSignal, WhileTheOutputsAreWrittenStillEndsWith130AndTheReportSaysSo) {
  TempDir dir;
  HeldPipe dot(dir / "g.dot");
  WriteFile(dir / "out.txt", "");
  ProcessOptions options;
  options.timeout = kDeadline;
  options.stdout_path = dir / "out.txt";  // Not a pipe that nobody reads meanwhile.
  RunningProcess dojobber =
      StartDojobber({"run", "--plugin", "synth", "--root", "Root", "--arg", "n=1000", "-q",
                     "--report", (dir / "r.json").string(), "--dot", dot.path().string()},
                    options);
  ASSERT_TRUE(dot.WaitForBytes()) << "no DOT output";  // The run is over, the report written.
  dojobber.Signal(SIGINT);
  ASSERT_TRUE(dojobber.WaitForStderrLine(kStopping));  // Its handler ran.
  const std::string text = dot.ReadToEnd();
  const ProcessResult result = dojobber.Wait();

  EXPECT_TRUE(EndedWith(result, 130, dir / "r.json", /*report_required=*/true));
  EXPECT_EQ(result.err, std::string(kStopping) + "\n");
  EXPECT_TRUE(text.starts_with("digraph dojobber {") && text.ends_with("}\n")) << text.size();
  const json report = ReadJsonReport(dir / "r.json");
  EXPECT_EQ(report["interrupted"], true);
  EXPECT_EQ(report["exit_code"], 130);
  EXPECT_EQ(report["success"], true);  // Every job had succeeded.
  EXPECT_EQ(TemporaryFiles(dir.path()), std::vector<fs::path>{});
}

// The same rule holds for `graph`: a stop signal while it writes its DOT
// output ends it with 130, not 0.
TEST(FirstSignal, WhileGraphWritesItsOutputEndsWith130) {
  TempDir dir;
  HeldPipe dot(dir / "g.dot");
  ProcessOptions options;
  options.timeout = kDeadline;
  RunningProcess dojobber = StartDojobber({"graph", "--plugin", "synth", "--root", "Root", "--arg",
                                           "n=1000", "-o", dot.path().string()},
                                          options);
  ASSERT_TRUE(dot.WaitForBytes()) << "no DOT output";
  dojobber.Signal(SIGTERM);
  ASSERT_TRUE(dojobber.WaitForStderrLine(kStopping));
  const std::string text = dot.ReadToEnd();
  EXPECT_TRUE(EndedWith(dojobber.Wait(), 130));
  EXPECT_TRUE(text.ends_with("}\n")) << text.size();
}

// What a stop that ran its course leaves of the SlowChain graph, Slow
// sleeping slow_ms < 5 s when stopped: Slow finished, Survivor was cleaned
// up, and the reports say the run was interrupted.
void ExpectOneStopAfterSlow(const ProcessResult& result, const TempDir& dir) {
  EXPECT_EQ(result.exit_code, 130) << result.err;
  // One stop message, and no "interrupted again".
  EXPECT_EQ(result.err, "[Slow] sleeping\n" + std::string(kStopping) + "\n");
  EXPECT_EQ(Marker(dir), "Slow finished\nSurvivor cleaned up\n");
  const std::vector<StatusRow> rows = ParseStatusTable(result.out);
  const json report = ReadJsonReport(dir / "r.json");
  ASSERT_EQ(rows.size(), 5u) << result.out;
  ExpectJob(rows, report, "Slow", "changed", 1, "", false);
  ExpectJob(rows, report, "AfterSlow", "blocked", 0, "not tried: interrupted", true);
  EXPECT_EQ(report["interrupted"], true);
  EXPECT_EQ(report["exit_code"], 130);
  EXPECT_EQ(report["cleanup"], CleanupEntry(1, 0, 0));
  EXPECT_EQ(SummaryLines(result.out).back(), "Result: INTERRUPTED, FAILED (partial success)");
}

// Several stop signals at once, as supervisors send them, are one stop:
// the same signal twice, and different ones (which, unlike the same one,
// are never merged while pending, so the handler surely runs for each).
TEST(SecondSignal, WithinTheWindowIsTheSameStop) {
  for (const std::vector<int>& burst :
       {std::vector<int>{SIGINT, SIGINT}, std::vector<int>{SIGTERM, SIGINT, SIGHUP}}) {
    SCOPED_TRACE(burst.size());
    TempDir dir;
    RunningProcess dojobber = Start("SlowChain", dir, {"--arg", "slow_ms=1500"});
    ASSERT_TRUE(dojobber.WaitForStderrLine("[Slow] sleeping"));
    for (int signal : burst) dojobber.Signal(signal);
    ExpectOneStopAfterSlow(dojobber.Wait(), dir);
  }
}

// `timeout` sends its signal to dojobber, then to dojobber's process group
// (dojobber and its own children), so dojobber gets it twice, at once. Slow
// sleeps 5 s and is signalled at 2 s. --preserve-status makes timeout exit
// with dojobber's status rather than 124.
class UnderTimeout : public testing::TestWithParam<const char*> {};

constexpr const char* kTimeout = "/usr/bin/timeout";

TEST_P(UnderTimeout, StopsOnceCleansUpAndReports) {
  if (!fs::exists(kTimeout)) GTEST_SKIP() << "no " << kTimeout;
  TempDir dir;
  std::vector<std::string> timeout = {kTimeout, "--preserve-status"};
  if (std::string(GetParam()) != "TERM") timeout.insert(timeout.end(), {"-s", GetParam()});
  timeout.push_back("2");
  ProcessOptions options;
  options.timeout = kDeadline;
  const ProcessResult result =
      RunDojobberUnder(timeout,
                       {"run", "--plugin", TestPlugin("faults").string(), "--root", "SlowChain",
                        "--default-retry-delay", "60", "--report", (dir / "r.json").string(),
                        "--arg", "marker=" + (dir / "m").string(), "--arg", "slow_ms=5000"},
                       options);
  ExpectOneStopAfterSlow(result, dir);
}

// `timeout 2` sends SIGTERM; `timeout -s INT 2` sends SIGINT.
INSTANTIATE_TEST_SUITE_P(Signals, UnderTimeout, testing::Values("TERM", "INT"),
                         [](const testing::TestParamInfo<const char*>& param) {
                           return std::string(param.param);
                         });

// A second signal a second after the first is a person insisting: it exits
// at once.
TEST(SecondSignal, ExitsAtOnceWithoutReportOrCleanups) {
  TempDir dir;
  RunningProcess dojobber = Start("SlowChain", dir, {"--arg", "slow_ms=60000"});
  ASSERT_TRUE(dojobber.WaitForStderrLine("[Slow] sleeping"));
  dojobber.Signal(SIGINT);
  ASSERT_TRUE(dojobber.WaitForStderrLine(kStopping));
  // Well past the 250 ms in which further signals are the same stop.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  dojobber.Signal(SIGINT);
  const ProcessResult result = dojobber.Wait();  // Fails the test past kDeadline.

  EXPECT_EQ(result.exit_code, 130);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "[Slow] sleeping\n" + std::string(kStopping) + "\n" + std::string(kExitingNow) + "\n");
  // No report (not even a temporary file), and no marker: Slow never
  // finished, Survivor was never cleaned up.
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{});
}

}  // namespace
}  // namespace dojobber::e2e
