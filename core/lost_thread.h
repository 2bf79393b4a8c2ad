#ifndef DOJOBBER_CORE_LOST_THREAD_H_
#define DOJOBBER_CORE_LOST_THREAD_H_

#include <functional>
#include <string_view>
#include <utility>

namespace dojobber::core {

// Job code can end the thread it runs on: pthread_exit() (or a cancellation)
// unwinds the thread's stack with a forced unwind, which no catch may stop
// (one that does not rethrow aborts the process). Whatever called into job
// code on that thread is unwound too. The code that calls job code therefore
// books the lost call while it unwinds (UnwindGuard), and runs job code only
// on threads it can afford to lose and replace (RunOnSpareThread).

/// The cause a try or cleanup fails with when its job code ended its thread.
inline constexpr std::string_view kThreadEndedCause = "the job ended its thread (pthread_exit)";

/// Calls `on_unwind` when the scope is left without Dismiss(): while the
/// stack unwinds past it (a forced unwind, or an exception of our own).
/// `on_unwind` must not throw.
template <class OnUnwind>
class [[nodiscard]] UnwindGuard {
 public:
  explicit UnwindGuard(OnUnwind on_unwind) : on_unwind_(std::move(on_unwind)) {}
  ~UnwindGuard() {
    if (armed_) on_unwind_();
  }
  UnwindGuard(const UnwindGuard&) = delete;
  UnwindGuard& operator=(const UnwindGuard&) = delete;

  /// The scope ends normally: on_unwind is not called.
  void Dismiss() { armed_ = false; }

 private:
  OnUnwind on_unwind_;
  bool armed_ = true;
};

/// Runs `body` on a new thread and waits for it. Returns true when `body`
/// returned, false when job code ended that thread. Rethrows on the calling
/// thread any C++ exception `body` let through. When no thread can be
/// started, runs `body` on the calling thread (which job code may then end).
bool RunOnSpareThread(const std::function<void()>& body);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_LOST_THREAD_H_
