#include "core/run_lock.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <mutex>
#include <thread>

#include "core/text_format.h"

namespace dojobber::core {
namespace {

// The descriptor of the lock this process holds, or -1. A forked child
// shares the open file description, and with it the lock, until it closes
// its copy: close-on-exec covers children that exec, this the others.
std::atomic<int> held_fd{-1};

void CloseInChild() {
  const int fd = held_fd.load();
  if (fd >= 0) ::close(fd);
  held_fd.store(-1);
}

std::string Errno() { return std::strerror(errno); }

// What the holder wrote: its first line, made printable and bounded.
std::string Holder(int fd) {
  char buffer[256] = {};
  const ssize_t got = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text = got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : "";
  text = text.substr(0, text.find('\n'));
  return text.empty() ? "which has not written its pid yet" : Printable(text);
}

void WriteHolder(int fd) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char when[32] = {};
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &utc);
  const std::string text =
      "pid " + std::to_string(::getpid()) + ", started " + std::string(when) + "\n";
  // Best effort: the lock holds without it, only the message is poorer.
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, text.data(), text.size(), 0);
}

}  // namespace

Expected<RunLock> RunLock::Acquire(const std::string& path, double wait_seconds,
                                   const std::stop_token& stop) {
  static std::once_flag registered;
  std::call_once(registered, [] { ::pthread_atfork(nullptr, nullptr, CloseInChild); });
  const std::string shown = Printable(path);
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0666);
  if (fd < 0) return Failure{"cannot open lock file " + shown + ": " + Errno()};
  RunLock lock(fd);
  // A device or a pipe takes the lock but cannot hold the holder's line
  // (/dev/full refuses it, /dev/zero reads back as NULs): a slip, refused.
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    return Failure{"lock file " + shown + " is not a regular file"};
  }
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(wait_seconds));
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return Failure{"cannot lock " + shown + ": " + Errno()};
    if (wait_seconds <= 0) {
      return Failure{"lock file " + shown + " is held by another run (" + Holder(fd) + ")"};
    }
    if (stop.stop_requested()) {
      return Failure{"interrupted while waiting for lock file " + shown +
                     " (held by another run, " + Holder(fd) + ")"};
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Failure{"lock file " + shown + " is still held after " + FormatSeconds(wait_seconds) +
                     " s by another run (" + Holder(fd) + ")"};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  WriteHolder(fd);
  held_fd.store(fd);
  return lock;
}

RunLock::RunLock(RunLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

RunLock::~RunLock() {
  if (fd_ < 0) return;
  if (held_fd.load() == fd_) held_fd.store(-1);
  ::close(fd_);
}

}  // namespace dojobber::core
