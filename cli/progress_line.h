#ifndef DOJOBBER_CLI_PROGRESS_LINE_H_
#define DOJOBBER_CLI_PROGRESS_LINE_H_

#include <cstddef>
#include <string>

#include "core/run_progress.h"

namespace dojobber::cli {

/// The progress line for `shot`, one line of at most `width` display columns
/// (core::DisplayWidth), without a newline:
///
///     [3/12] 4s elapsed, ~10s left; 1 failed; 2 to retry, next in 3s; running: TurnOnTV, Popcorn
///     +1 more [5/12] 1m02s elapsed; stopping, 1.6s of grace left, waiting for: Slow
///
/// `[settled/total]` counts the jobs finished for this run (succeeded,
/// failed, blocked). The parts that are zero are left out; the running
/// tries' names come last and are the first to give way (`+N more`) when
/// the line is too wide; a line too narrow even for its counts is cut.
std::string ProgressLine(const core::ProgressSnapshot& shot, std::size_t width);

/// How many names ProgressLine() can show at most in `width` columns: a
/// snapshot needs no more.
std::size_t MostNamesIn(std::size_t width);

}  // namespace dojobber::cli

#endif  // DOJOBBER_CLI_PROGRESS_LINE_H_
