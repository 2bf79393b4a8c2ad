#ifndef DOJOBBER_CLI_INTERRUPTS_H_
#define DOJOBBER_CLI_INTERRUPTS_H_

#include <stop_token>
#include <thread>

namespace dojobber::cli {

/// Turns Ctrl-C (SIGINT), SIGTERM and SIGHUP into a stop request. The first
/// signal asks the run to stop: no new tries, running ones finish, cleanups
/// run, the reports are written, and dojobber exits with 130. The second
/// exits at once, with 130. SIGPIPE is caught and does nothing, so a reader
/// that goes away (`dojobber run -v 2>&1 | head`) costs dojobber an output,
/// not its run, cleanups and report.
///
/// The handlers only write a line and a byte to a pipe (or `_exit`); a
/// thread of this class reads the pipe and requests the stop; only that
/// thread blocks the signals. No job thread blocks them and no disposition
/// is ignored, so the commands that jobs start get the usual signal handling
/// (exec resets caught signals to default).
/// One instance per process.
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
  int pipe_[2] = {-1, -1};
  std::thread waiter_;
};

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_INTERRUPTS_H_
