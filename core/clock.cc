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

Clock::TimePoint FakeClock::Now() {
  std::lock_guard lock(mutex_);
  return now_;
}

void FakeClock::SleepUntil(TimePoint when, const std::stop_token&) {
  std::lock_guard lock(mutex_);
  sleeps_.push_back(when - now_);
  if (when > now_) now_ = when;
}

void FakeClock::WaitUntil(std::condition_variable&, std::unique_lock<std::mutex>&, TimePoint when) {
  std::lock_guard lock(mutex_);
  if (when > now_) now_ = when;
}

void FakeClock::Advance(Duration by) {
  std::lock_guard lock(mutex_);
  now_ += by;
}

std::vector<Clock::Duration> FakeClock::sleeps() const {
  std::lock_guard lock(mutex_);
  return sleeps_;
}

double FakeClock::seconds() const {
  std::lock_guard lock(mutex_);
  return DurationToSeconds(now_ - TimePoint{});
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
