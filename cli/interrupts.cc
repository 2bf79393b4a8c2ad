#include "cli/interrupts.h"

#include <signal.h>
#include <unistd.h>

#include <string_view>

#include "cli/exit_code.h"

namespace dojobber::cli {
namespace {

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

void Say(std::string_view line) { (void)!::write(STDERR_FILENO, line.data(), line.size()); }

}  // namespace

Interrupts::Interrupts() {
  const sigset_t set = StopSignals();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  waiter_ = std::thread([this] { Wait(); });
  waiter_handle_ = waiter_.native_handle();
}

Interrupts::~Interrupts() {
  closing_ = true;
  ::pthread_kill(waiter_handle_, SIGTERM);  // Wakes the waiting thread.
  waiter_.join();
}

void Interrupts::Wait() {
  const sigset_t set = StopSignals();
  while (true) {
    int signal = 0;
    if (::sigwait(&set, &signal) != 0) continue;
    if (closing_) return;
    if (!stop_.stop_requested()) {
      Say("dojobber: interrupted: starting no new tries; letting running ones finish, then "
          "cleaning up (interrupt again to exit at once)\n");
      stop_.request_stop();
      continue;
    }
    Say("dojobber: interrupted again: exiting now\n");
    ::_exit(kInterrupted);
  }
}

}  // namespace dojobber::cli
