#ifndef DOJOBBER_CLI_VALIDATORS_H_
#define DOJOBBER_CLI_VALIDATORS_H_

#include <CLI/CLI.hpp>

namespace dojobber::cli {

/// A whole number >= `min` that fits an int; the message names the value and
/// what it must be.
CLI::Validator WholeNumberAtLeast(long long min);

/// A file name that is not empty (`--report ""` would silently write nothing)
/// and has no newline (a name that no one-line message could show).
CLI::Validator FileName();

/// A finite number of seconds >= 0 (so no "nan" or "inf").
CLI::Validator Seconds();

/// A finite number of seconds > 0.
CLI::Validator PositiveSeconds();

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_VALIDATORS_H_
