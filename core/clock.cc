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
  if (std::isnan(seconds)) return Clock::Duration::zero();
  seconds = std::clamp(seconds, -kLongestSeconds, kLongestSeconds);
  return std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(seconds));
}

double DurationToSeconds(Clock::Duration duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace dojobber::core
