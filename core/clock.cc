#include "core/clock.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace dojobber::core {

Clock::TimePoint SteadyClock::Now() { return std::chrono::steady_clock::now(); }

void SteadyClock::SleepUntil(TimePoint when, const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  wake.wait_until(lock, stop, when, [] { return false; });
}

Clock::Duration SecondsToDuration(double seconds) {
  // Beyond this, 64-bit nanoseconds (292 years) would overflow, and so would
  // a time point this far from now: longer waits are treated as a century.
  constexpr double kLongest = 100.0 * 365 * 24 * 3600;
  if (std::isnan(seconds)) return Clock::Duration::zero();
  seconds = std::clamp(seconds, -kLongest, kLongest);
  return std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(seconds));
}

double DurationToSeconds(Clock::Duration duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace dojobber::core
