#ifndef DOJOBBER_COMMAND_TRACKER_H_
#define DOJOBBER_COMMAND_TRACKER_H_

#include <sys/types.h>

namespace dojobber {

/// The engine's side of the commands a try starts with dojobber::RunCommand:
/// it learns each command's process group, so that it can end the group
/// when the try is abandoned at its time limit, or its process is killed.
/// Implemented by the engine (Context::commands()); plugins only pass it on.
/// Safe to call from several threads at once.
class CommandTracker {
 public:
  virtual ~CommandTracker() = default;

  /// The process group `group` exists and its program has not started yet.
  /// Returns false when the try is being ended: the command must then not
  /// start (the caller kills the group).
  virtual bool Started(pid_t group) = 0;
  /// The group has ended: its leader has exited and the rest of the group
  /// has been killed. Called before the leader is reaped, so the id cannot
  /// be reused while the engine still holds it.
  virtual void Ended(pid_t group) = 0;
  /// True once the engine ends this try's commands (its try was abandoned):
  /// the caller ends the groups it still runs.
  virtual bool cancelled() const = 0;
};

/// A tracker that keeps nothing: for a Context that has no engine behind it.
/// Commands then end at their own timeout or at a stop request only.
class UntrackedCommands final : public CommandTracker {
 public:
  bool Started(pid_t) override { return true; }
  void Ended(pid_t) override {}
  bool cancelled() const override { return false; }
};

}  // namespace dojobber

#endif  // DOJOBBER_COMMAND_TRACKER_H_
