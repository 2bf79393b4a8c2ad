#ifndef DOJOBBER_CORE_CLOCK_H_
#define DOJOBBER_CORE_CLOCK_H_

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <vector>

namespace dojobber::core {

/// Where the engine reads time and waits out retry delays. Injected, so tests
/// use a fake clock and never sleep.
class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  /// Returns once Now() >= `when` (at once if it already is), or once
  /// `stop` is requested.
  virtual void SleepUntil(TimePoint when, const std::stop_token& stop) = 0;
  /// Waits on `cv` (with `lock` held) until notified or until `when`, like
  /// std::condition_variable::wait_until. May return early: callers loop.
  virtual void WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                         TimePoint when) {
    cv.wait_until(lock, when);
  }
};

/// The real, monotonic clock.
class SteadyClock final : public Clock {
 public:
  TimePoint Now() override;
  void SleepUntil(TimePoint when, const std::stop_token& stop) override;
};

/// A clock that only moves when slept or waited on (or advanced by hand):
/// a retry delay of an hour passes at once. Thread-safe, so parallel runs
/// use it too: a worker that waits for a retry timer jumps the time forward
/// instead of sleeping. Job code takes no time on it. Used by the tests and
/// by the plugin authors' test kit (<dojobber/testing.h>).
class FakeClock final : public Clock {
 public:
  TimePoint Now() override;
  void SleepUntil(TimePoint when, const std::stop_token& stop) override;
  void WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint when) override;
  void Advance(Duration by);
  /// Every SleepUntil call, as the time it asked to wait (<= 0: no wait).
  std::vector<Duration> sleeps() const;
  /// The time since the clock's epoch (where it starts), in seconds.
  double seconds() const;

 private:
  mutable std::mutex mutex_;
  TimePoint now_{};
  std::vector<Duration> sleeps_;
};

/// The longest wait the clock represents, in seconds: a century. Longer ones
/// would overflow 64-bit nanoseconds (292 years) or a time point that far away.
inline constexpr double kLongestSeconds = 100.0 * 365 * 24 * 3600;

/// Seconds (fractions allowed) as a clock duration; NaN is zero, and longer
/// than kLongestSeconds either way is kLongestSeconds.
Clock::Duration SecondsToDuration(double seconds);
double DurationToSeconds(Clock::Duration duration);

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_CLOCK_H_
