#ifndef DOJOBBER_CORE_CHILD_PROCESS_H_
#define DOJOBBER_CORE_CHILD_PROCESS_H_

#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dojobber::core {

/// Limits on a child process.
struct ChildLimits {
  double timeout_seconds = 0;  ///< 0: none. Past it the child is killed.
  std::stop_token stop = {};   ///< Once requested, the child gets `stop_grace_seconds` more.
  double stop_grace_seconds = 2;
};

/// Told what a child sends while it runs. Called on the parent's thread.
class ChildListener {
 public:
  virtual ~ChildListener() = default;
  /// One message the child sent with SendToParent().
  virtual void OnMessage(const nlohmann::json& message) = 0;
  /// One whole line the child wrote to its stdout or stderr.
  virtual void OnOutputLine(std::string_view line) = 0;
};

/// How a child process ended.
struct ChildEnd {
  std::string start_error;  ///< Set when no child could be started.
  int wait_status = 0;      ///< As from waitpid().
  bool timed_out = false;   ///< Killed at its timeout.
  bool stopped = false;     ///< Killed at the end of the grace period after a stop.

  /// For a child that ended without reporting: `killed by signal SIGSEGV`,
  /// `exited with status 3`, `timed out after 2 s`, and so on.
  std::string Describe(double timeout_seconds) const;
};

/// Runs `child_main` in a forked child process and waits for it. The child's
/// stdout and stderr come back line by line, and its messages (sent with
/// SendToParent on the descriptor `child_main` is given) as they arrive, so
/// nothing it writes is lost or torn, however much it writes. The child runs
/// in a process group of its own (a Ctrl-C at the terminal reaches only the
/// parent) and dies with the parent. `child_main` must not return; if it
/// does, the child exits with status 0.
ChildEnd RunInChild(const std::function<void(int channel)>& child_main, const ChildLimits& limits,
                    ChildListener& listener);

/// In the child: sends one message to the parent. Thread-compatible.
void SendToParent(int channel, const nlohmann::json& message);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_CHILD_PROCESS_H_
