#ifndef DOJOBBER_CLI_INTERRUPTS_H_
#define DOJOBBER_CLI_INTERRUPTS_H_

#include <pthread.h>

#include <atomic>
#include <stop_token>
#include <thread>

namespace dojobber::cli {

/// Turns Ctrl-C (SIGINT) and SIGTERM into a stop request. The first signal
/// asks the run to stop: no new tries, running ones finish, cleanups run,
/// the reports are written, and dojobber exits with 130. The second exits
/// at once, with 130.
///
/// The signals are blocked in every thread and taken by one thread that
/// waits for them, so nothing runs inside a signal handler. Create this
/// before any other thread, so they all inherit the blocked signals.
class Interrupts {
 public:
  Interrupts();
  ~Interrupts();
  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;

  std::stop_token token() const { return stop_.get_token(); }
  bool requested() const { return stop_.stop_requested(); }

 private:
  void Wait();

  std::stop_source stop_;
  std::atomic<bool> closing_{false};
  std::thread waiter_;
  pthread_t waiter_handle_{};
};

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_INTERRUPTS_H_
