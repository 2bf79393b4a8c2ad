#ifndef DOJOBBER_CORE_TRY_CONTROL_H_
#define DOJOBBER_CORE_TRY_CONTROL_H_

#include <atomic>
#include <memory>
#include <mutex>

#include "core/command_groups.h"
#include "core/phase_progress.h"

namespace dojobber::core {

/// Shared by a try running on its own thread and whoever waits for it. Once
/// the waiter gives up (a timeout), the try is `abandoned`: it stops at its
/// next phase boundary, and its output and further trace are dropped; the
/// waiter traces the phase it was in as failed. `running` stays true until
/// its thread is done with the job object.
struct TryControl {
  std::atomic<bool> abandoned{false};
  std::atomic<bool> running{false};

  /// Guards the end of `running` against Adopt(), and `progress` and the
  /// try's trace lines against abandoning it.
  std::mutex mutex;
  PhaseProgress progress;
  /// Set under `mutex` with the try's last phase: too late to abandon it,
  /// its outcome is on its way.
  bool phases_done = false;
  /// What the try's thread may still use and nobody else owns any more (its
  /// kept object and local storage); freed with this control, after the
  /// thread is done.
  std::shared_ptr<void> orphan;
  /// The commands the try started (dojobber::RunCommand): cancelled when
  /// it is abandoned.
  TryCommands commands;

  /// Hands `state` to the try if its thread still runs; returns whether it
  /// did. Otherwise the caller keeps it.
  template <class T>
  bool Adopt(std::unique_ptr<T>& state) {
    std::lock_guard lock(mutex);
    if (!running) return false;
    orphan = std::shared_ptr<T>(std::move(state));
    return true;
  }
  /// Called by the try's thread when it is done with its job object.
  void Finish() {
    std::lock_guard lock(mutex);
    running = false;
  }
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TRY_CONTROL_H_
