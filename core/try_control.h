#ifndef DOJOBBER_CORE_TRY_CONTROL_H_
#define DOJOBBER_CORE_TRY_CONTROL_H_

#include <atomic>

namespace dojobber::core {

/// Shared by a try running on its own thread and whoever waits for it. Once
/// the waiter gives up (a timeout), the try is `abandoned`: it stops at its
/// next phase boundary, and its output and trace are dropped. `running`
/// stays true until its thread is done with the job object.
struct TryControl {
  std::atomic<bool> abandoned{false};
  std::atomic<bool> running{false};
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_TRY_CONTROL_H_
