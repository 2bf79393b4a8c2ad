#ifndef DOJOBBER_CORE_COMMAND_GROUPS_H_
#define DOJOBBER_CORE_COMMAND_GROUPS_H_

#include <sys/types.h>

#include <atomic>
#include <mutex>
#include <vector>

#include <dojobber/command_tracker.h>

namespace dojobber::core {

/// The process groups of the commands one try started with
/// dojobber::RunCommand (in this process, or in the try's own process as
/// its messages tell). Each group is also entered in a table of the whole
/// process, so that KillAllCommandGroups() reaches it when the process must
/// end at once.
class TryCommands final : public CommandTracker {
 public:
  TryCommands() = default;
  ~TryCommands() override;  ///< Leaves the process table; ends nothing.
  TryCommands(const TryCommands&) = delete;
  TryCommands& operator=(const TryCommands&) = delete;

  /// Registers `group`; false (and nothing registered) once Cancel() ran.
  bool Started(pid_t group) override;
  void Ended(pid_t group) override;
  bool cancelled() const override { return cancelled_; }

  /// Ends the try's commands: from now on none starts, and each running
  /// group gets SIGTERM now. The RunCommand that waits for a group sees
  /// cancelled() and sends SIGKILL after kCommandKillGraceSeconds.
  void Cancel();

  /// The groups registered and not ended.
  std::vector<pid_t> groups() const;

 private:
  mutable std::mutex mutex_;
  std::vector<pid_t> groups_;
  std::atomic<bool> cancelled_{false};
};

/// Ends process groups whose commands' try is over (its process was
/// killed): SIGTERM to each, then SIGKILL to those still there after
/// `grace_seconds`. Waits at most that long.
void EndProcessGroups(const std::vector<pid_t>& groups, double grace_seconds);

/// SIGKILL to every process group registered by a TryCommands of this
/// process and not ended: for a process about to end at once (a second
/// Ctrl-C, or the exit while an abandoned try still runs). Async-signal-safe.
void KillAllCommandGroups();

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_COMMAND_GROUPS_H_
