#ifndef DOJOBBER_CORE_RETRY_DELAY_H_
#define DOJOBBER_CORE_RETRY_DELAY_H_

#include <cstdint>
#include <limits>
#include <string_view>

namespace dojobber::core {

/// How long a job waits between the starts of two of its tries
/// (docs/semantics.md, "Retry delays"). Every value in seconds.
struct RetryPolicy {
  double delay = 1.0;  ///< The first retry delay, >= 0.
  double backoff = 1;  ///< Factor applied at each further retry, >= 1.
  double max_delay = std::numeric_limits<double>::infinity();  ///< Cap, >= 0.
  double jitter = 0;  ///< Spread, a fraction of the delay in [0, 1].
};

/// The delay after the n-th try (n >= 1), before jitter:
/// min(delay * backoff^(n-1), max_delay). Never NaN (a 0 delay stays 0 at
/// any backoff) and may be infinite, which the clock caps at a century.
double BackoffSeconds(const RetryPolicy& policy, int n);

/// The delay after the n-th try with jitter: for the backoff delay d and a
/// draw u in [0, 1), d * (1 - jitter + 2 * jitter * u), i.e. uniform in
/// [d * (1 - jitter), d * (1 + jitter)), then capped by max_delay.
double RetryDelaySeconds(const RetryPolicy& policy, int n, double draw);

/// The jitter draws of one run: a pure function of the run's seed, the
/// job's name and the try number, so a run repeated with the same seed
/// draws the same delays whatever order its tries end in (-j N). The
/// generator is std::mt19937_64 seeded through std::seed_seq, both fully
/// specified by the C++ standard: the draws are the same on every platform.
class JitterDraws {
 public:
  explicit JitterDraws(std::uint64_t seed) : seed_(seed) {}
  /// A number in [0, 1) with 53 random bits.
  double Draw(std::string_view job, int try_number) const;
  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
};

}  // namespace dojobber::core

#endif  // DOJOBBER_CORE_RETRY_DELAY_H_
