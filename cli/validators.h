#ifndef DOJOBBER_CLI_VALIDATORS_H_
#define DOJOBBER_CLI_VALIDATORS_H_

#include <CLI/CLI.hpp>

namespace dojobber::cli {

/// A whole number >= `min` that fits an int; the message names the value and
/// what it must be, or says it is too large.
CLI::Validator WholeNumberAtLeast(long long min);

/// A file name that is not empty (`--report ""` would silently write nothing)
/// and has no control character (core::HasControlCharacter).
CLI::Validator FileName();

/// A name or word that is not empty and has no control character: a job
/// name, a Slurm partition or account, an srun argument.
CLI::Validator Word();

/// A finite number of seconds >= 0 (so no "nan" or "inf"), at most
/// core::kLongestSeconds (a century).
CLI::Validator Seconds();

/// A finite number of seconds > 0, at most core::kLongestSeconds.
CLI::Validator PositiveSeconds();

/// A retry backoff factor: a finite number >= 1.
CLI::Validator BackoffFactor();

/// A fraction: a number from 0 to 1, both included (a retry jitter).
CLI::Validator Fraction();

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_VALIDATORS_H_
