#include "cli/interrupts.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string_view>

#include "cli/exit_code.h"

namespace dojobber::cli {
namespace {

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr char kStopByte = 's';
constexpr char kCloseByte = 'c';

// Shared with the handlers, so plain lock-free atomics and a descriptor.
std::atomic<int> signals_seen{0};
std::atomic<int> wake_fd{-1};

void Say(std::string_view line) { (void)!::write(STDERR_FILENO, line.data(), line.size()); }

// Async-signal-safe only: atomics, write, _exit.
void OnStopSignal(int) {
  const int saved_errno = errno;
  if (signals_seen.fetch_add(1) == 0) {
    Say("dojobber: interrupted: starting no new tries; letting running ones finish, then "
        "cleaning up (interrupt again to exit at once)\n");
    (void)!::write(wake_fd.load(), &kStopByte, 1);
  } else {
    Say("dojobber: interrupted again: exiting now\n");
    ::_exit(kInterrupted);
  }
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
  // The waiter thread never takes a stop signal itself (it inherits this
  // mask), so the handler always runs on a thread that is not parked in
  // read(): a handler deferred there, as ThreadSanitizer defers one that
  // arrives outside a call it knows to block, would never run, since
  // SA_RESTART resumes the read.
  sigset_t stop_signals;
  ::sigemptyset(&stop_signals);
  for (int signal : kStopSignals) ::sigaddset(&stop_signals, signal);
  ::sigaddset(&stop_signals, SIGPIPE);
  sigset_t previous;
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  waiter_ = std::thread([this] {
    ::pthread_setname_np(::pthread_self(), "dojobber-signal");  // For ps, gdb and the tests.
    Wait();
  });
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  for (int signal : kStopSignals) Catch(signal, OnStopSignal);
  Catch(SIGPIPE, OnBrokenPipe);
}

Interrupts::~Interrupts() {
  if (!waiter_.joinable()) return;
  (void)!::write(pipe_[1], &kCloseByte, 1);
  waiter_.join();
  // The handlers stay: a late signal still finds its pipe open until exit.
}

void Interrupts::Wait() {
  while (true) {
    char byte = 0;
    const ssize_t count = ::read(pipe_[0], &byte, 1);
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0 || byte == kCloseByte) return;
    stop_.request_stop();
  }
}

}  // namespace dojobber::cli
