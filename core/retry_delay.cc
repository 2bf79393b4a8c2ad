#include "core/retry_delay.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace dojobber::core {

double BackoffSeconds(const RetryPolicy& policy, int n) {
  double seconds = policy.delay;
  // 0 * inf would be NaN: a zero delay stays zero at any factor.
  if (seconds > 0 && policy.backoff != 1 && n > 1) {
    seconds *= std::pow(policy.backoff, n - 1);
  }
  return std::min(seconds, policy.max_delay);
}

double RetryDelaySeconds(const RetryPolicy& policy, int n, double draw) {
  const double seconds = BackoffSeconds(policy, n);
  if (policy.jitter == 0 || seconds == 0 || std::isinf(seconds)) return seconds;
  const double spread = 1 - policy.jitter + 2 * policy.jitter * draw;
  return std::min(seconds * spread, policy.max_delay);
}

double JitterDraws::Draw(std::string_view job, int try_number) const {
  std::vector<std::uint32_t> words = {static_cast<std::uint32_t>(seed_),
                                      static_cast<std::uint32_t>(seed_ >> 32),
                                      static_cast<std::uint32_t>(try_number)};
  for (const char c : job) words.push_back(static_cast<unsigned char>(c));
  std::seed_seq sequence(words.begin(), words.end());
  std::mt19937_64 generator(sequence);
  // The top 53 bits: every double in [0, 1) this can give is equally likely.
  return static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

}  // namespace dojobber::core
