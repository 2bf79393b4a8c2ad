#include "cli/interrupts.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string_view>
#include <system_error>
#include <thread>

#include "cli/exit_code.h"
#include "core/command_groups.h"

// ThreadSanitizer runs a handler at once only when the signal interrupts a
// call it knows to block; it defers one that interrupts other code, and now
// and then (about one stop in ten, right after a job wrote a line; still one
// in a few hundred with the main thread parked in poll()) the handler never
// ran and the stop was lost. So its builds take the stop signals without a
// handler: every thread blocks them and the main thread reads them from a
// signalfd. Other builds leave every thread's mask alone (see the header).
#if defined(__SANITIZE_THREAD__)
#define DOJOBBER_STOPS_THROUGH_SIGNALFD 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define DOJOBBER_STOPS_THROUGH_SIGNALFD 1
#endif
#endif

namespace dojobber::cli {
namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr char kStopByte = 's';
constexpr char kDoneByte = 'd';

// Stop signals that arrive within this long of the first one are the same
// stop request. `timeout` (and other supervisors) send their signal to the
// process and then to its process group, so dojobber gets it twice a few
// microseconds apart, or a few scheduler periods (tens of milliseconds)
// apart on a loaded machine; 250 ms absorbs that with a wide margin, and is
// still well under the second or so a person takes to read "interrupt again
// to exit at once" and press Ctrl-C again.
constexpr std::int64_t kStopBurstNs = 250'000'000;

// Shared with the handlers, so plain lock-free atomics and a descriptor.
// CLOCK_MONOTONIC time of the first stop signal, in ns; 0 before it.
std::atomic<std::int64_t> first_stop_ns{0};
static_assert(std::atomic<std::int64_t>::is_always_lock_free);
std::atomic<int> wake_fd{-1};
// Set by FinalExitStatus(): the process is about to exit; a first stop
// signal then exits at once with 130. Sequentially consistent with
// first_stop_ns, so a signal racing the exit is seen by one side or both.
std::atomic<bool> finishing{false};

// Set while the progress line is drawn (ClearLineBeforeStopMessages).
std::atomic<bool> clear_line{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// One write, so that the message and the clearing before it are never split
// by the progress line's own writes.
void Say(std::string_view line) {
  constexpr std::string_view kClearLine = "\r\x1b[K";
  char text[256];
  std::size_t size = 0;
  if (clear_line.load() && kClearLine.size() + line.size() <= sizeof text) {
    std::memcpy(text, kClearLine.data(), kClearLine.size());
    size = kClearLine.size();
  }
  if (size + line.size() > sizeof text) {
    (void)!::write(STDERR_FILENO, line.data(), line.size());
    return;
  }
  std::memcpy(text + size, line.data(), line.size());
  (void)!::write(STDERR_FILENO, text, size + line.size());
}

// Never 0, which means "no stop yet". clock_gettime is async-signal-safe.
std::int64_t MonotonicNs() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return std::max<std::int64_t>(std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec, 1);
}

// Ends the process at once, as _exit does, by the system call itself: the
// sanitizers' _exit first flushes stdio, which blocks for ever when the work
// thread holds stdout's lock while it waits on a full pipe (`dojobber list |
// less`, the reader gone idle). The commands jobs run go first: nothing
// would end them after this.
[[noreturn]] void ExitNow(int status) {
  core::KillAllCommandGroups();
  ::syscall(SYS_exit_group, status);
  __builtin_unreachable();
}

// Async-signal-safe only: atomics, clock_gettime, write, _exit. Handlers
// may run at once on two threads; the compare-exchange lets one be first.
void OnStopSignal(int) {
  const int saved_errno = errno;
  const std::int64_t now = MonotonicNs();
  std::int64_t first = 0;
  if (first_stop_ns.compare_exchange_strong(first, now)) {
    if (finishing.load()) {
      Say("dojobber: interrupted: exiting now\n");
      ExitNow(kInterrupted);
    }
    Say("dojobber: interrupted: starting no new tries; letting running ones finish, then "
        "cleaning up (interrupt again to exit at once)\n");
    (void)!::write(wake_fd.load(), &kStopByte, 1);
  } else if (now - first > kStopBurstNs) {
    Say("dojobber: interrupted again: exiting now\n");
    ExitNow(kInterrupted);
  }  // Else the same burst as the first: already asked to stop.
  errno = saved_errno;
}

void OnBrokenPipe(int) {}  // The write that caused it fails with EPIPE instead.

void Catch(int signal, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  ::sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // Jobs' own blocking calls go on.
  ::sigaction(signal, &action, nullptr);
}

}  // namespace

Interrupts::Interrupts() {
  if (::pipe2(pipe_, O_CLOEXEC) != 0) return;  // No stop requests then, only the defaults.
  wake_fd = pipe_[1];
  for (int signal : kStopSignals) Catch(signal, OnStopSignal);
  Catch(SIGPIPE, OnBrokenPipe);  // The handlers and the pipe stay until exit.
#ifdef DOJOBBER_STOPS_THROUGH_SIGNALFD
  // Before any thread of ours exists, so that they all inherit the mask.
  sigset_t stop_signals;
  ::sigemptyset(&stop_signals);
  for (int signal : kStopSignals) ::sigaddset(&stop_signals, signal);
  signal_fd_ = ::signalfd(-1, &stop_signals, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd_ >= 0) ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
#endif
}

int Interrupts::Run(const std::function<int(std::stop_token)>& work) {
  if (pipe_[0] < 0) return work(stop_.get_token());
  int result = kInternalError;
  std::exception_ptr failure;
  std::thread worker;
  try {
    worker = std::thread([&] {
      try {
        result = work(stop_.get_token());
      } catch (...) {
        failure = std::current_exception();
      }
      (void)!::write(pipe_[1], &kDoneByte, 1);
    });
  } catch (const std::system_error&) {
    // No thread to spare: this one does the work.
    return FinalExitStatus(work(stop_.get_token()));
  }
  WaitUntilDone();
  worker.join();
  if (failure) std::rethrow_exception(failure);
  return FinalExitStatus(result);
}

bool StopSignalled() { return first_stop_ns.load() != 0; }

void ClearLineBeforeStopMessages(bool clear) { clear_line.store(clear); }

void ExitAtFirstStop() { finishing.store(true); }

int FinalExitStatus(int status) {
  finishing.store(true);
  return StopSignalled() ? kInterrupted : status;
}

void Interrupts::WaitUntilDone() {
  while (true) {
    pollfd ready[2] = {{.fd = pipe_[0], .events = POLLIN, .revents = 0},
                       {.fd = signal_fd_, .events = POLLIN, .revents = 0}};  // Skipped if -1.
    if (::poll(ready, 2, -1) < 0) {
      if (errno == EINTR) continue;  // A handler ran: its byte is in the pipe.
      return;
    }
    if (ready[1].revents != 0) {
      signalfd_siginfo info{};
      while (::read(signal_fd_, &info, sizeof info) == sizeof info) {
        OnStopSignal(static_cast<int>(info.ssi_signo));  // Writes to the pipe, or exits.
      }
    }
    if (ready[0].revents == 0) continue;
    char byte = 0;
    const ssize_t count = ::read(pipe_[0], &byte, 1);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0 || byte == kDoneByte) return;
    stop_.request_stop();
  }
}

}  // namespace dojobber::cli
