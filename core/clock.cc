#include "core/clock.h"

#include <thread>

namespace dojobber::core {

Clock::TimePoint SteadyClock::Now() { return std::chrono::steady_clock::now(); }

void SteadyClock::SleepUntil(TimePoint when) { std::this_thread::sleep_until(when); }

Clock::Duration SecondsToDuration(double seconds) {
  return std::chrono::duration_cast<Clock::Duration>(std::chrono::duration<double>(seconds));
}

double DurationToSeconds(Clock::Duration duration) {
  return std::chrono::duration<double>(duration).count();
}

}  // namespace dojobber::core
