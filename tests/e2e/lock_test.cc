// `run --lock FILE`: one run at a time per lock file. The test process holds
// the lock itself with flock, or a first run holds it while its job sleeps,
// so no outcome depends on timing.

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/e2e/e2e_support.h"

namespace dojobber::e2e {
namespace {

// An exclusive flock on `path` held by the test process until destroyed.
class HeldLock {
 public:
  explicit HeldLock(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    EXPECT_GE(fd_, 0);
    EXPECT_EQ(::flock(fd_, LOCK_EX | LOCK_NB), 0) << "the lock is free when a test starts";
  }
  ~HeldLock() { Release(); }
  HeldLock(const HeldLock&) = delete;
  HeldLock& operator=(const HeldLock&) = delete;
  void Release() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Whether the lock on `path` is free now (taken and let go at once).
bool IsFree(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  ::close(fd);
  return free;
}

TEST(RunLock, RefusesAtOnceWhileTheLockIsHeld) {
  TempDir dir;
  const std::string lock = (dir / "run.lock").string();
  HeldLock held(lock);
  const ProcessResult refused =
      RunMovie("WatchMovie", {"--lock", lock, "--report", (dir / "r.json").string()});
  EXPECT_TRUE(IsUsageError(refused, {"lock file", lock, "is held by another run"}));
  EXPECT_FALSE(std::filesystem::exists(dir / "r.json")) << "nothing ran";

  held.Release();
  const ProcessResult ran =
      RunMovie("WatchMovie", {"--lock", lock, "--report", (dir / "r.json").string()});
  EXPECT_EQ(ran.exit_code, 1) << ran.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "r.json"));
  EXPECT_TRUE(IsFree(lock)) << "released when the run ended";
}

TEST(RunLock, SecondRunNamesTheHoldersPidAndStartTime) {
  TempDir dir;
  const std::string lock = (dir / "run.lock").string();
  RunningProcess first = StartDojobber(
      {"run", "--plugin", TestPlugin("faults").string(), "--root", "Slow", "--isolate", "--lock",
       lock, "--arg", "slow_ms=60000", "--arg", "marker=" + (dir / "m").string()});
  ASSERT_TRUE(first.WaitForStderrLine("[Slow] sleeping"));  // It holds the lock by now.

  const ProcessResult second = RunMovie("WatchMovie", {"--lock", lock});
  EXPECT_TRUE(IsUsageError(
      second,
      {"is held by another run (pid " + std::to_string(first.pid()) + ", started ", " UTC)"}));
  EXPECT_FALSE(IsFree(lock));

  first.Signal(SIGINT);  // Its isolated try is killed after the grace period.
  EXPECT_EQ(first.Wait().exit_code, 130);
  EXPECT_TRUE(IsFree(lock)) << "released on an interrupted run too";
}

TEST(RunLock, WaitsUpToLockWait) {
  TempDir dir;
  const std::string lock = (dir / "run.lock").string();
  {
    HeldLock held(lock);
    EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--lock", lock, "--lock-wait", "0.2"}),
                             {"lock file", lock, "is still held after 0.2 s"}));
  }
  // Released while the run waits (or before it starts waiting): it runs.
  HeldLock held(lock);
  RunningProcess waiting =
      StartDojobber({"run", "--plugin", MoviePlugin().string(), "--root", "WatchMovie",
                     "--default-retry-delay", "0", "--lock", lock, "--lock-wait", "600"});
  held.Release();
  const ProcessResult ran = waiting.Wait();
  EXPECT_EQ(ran.exit_code, 1) << ran.err;
  EXPECT_FALSE(ParseStatusTable(ran.out).empty());
}

TEST(RunLock, RefusesALockFileItCannotOpen) {
  TempDir dir;
  EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--lock", dir.path().string()}),
                           {"cannot open lock file", dir.path().string()}));
  EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--lock", (dir / "no/such/dir/l").string()}),
                           {"cannot open lock file", "No such file or directory"}));
  EXPECT_TRUE(
      IsUsageError(RunMovie("WatchMovie", {"--lock-wait", "1"}), {"--lock-wait needs --lock"}));
}

TEST(RunLock, RefusesADeviceOrAPipe) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  for (const std::string& lock : {std::string("/dev/null"), (dir / "fifo").string()}) {
    EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--lock", lock}),
                             {"lock file", lock, "is not a regular file"}));
  }
}

// The report renamed over the lock file would leave the run's lock on a file
// that no longer has the name.
TEST(RunLock, RefusesTheSameFileAsAnOutput) {
  TempDir dir;
  const std::string lock = (dir / "run.lock").string();
  EXPECT_TRUE(IsUsageError(RunMovie("WatchMovie", {"--lock", lock, "--report", lock}),
                           {"--lock and --report name the same file"}));
  EXPECT_TRUE(IsUsageError(
      RunMovie("WatchMovie", {"--lock", lock, "--dot", (dir / "." / "run.lock").string()}),
      {"--lock and --dot name the same file"}));
  EXPECT_EQ(dir.Entries(), std::vector<std::string>{});
}

TEST(RunLock, ReleasedWhenTheRunIsRefusedAfterLocking) {
  TempDir dir;
  const std::string lock = (dir / "run.lock").string();
  EXPECT_TRUE(IsUsageError(RunMovie("NoSuchRoot", {"--lock", lock}), {"NoSuchRoot"}));
  EXPECT_TRUE(IsFree(lock));
}

// Neither an isolated try's process (forked, not executed) nor a command a
// job starts holds the lock file's descriptor.
TEST(RunLock, NothingTheRunStartsKeepsTheLock) {
  TempDir dir;
  const std::string lock = (dir / "run.lock").string();
  auto probe = [&](const std::string& root, std::vector<std::string> extra) {
    std::vector<std::string> args = {"run",    "--plugin", TestPlugin("lock_probe").string(),
                                     "--root", root,       "--lock",
                                     lock,     "--arg",    "lock=" + lock};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunDojobber(args);
  };
  for (const char* jobs : {"1", "2"}) {
    const ProcessResult isolated = probe("ForkedHasNoLock", {"--isolate", "-j", jobs});
    EXPECT_EQ(isolated.exit_code, 0) << isolated.out << isolated.err;
  }
  const ProcessResult command = probe("ExecedHasNoLock", {});
  EXPECT_EQ(command.exit_code, 0) << command.out << command.err;
  // The probe sees the lock where it is: in dojobber's own process.
  const ProcessResult in_process = probe("ForkedHasNoLock", {});
  EXPECT_EQ(in_process.exit_code, 1) << in_process.out << in_process.err;
  EXPECT_NE(in_process.out.find("this process holds the lock file"), std::string::npos)
      << in_process.out;
}

}  // namespace
}  // namespace dojobber::e2e
